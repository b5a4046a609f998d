import Foundation
import Matching
import Postgres
import Store
import Testing

@Suite("Household update and search")
struct HouseholdUpdateTests {
    private static func repository(_ client: PostgresClient) throws -> HouseholdRepository {
        HouseholdRepository(client: client, sealer: try SeededCounty.sealer, today: { RepositoryFixtures.today })
    }

    private static func caseworker(_ client: PostgresClient, scope: RegionScope?) async throws -> Principal {
        let user = try await UserRepository(client: client).create(
            login: "update-caseworker-\(scope?.prefix ?? "all")", name: "Caseworker", role: .caseworker,
            regionCode: SeededCounty.county.digits, by: .system)
        return Principal(userID: user.id, tokenID: 0, role: .caseworker, regionScope: scope, charityID: nil)
    }

    @Test func anUpdateAtTheExpectedVersionChangesWhatWasAskedAndIsAudited() async throws {
        try await RepositoryFixtures.with("householdupdate") { client in
            let households = try Self.repository(client)
            let village = try await RepositoryFixtures.village(client)
            let registered = try await households.register(
                RepositoryFixtures.registration(201, region: village), by: .system)
            let caseworker = try await Self.caseworker(client, scope: RepositoryFixtures.countyScope)
            let updated = try await households.update(
                household: registered.id, expectedVersion: registered.version,
                HouseholdChanges(
                    members: 4, assistanceStatuses: ["特困"], vulnerabilityFlags: [], headName: "新户主",
                    contactPhone: "0512-6666 1234", address: "", reason: "复核后纳入特困供养"),
                by: caseworker
            ).household
            #expect(updated.version == registered.version + 1)
            #expect(updated.members == 4 && updated.assistanceStatuses == [.tekun] && updated.vulnerabilityFlags == [])
            #expect(updated.contactName == "新户主" && updated.contactPhone == "0512-6666 1234" && updated.address == nil)
            #expect(updated.perCapitaIncome == registered.perCapitaIncome && updated.hasConsent)
            #expect(try await RepositoryFixtures.audits(client, "household.update", registered.id) == 1)
            let details = try await client.query(
                "SELECT details::text AS details FROM audit_log WHERE action = 'household.update'")[0]
                .decode(String.self, "details")
            #expect(details.contains("members") && !details.contains("新户主") && !details.contains("0512"))

            // The same save from a page read before it is refused, and changes nothing.
            await #expect(
                throws: StoreError.versionMismatch(
                    entity: .household, id: String(registered.id), current: updated.version)
            ) {
                _ = try await households.update(
                    household: registered.id, expectedVersion: registered.version,
                    HouseholdChanges(members: 2), by: caseworker)
            }
            #expect(try await households.household(id: registered.id)?.members == 4)
            // Nothing changed: no new version, no audit row.
            let same = try await households.update(
                household: registered.id, expectedVersion: updated.version, HouseholdChanges(members: 4),
                by: caseworker
            ).household
            #expect(same.version == updated.version)
            #expect(try await RepositoryFixtures.audits(client, "household.update", registered.id) == 1)
        }
    }

    @Test func anUpdateKeepsTheRollsRulesAndTheCallersReach() async throws {
        try await RepositoryFixtures.with("householdupdaterules") { client in
            let households = try Self.repository(client)
            let village = try await RepositoryFixtures.village(client)
            let registered = try await households.register(
                RepositoryFixtures.registration(202, region: village), by: .system)
            let caseworker = try await Self.caseworker(client, scope: RepositoryFixtures.countyScope)
            let refusals: [(HouseholdChanges, StoreError)] = [
                (
                    HouseholdChanges(assistanceStatuses: ["dibao", "tekun"]),
                    .invalid(
                        field: "assistance_statuses",
                        reason: "低保 (dibao), 特困 (tekun) and 低保边缘 (dibao_edge) exclude each other")
                ),
                (
                    HouseholdChanges(members: 0),
                    .invalid(field: "members", reason: "must be a whole number from 1 to 99")
                ),
                (
                    HouseholdChanges(contactPhone: "call me"),
                    .invalid(
                        field: "contact_phone", reason: "is not a phone number (digits, spaces, +, -, parentheses)")
                ),
            ]
            for (changes, refusal) in refusals {
                await #expect(throws: refusal) {
                    _ = try await households.update(
                        household: registered.id, expectedVersion: registered.version, changes, by: caseworker)
                }
            }
            let far = try await Self.caseworker(client, scope: RepositoryFixtures.elsewhere)
            await #expect(throws: StoreError.notFound(entity: .household, id: String(registered.id))) {
                _ = try await households.update(
                    household: registered.id, expectedVersion: registered.version, HouseholdChanges(members: 2),
                    by: far)
            }
            let coordinator = Principal(
                userID: caseworker.userID, tokenID: 0, role: .coordinator, regionScope: RepositoryFixtures.countyScope,
                charityID: nil)
            await #expect(throws: StoreError.forbidden(role: "coordinator", action: .changeHousehold, scope: nil)) {
                _ = try await households.update(
                    household: registered.id, expectedVersion: registered.version, HouseholdChanges(members: 2),
                    by: coordinator)
            }
            #expect(try await households.household(id: registered.id)?.version == registered.version)
        }
    }

    @Test func searchFindsByCaseNumberNameOrLastFourAndCounts() async throws {
        try await RepositoryFixtures.with("householdsearch") { client in
            let households = try Self.repository(client)
            let village = try await RepositoryFixtures.village(client)
            let registered = try await households.register(
                RepositoryFixtures.registration(203, region: village), by: .system)
            let scope = RepositoryFixtures.countyScope
            let byCase = try await households.search(HouseholdSearch(text: "t-203"), within: scope)
            #expect(byCase.items.map(\.id) == [registered.id] && byCase.total == 1)
            let byName = try await households.search(HouseholdSearch(text: "测试户203"), within: scope)
            #expect(byName.items.map(\.id) == [registered.id])
            let byLastFour = try await households.search(
                HouseholdSearch(text: registered.idNumberLast4), within: scope)
            #expect(byLastFour.items.contains { $0.id == registered.id })
            #expect(
                try await households.search(HouseholdSearch(text: "t-203"), within: RepositoryFixtures.elsewhere).total
                    == 0)
            // A wildcard is taken literally.
            #expect(try await households.search(HouseholdSearch(text: "%"), within: scope).total == 0)

            let all = try await households.search(HouseholdSearch(pageSize: 7), within: scope)
            let count = try await SeededCounty.count(client, "SELECT count(*) FROM households")
            #expect(all.total == count && all.items.count == 7 && all.pageCount == (count + 6) / 7)
            let second = try await households.search(HouseholdSearch(page: 2, pageSize: 7), within: scope)
            #expect(Set(all.items.map(\.id)).isDisjoint(with: second.items.map(\.id)))
            let township = String(village.prefix(9))
            let dibao = try await households.search(
                HouseholdSearch(township: township, status: .dibao, order: .members, pageSize: 500), within: scope)
            #expect(
                dibao.items.allSatisfy { $0.regionCode.hasPrefix(township) && $0.assistanceStatuses.contains(.dibao) })
            #expect(dibao.items.map(\.members) == dibao.items.map(\.members).sorted(by: >))
        }
    }
}

@Suite("Need search")
struct NeedSearchTests {
    @Test func needsAreFilteredCountedAndPagedWithinTheRegion() async throws {
        try await RepositoryFixtures.with("needsearch") { client in
            let needs = NeedRepository(client: client, today: { RepositoryFixtures.today })
            let scope = RepositoryFixtures.countyScope
            let total = try await SeededCounty.count(client, "SELECT count(*) FROM needs")
            let all = try await needs.search(NeedSearch(pageSize: 5), within: scope)
            #expect(all.total == total && all.items.count == min(5, total))
            #expect(all.items.map(\.need.id) == all.items.map(\.need.id).sorted(by: >), "newest first")
            let open = try await needs.search(NeedSearch(status: .open, order: .oldest, pageSize: 500), within: scope)
            #expect(open.items.allSatisfy { $0.need.status == .open })
            #expect(
                open.total == (try await SeededCounty.count(client, "SELECT count(*) FROM needs WHERE status = 'open'"))
            )
            let first = try #require(all.items.first)
            let byCase = try await needs.search(NeedSearch(caseNumber: first.caseNumber), within: scope)
            #expect(byCase.items.contains { $0.need.id == first.need.id })
            #expect(try await needs.search(NeedSearch(), within: RepositoryFixtures.elsewhere).total == 0)
            await #expect(throws: StoreError.invalid(field: "from", reason: "must be a date written yyyy-mm-dd")) {
                _ = try await needs.search(NeedSearch(recordedFrom: "yesterday"), within: scope)
            }
            let future = try await needs.search(NeedSearch(recordedFrom: "2999-01-01"), within: scope)
            #expect(future.total == 0 && future.pageCount == 1)
        }
    }
}
