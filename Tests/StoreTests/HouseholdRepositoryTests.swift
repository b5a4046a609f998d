import Foundation
import Matching
import Postgres
import Store
import Testing

@Suite("Household repository")
struct HouseholdRepositoryTests {
    private static func repository(_ client: PostgresClient) throws -> HouseholdRepository {
        HouseholdRepository(client: client, sealer: try SeededCounty.sealer, today: { RepositoryFixtures.today })
    }

    @Test func registerSealsTheIDNumberAndRefusesDuplicates() async throws {
        try await RepositoryFixtures.with("householdregister") { client in
            let households = try Self.repository(client)
            let village = try await RepositoryFixtures.village(client)
            let record = try await households.register(
                RepositoryFixtures.registration(101, region: village), within: RepositoryFixtures.countyScope,
                by: .system)
            let number = RepositoryFixtures.idNumber(101)
            #expect(record.idNumberLast4 == String(number.suffix(4)))
            #expect(record.assistanceStatuses == [.dibao] && record.vulnerabilityFlags == [.disabled])
            #expect(record.perCapitaIncome == Decimal(string: "650.5") && record.hasConsent)
            #expect(record.memberBirthDates == ["1980-01-01"])
            #expect(try await RepositoryFixtures.audits(client, "household.register", record.id) == 1)
            let plain = try await SeededCounty.count(
                client,
                """
                SELECT count(*) FROM households h
                 WHERE concat_ws('|', h.case_number, h.contact_name, h.address, encode(h.id_number_hmac, 'escape'))
                       LIKE '%' || $1 || '%'
                """, [number])
            #expect(plain == 0)

            var sameNumber = RepositoryFixtures.registration(101, region: village)
            sameNumber.caseNumber = "T-other"
            await #expect(throws: StoreError.conflict(.taken(.idNumber, value: nil))) {
                _ = try await households.register(sameNumber, by: .system)
            }
            var sameCase = RepositoryFixtures.registration(102, region: village)
            sameCase.caseNumber = "T-101"
            await #expect(throws: StoreError.conflict(.taken(.caseNumber, value: "T-101"))) {
                _ = try await households.register(sameCase, by: .system)
            }
        }
    }

    @Test func validationFollowsTheRoster() async throws {
        try await RepositoryFixtures.with("householdinvalid") { client in
            let households = try Self.repository(client)
            let village = try await RepositoryFixtures.village(client)
            let before = try await RepositoryFixtures.allAudits(client)
            var badNumber = RepositoryFixtures.registration(103, region: village)
            let valid = RepositoryFixtures.idNumber(103)
            badNumber.idNumber = String(valid.dropLast()) + (valid.hasSuffix("0") ? "1" : "0")
            await #expect(
                throws: StoreError.invalid(field: "id_number", reason: "fails its check character (GB 11643)")
            ) {
                _ = try await households.register(badNumber, by: .system)
            }
            var exclusive = RepositoryFixtures.registration(104, region: village)
            exclusive.assistanceStatuses = ["dibao", "特困"]
            await #expect(
                throws: StoreError.invalid(
                    field: "assistance_statuses",
                    reason: "低保 (dibao), 特困 (tekun) and 低保边缘 (dibao_edge) exclude each other")
            ) {
                _ = try await households.register(exclusive, by: .system)
            }
            await #expect(
                throws: StoreError.invalid(
                    field: "region_code", reason: "\(village) is outside your region (320509)")
            ) {
                _ = try await households.register(
                    RepositoryFixtures.registration(105, region: village), within: RepositoryFixtures.elsewhere,
                    by: .system)
            }
            await #expect(throws: StoreError.invalid(field: "region_code", reason: "unknown region code 320508999999"))
            {
                _ = try await households.register(
                    RepositoryFixtures.registration(106, region: "320508999999"), by: .system)
            }
            #expect(try await RepositoryFixtures.allAudits(client) == before)
        }
    }

    @Test func outsideTheScopeLooksMissing() async throws {
        try await RepositoryFixtures.with("householdscope") { client in
            let households = try Self.repository(client)
            let id = try await client.query("SELECT min(id) AS id FROM households")[0].decode(Int64.self, "id")
            #expect(try await households.household(id: id, within: RepositoryFixtures.countyScope)?.id == id)
            #expect(try await households.household(id: id, within: RepositoryFixtures.elsewhere) == nil)
            #expect(try await households.household(id: 999_999) == nil)
            let missing = StoreError.notFound(entity: .household, id: String(id))
            await #expect(throws: missing) {
                _ = try await households.withdrawConsent(
                    household: id, within: RepositoryFixtures.elsewhere, by: .system)
            }
            await #expect(throws: StoreError.notFound(entity: .household, id: "999999")) {
                _ = try await households.withdrawConsent(household: 999_999, by: .system)
            }
            let page = try await households.list(within: RepositoryFixtures.elsewhere)
            #expect(page.items.isEmpty && page.nextCursor == nil)
            var total = 0
            var request = PageRequest<Int64>(limit: 7)
            repeat {
                let result = try await households.list(within: RepositoryFixtures.countyScope, page: request)
                total += result.items.count
                request.after = result.nextCursor
            } while request.after != nil
            #expect(total == 30)
        }
    }

    @Test func withdrawingConsentCancelsLiveMatchesAndReleasesCapacity() async throws {
        try await RepositoryFixtures.with("householdconsent") { client in
            let (offer, matches) = try await SeededCounty.offerWithProposals(capacity: 10, count: 2, client: client)
            let lifecycle = MatchRepository(client: client)
            _ = try await lifecycle.approve(match: matches[0], by: .system)
            let household = try await client.query(
                "SELECT n.household_id FROM matches m JOIN needs n ON n.id = m.need_id WHERE m.id = $1", [matches[0]]
            )[0].decode(Int64.self, "household_id")
            let live = try await client.query(
                """
                SELECT m.id FROM matches m JOIN needs n ON n.id = m.need_id
                 WHERE n.household_id = $1 AND m.status IN ('proposed', 'approved', 'accepted') ORDER BY m.id
                """, [household]
            ).map { try $0.decode(Int64.self, "id") }
            let households = try Self.repository(client)
            _ = try await households.recordConsent(household: household, scope: "需求信息共享", by: .system)
            let withdrawal = try await households.withdrawConsent(
                household: household, within: RepositoryFixtures.countyScope, by: .system)
            #expect(!withdrawal.household.hasConsent && withdrawal.household.consentWithdrawnAt != nil)
            #expect(withdrawal.cancelledMatches == live)
            let allocated = try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer])
            #expect(allocated == 0)
            let cancelled = try await SeededCounty.count(
                client,
                "SELECT count(*) FROM matches WHERE id = ANY($1::bigint[]) AND status = 'cancelled' AND reason_code = 'consent_withdrawn'",
                [live.map(Int.init)])
            #expect(cancelled == live.count)
            #expect(try await RepositoryFixtures.audits(client, "household.consent_withdraw", household) == 1)
            #expect(try await RepositoryFixtures.audits(client, "household.consent_record", household) == 1)
            await #expect(
                throws: StoreError.invalidTransition(
                    entity: .household, id: String(household), from: "withdrawn", action: "withdrawn from consent")
            ) {
                _ = try await households.withdrawConsent(household: household, by: .system)
            }
            let renewed = try await households.recordConsent(household: household, scope: "仅限物资", by: .system)
            #expect(renewed.hasConsent && renewed.consentScope == "仅限物资")
        }
    }
}
