import Foundation
import Matching
import Postgres
import Store
import Testing

@Suite("Region, category, audit log and aid repositories")
struct ReferenceRepositoryTests {
    @Test func regionsAndCategories() async throws {
        try await RepositoryFixtures.with("regions") { client in
            let regions = RegionRepository(client: client)
            let county = try #require(try await regions.region(code: "320508000000"))
            #expect(county.level == 3 && county.scopePrefix == "320508" && county.parentCode == "320500000000")
            #expect(try await regions.region(code: "320509000000") == nil)
            let townships = try await regions.children(of: "320508000000")
            #expect(!townships.isEmpty && townships.allSatisfy { $0.level == 4 && $0.parentCode == county.code })
            var codes: [String] = []
            var page = PageRequest<String>(limit: 25)
            repeat {
                let result = try await regions.regions(in: RepositoryFixtures.countyScope, level: .village, page: page)
                codes += result.items.map(\.code)
                page.after = result.nextCursor
            } while page.after != nil
            let villages = try await SeededCounty.count(
                client, "SELECT count(*) FROM regions WHERE level = 5 AND code LIKE '320508%'")
            #expect(codes.count == villages && codes == codes.sorted())

            let categories = CategoryRepository(client: client)
            let all = try await categories.all()
            #expect(all.count == 23 && all.first?.code == "material")
            let grain = try #require(try await categories.category(code: "material.grain_oil"))
            #expect(grain.nameZh == "粮油" && grain.kind == .material && grain.defaultUnit == "portion")
            #expect(grain.parentID == all.first?.id)
        }
    }

    @Test func auditLogFiltersAndPagesNewestFirst() async throws {
        try await RepositoryFixtures.with("auditlog") { client in
            let (_, matches) = try await SeededCounty.offerWithProposals(capacity: 5, count: 3, client: client)
            let lifecycle = MatchRepository(client: client)
            for match in matches { _ = try await lifecycle.approve(match: match, by: .system) }
            let audit = AuditLogRepository(client: client)
            let approvals = try await audit.list(AuditFilter(actionPrefix: "match.approve"))
            #expect(approvals.items.map(\.entityID) == matches.reversed().map(String.init))
            let first = try await audit.list(AuditFilter(actionPrefix: "match"), page: PageRequest(limit: 4))
            #expect(first.items.count == 4 && first.nextCursor != nil)
            let second = try await audit.list(
                AuditFilter(actionPrefix: "match"), page: PageRequest(after: first.nextCursor, limit: 4))
            #expect(second.items.count == 2 && second.nextCursor == nil)
            let one = try await audit.list(AuditFilter(entityType: "match", entityID: String(matches[0])))
            #expect(one.items.map(\.action) == ["match.approve", "match.propose"])
            #expect(one.items.first?.details["units"] == .number(1))
            let none = try await audit.list(AuditFilter(actionPrefix: "mat"))
            #expect(none.items.isEmpty)
            let future = try await audit.list(AuditFilter(from: Date().addingTimeInterval(3600)))
            #expect(future.items.isEmpty)
            await #expect(
                throws: StoreError.invalid(
                    field: "action", reason: "must be a dotted lower-case action such as match.approve")
            ) {
                _ = try await audit.list(AuditFilter(actionPrefix: "Match%"))
            }
        }
    }

    @Test func governmentAidIsRecordedOnceAndListedWithinScope() async throws {
        try await RepositoryFixtures.with("aid") { client in
            let aid = AidRecordRepository(client: client, today: { RepositoryFixtures.today })
            let household = try await client.query("SELECT min(id) AS id FROM households")[0].decode(Int64.self, "id")
            let category = try await RepositoryFixtures.categoryID(client, "money.temporary_living")
            let before = try await aid.aid(ofHousehold: household).count
            let user = try await UserRepository(client: client).create(
                login: "aid-caseworker", name: "Caseworker", role: .caseworker,
                regionCode: SeededCounty.county.digits, by: .system)
            let caseworker = Principal(
                userID: user.id, tokenID: 0, role: .caseworker, regionScope: RepositoryFixtures.countyScope,
                charityID: nil)
            let entry = try await aid.recordGovernmentAid(
                household: household,
                GovernmentAid(
                    categoryID: category, amount: Decimal(string: "800.00"), givenOn: "2026-11-01", program: "临时救助金",
                    externalRef: "GOV-1"), by: caseworker)
            #expect(entry.source == .government && entry.givenOn == "2026-11-01" && entry.amount == 800)
            #expect(try await RepositoryFixtures.audits(client, "aid.record", entry.id) == 1)
            let listed = try await aid.aid(ofHousehold: household, within: RepositoryFixtures.countyScope)
            #expect(listed.count == before + 1 && listed.contains(entry))
            await #expect(
                throws: StoreError.conflict(.taken(.externalReference, value: "GOV-1"))
            ) {
                _ = try await aid.recordGovernmentAid(
                    household: household,
                    GovernmentAid(
                        categoryID: category, units: 1, givenOn: "2026-11-02",
                        externalRef: "GOV-1"), by: caseworker)
            }
            await #expect(throws: StoreError.invalid(field: "amount", reason: "amount or units is required")) {
                _ = try await aid.recordGovernmentAid(
                    household: household, GovernmentAid(categoryID: category, givenOn: "2026-11-02"), by: caseworker)
            }
            await #expect(
                throws: StoreError.invalid(
                    field: "given_on", reason: "must be today or an earlier date written yyyy-mm-dd")
            ) {
                _ = try await aid.recordGovernmentAid(
                    household: household, GovernmentAid(categoryID: category, units: 1, givenOn: "2027-01-01"),
                    by: caseworker)
            }
            await #expect(throws: StoreError.notFound(entity: .household, id: String(household))) {
                _ = try await aid.aid(ofHousehold: household, within: RepositoryFixtures.elsewhere)
            }
            await #expect(throws: StoreError.notFound(entity: .household, id: "999999")) {
                _ = try await aid.aid(ofHousehold: 999_999)
            }
        }
    }
}
