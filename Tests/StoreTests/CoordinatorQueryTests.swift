import Foundation
import Matching
import Postgres
import Store
import TestSupport
import Testing

@Suite("Coordinator queries: review rows, regional charities, scoped audit, region names")
struct CoordinatorQueryTests {
    /// A seeded county after one persisted run, and the township of its first household.
    private static func withRun(
        _ label: String, _ body: (PostgresClient, Int64, RegionScope) async throws -> Void
    ) async throws {
        try await SeededCounty.with(label) { _, client in
            let request = MatchingRunRequest(
                region: SeededCounty.county, now: SeededCounty.asOf.addingTimeInterval(12 * 3600))
            let run = try #require(try await MatchingRuns(client: client).run(request).0.runID)
            let code = try await client.query(
                """
                SELECT h.region_code FROM matches m JOIN needs n ON n.id = m.need_id
                  JOIN households h ON h.id = n.household_id ORDER BY m.id LIMIT 1
                """)[0].decode(String.self, "region_code")
            let township = try #require(RegionCode(code)?.ancestor(at: .township)).scope
            try await body(client, run, township)
        }
    }

    private static func ids(
        _ client: PostgresClient, _ sql: String, _ parameters: [any PostgresEncodable] = []
    ) async throws -> [Int64] {
        try await client.query(sql, parameters).map { try $0.decode(Int64.self, at: 0) }
    }

    @Test func reviewRowsAreTheListsMatchesWithTheirNeedPlaceAndOffer() async throws {
        try await Self.withRun("coord_review") { client, run, township in
            let repository = MatchRepository(client: client)
            for filter in [MatchFilter(status: .proposed, run: run), MatchFilter(run: run, region: township)] {
                var listed: [Int64] = []
                var reviewed: [MatchReviewRow] = []
                var cursor: Int64?
                repeat {
                    let page = try await repository.review(filter, page: PageRequest(after: cursor, limit: 9))
                    reviewed += page.items
                    cursor = page.nextCursor
                } while cursor != nil
                cursor = nil
                repeat {
                    let page = try await repository.list(filter, page: PageRequest(after: cursor, limit: 9))
                    listed += page.items.map(\.id)
                    cursor = page.nextCursor
                } while cursor != nil
                #expect(!listed.isEmpty && reviewed.map(\.match.id) == listed, "\(filter)")
            }
            let first = try #require(
                try await repository.review(MatchFilter(run: run), page: PageRequest(limit: 1)).items.first)
            let facts = try await client.query(
                """
                SELECT n.category_id, n.urgency::int AS urgency, h.region_code, t.name AS township, o.title, c.name
                  FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                  JOIN regions t ON t.code = left(h.region_code, 9) || '000'
                  JOIN offers o ON o.id = m.offer_id JOIN charities c ON c.id = o.charity_id WHERE m.id = $1
                """, [first.match.id])[0]
            #expect(first.categoryID == (try facts.decode(Int64.self, "category_id")))
            #expect(first.urgency == (try facts.decode(Int.self, "urgency")))
            #expect(first.householdRegion == (try facts.decode(String.self, "region_code")))
            #expect(first.townshipName == (try facts.decode(String.self, "township")))
            #expect(first.offerTitle == (try facts.decode(String.self, "title")))
            #expect(first.charityName == (try facts.decode(String.self, "name")))
            #expect(first.match.breakdown?.scoreMicro == first.match.scoreMicro)

            let range: ClosedRange<Int64> = 400_000...600_000
            let expected = try await Self.ids(
                client,
                "SELECT id FROM matches WHERE run_id = $1 AND score_micro BETWEEN 400000 AND 600000 ORDER BY id",
                [run])
            let scored = try await repository.review(
                MatchFilter(run: run), scoreMicro: range, page: PageRequest(limit: PageRequest<Int64>.maximumLimit))
            #expect(!expected.isEmpty && scored.items.map(\.match.id) == expected)

            let charities = try await repository.charities(ofRun: run).map(\.id).sorted()
            let owners = try await Self.ids(
                client,
                "SELECT DISTINCT o.charity_id FROM matches m JOIN offers o ON o.id = m.offer_id WHERE m.run_id = $1 ORDER BY 1",
                [run])
            #expect(charities == owners)
        }
    }

    @Test func regionalCharitiesAreThoseServingOrMatchedInTheRegion() async throws {
        try await Self.withRun("coord_charities") { client, _, township in
            let regional = RegionalCharities(client: client)
            let expected = try await Self.ids(
                client,
                """
                SELECT c.id FROM charities c WHERE EXISTS (
                    SELECT 1 FROM offers o, unnest(o.service_region_prefixes) p
                     WHERE o.charity_id = c.id AND (p LIKE $1 || '%' OR $1 LIKE p || '%'))
                   OR EXISTS (
                    SELECT 1 FROM matches m JOIN offers o ON o.id = m.offer_id JOIN needs n ON n.id = m.need_id
                      JOIN households h ON h.id = n.household_id
                     WHERE o.charity_id = c.id AND h.region_code LIKE $1 || '%')
                 ORDER BY c.id
                """, [township.prefix])
            var listed: [Int64] = []
            var cursor: Int64?
            repeat {
                let page = try await regional.list(within: township, page: PageRequest(after: cursor, limit: 2))
                listed += page.items.map(\.id)
                cursor = page.nextCursor
            } while cursor != nil
            #expect(!listed.isEmpty && listed == expected)
            let all = try await Self.ids(client, "SELECT id FROM charities ORDER BY id")
            #expect(try await regional.list(within: nil, page: PageRequest(limit: 500)).items.map(\.id) == all)
            let elsewhere = try #require(RepositoryFixtures.elsewhere)
            #expect(try await regional.list(within: elsewhere).items.isEmpty)
            #expect(try await regional.charity(id: listed[0], within: township)?.id == listed[0])
            #expect(try await regional.charity(id: listed[0], within: elsewhere) == nil)
        }
    }

    @Test func aScopedAuditTrailKeepsToTheRegionsEntitiesAndTheReadersOwnRows() async throws {
        try await Self.withRun("coord_audit") { client, run, township in
            let matches = MatchRepository(client: client)
            let inside = try await Self.ids(
                client,
                """
                SELECT m.id FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                 WHERE m.status = 'proposed' AND h.region_code LIKE $1 || '%' ORDER BY m.id LIMIT 1
                """, [township.prefix])[0]
            let outside = try await Self.ids(
                client,
                """
                SELECT m.id FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                 WHERE m.status = 'proposed' AND h.region_code NOT LIKE $1 || '%' ORDER BY m.id LIMIT 1
                """, [township.prefix])[0]
            let reader = try await UserRepository(client: client).create(
                login: "coord-reader", name: "Reader", role: .coordinator,
                regionCode: township.prefix + "000", by: .system)
            let other = try await UserRepository(client: client).create(
                login: "coord-other", name: "Other", role: .coordinator, regionCode: "320508000000", by: .system)
            _ = try await matches.apply(.reject, to: inside, by: Actor(userID: reader.id), reasonCode: "not_eligible")
            _ = try await matches.apply(.reject, to: outside, by: Actor(userID: other.id), reasonCode: "not_eligible")
            let charity = try await Self.ids(client, "SELECT min(id) FROM charities")[0]
            _ = try await CharityRepository(client: client).suspend(
                charity: charity, by: Actor(userID: reader.id), reason: "late")
            let stranger = try await Self.ids(client, "SELECT max(id) FROM charities")[0]
            _ = try await CharityRepository(client: client).suspend(
                charity: stranger, by: Actor(userID: other.id), reason: "late")

            let log = ScopedAuditLog(client: client)
            let scoped = try await log.list(
                AuditFilter(), within: township, reader: reader.id, page: PageRequest(limit: 500))
            let keys = Set(scoped.items.map { "\($0.entry.entityType):\($0.entry.entityID)" })
            #expect(keys.contains("match:\(inside)") && !keys.contains("match:\(outside)"))
            #expect(keys.contains("charity:\(charity)") && !keys.contains("charity:\(stranger)"))
            #expect(!keys.contains("match_run:\(run)"), "a county run is wider than the township")
            #expect(scoped.items.first { $0.entry.entityID == String(inside) }?.actorLogin == "coord-reader")
            #expect(scoped.items.first { $0.entry.entityID == String(inside) }?.actorRole == .coordinator)
            let county = try await log.list(
                AuditFilter(entityType: "match_run"), within: SeededCounty.county.scope, reader: nil)
            #expect(county.items.map(\.entry.entityID) == [String(run)])
            let everything = try await log.list(AuditFilter(actionPrefix: "charity.suspend"), within: nil, reader: nil)
            #expect(Set(everything.items.map(\.entry.entityID)) == [String(charity), String(stranger)])
            let ids = scoped.items.map(\.entry.id)
            #expect(ids == ids.sorted(by: >), "newest first")
            await #expect(
                throws: StoreError.invalid(
                    field: "action", reason: "must be a dotted lower-case action such as match.approve")
            ) {
                try await log.list(AuditFilter(actionPrefix: "Match"), within: nil, reader: nil)
            }
            let now = Date()
            await #expect(throws: StoreError.self) {
                try await log.list(AuditFilter(from: now, until: now), within: nil, reader: nil)
            }
        }
    }

    @Test func regionNamesAreReadForTheCodesGiven() async throws {
        try await SeededCounty.with("coord_names") { _, client in
            let names = RegionRepository(client: client)
            let county = try await client.query("SELECT name FROM regions WHERE code = '320508000000'")[0]
                .decode(String.self, "name")
            #expect(
                try await names.names(of: ["320508000000", "999999999999", "320508000000"]) == ["320508000000": county])
            #expect(try await names.names(of: []).isEmpty)
        }
    }
}
