import Foundation
import Matching
import Postgres
import Store
import TestSupport
import Testing

@Suite("Match lists and scoped reads")
struct MatchListTests {
    /// A seeded county after one persisted run, with a few of its proposals moved on.
    private static func withProposals(_ label: String, _ body: (PostgresClient) async throws -> Void) async throws {
        try await SeededCounty.with(label) { _, client in
            let request = MatchingRunRequest(
                region: SeededCounty.county, now: SeededCounty.asOf.addingTimeInterval(12 * 3600))
            _ = try await MatchingRuns(client: client).run(request)
            let repository = MatchRepository(client: client)
            let ids = try await client.query("SELECT id FROM matches ORDER BY id").map {
                try $0.decode(Int64.self, "id")
            }
            for id in ids.prefix(12) where id % 3 == 0 { _ = try await repository.approve(match: id, by: .system) }
            for id in ids.prefix(12) where id % 3 == 1 {
                _ = try await repository.apply(.reject, to: id, by: .system, reasonCode: "not_eligible")
            }
            try await body(client)
        }
    }

    /// Every item of every page of `filter`, checking that pages are ordered and bounded.
    private static func everything(
        _ repository: MatchRepository, _ filter: MatchFilter, pageSize: Int = 7
    ) async throws -> (ids: [Int64], pages: Int) {
        var ids: [Int64] = []
        var cursor: Int64?
        var pages = 0
        repeat {
            let page = try await repository.list(filter, page: PageRequest(after: cursor, limit: pageSize))
            #expect(page.items.count <= pageSize)
            #expect(page.nextCursor == nil || page.items.count == pageSize)
            ids += page.items.map(\.id)
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil
        #expect(ids == ids.sorted())
        return (ids, pages)
    }

    private static func ids(
        _ client: PostgresClient, _ sql: String, _ parameters: [any PostgresEncodable] = []
    ) async throws
        -> [Int64]
    {
        try await client.query(sql, parameters).map { try $0.decode(Int64.self, at: 0) }
    }

    @Test func pagesWalkEveryMatchOnceInIdOrder() async throws {
        try await Self.withProposals("mlist_pages") { client in
            let repository = MatchRepository(client: client)
            let (listed, pages) = try await Self.everything(repository, MatchFilter())
            #expect(listed == (try await Self.ids(client, "SELECT id FROM matches ORDER BY id")))
            #expect(listed.count > 20 && pages > 2)
            let first = try await repository.list(MatchFilter(), page: PageRequest(limit: 3))
            let second = try await repository.list(MatchFilter(), page: PageRequest(after: first.nextCursor, limit: 3))
            #expect(first.items.map(\.id) + second.items.map(\.id) == Array(listed.prefix(6)))
        }
    }

    @Test func eachFilterListsWhatTheTablesSay() async throws {
        try await Self.withProposals("mlist_filters") { client in
            let repository = MatchRepository(client: client)
            let sample = try await client.query(
                """
                SELECT m.id, m.run_id, m.offer_id, m.need_id, n.category_id, c.parent_id, h.region_code, o.charity_id
                  FROM matches m JOIN needs n ON n.id = m.need_id JOIN categories c ON c.id = n.category_id
                  JOIN households h ON h.id = n.household_id JOIN offers o ON o.id = m.offer_id
                 WHERE m.status = 'approved' ORDER BY m.id LIMIT 1
                """)[0]
            let run = try sample.decode(Int64.self, "run_id")
            let offer = try sample.decode(Int64.self, "offer_id")
            let need = try sample.decode(Int64.self, "need_id")
            let category = try sample.decode(Int64.self, "category_id")
            let group = try sample.decode(Int64.self, "parent_id")
            let region = try #require(RegionCode(try sample.decode(String.self, "region_code")))
            let charity = try sample.decode(Int64.self, "charity_id")
            let township = try #require(region.ancestor(at: .township)).scope
            let base = """
                SELECT m.id FROM matches m JOIN needs n ON n.id = m.need_id JOIN categories c ON c.id = n.category_id
                  JOIN households h ON h.id = n.household_id JOIN offers o ON o.id = m.offer_id WHERE
                """
            let cases: [(MatchFilter, String, [any PostgresEncodable])] = [
                (MatchFilter(status: .approved), "m.status = 'approved'", []),
                (MatchFilter(status: .rejected), "m.status = 'rejected'", []),
                (MatchFilter(run: run), "m.run_id = $1", [run]),
                (MatchFilter(offer: offer), "m.offer_id = $1", [offer]),
                (MatchFilter(need: need), "m.need_id = $1", [need]),
                (MatchFilter(category: category), "n.category_id = $1", [category]),
                (MatchFilter(category: group), "c.parent_id = $1", [group]),
                (MatchFilter(region: SeededCounty.county.scope), "h.region_code LIKE '320508%'", []),
                (MatchFilter(region: township), "h.region_code LIKE $1 || '%'", [township.prefix]),
                (MatchFilter(region: region.scope), "h.region_code = $1", [region.digits]),
                (MatchFilter(charity: charity), "o.charity_id = $1", [charity]),
                (
                    MatchFilter(status: .approved, category: group, region: township, charity: charity),
                    "m.status = 'approved' AND c.parent_id = $1 AND h.region_code LIKE $2 || '%' AND o.charity_id = $3",
                    [group, township.prefix, charity]
                ),
                (
                    MatchFilter(status: .approved, region: region.scope, charity: charity),
                    "m.status = 'approved' AND h.region_code = $1 AND o.charity_id = $2", [region.digits, charity]
                ),
            ]
            for (filter, condition, parameters) in cases {
                let expected = try await Self.ids(client, base + " " + condition + " ORDER BY m.id", parameters)
                #expect(!expected.isEmpty, "\(filter)")
                let (listed, _) = try await Self.everything(repository, filter, pageSize: 4)
                #expect(listed == expected, "\(filter)")
            }
            let nowhere = try await repository.list(
                MatchFilter(region: try #require(RepositoryFixtures.elsewhere)), page: PageRequest())
            #expect(nowhere.items.isEmpty && nowhere.nextCursor == nil)
        }
    }

    @Test func aSingleMatchOutsideTheCallersCharityOrRegionLooksMissing() async throws {
        try await Self.withProposals("mlist_visible") { client in
            let repository = MatchRepository(client: client)
            let row = try await client.query(
                """
                SELECT m.id, h.region_code, o.charity_id FROM matches m JOIN needs n ON n.id = m.need_id
                  JOIN households h ON h.id = n.household_id JOIN offers o ON o.id = m.offer_id
                 ORDER BY m.id LIMIT 1
                """)[0]
            let id = try row.decode(Int64.self, "id")
            let region = try #require(RegionCode(try row.decode(String.self, "region_code")))
            let charity = try row.decode(Int64.self, "charity_id")
            let otherCharity = try await client.query(
                "SELECT min(id) AS id FROM charities WHERE id <> $1", [charity])[0].decode(Int64.self, "id")
            let otherTownship = try await client.query(
                "SELECT min(code) AS code FROM regions WHERE level = 4 AND code <> $1",
                [try #require(region.ancestor(at: .township)).digits])[0].decode(String.self, "code")
            let mine = MatchFilter(region: region.scope, charity: charity)
            #expect(try await repository.match(id: id, visibleTo: mine)?.id == id)
            #expect(try await repository.match(id: id, visibleTo: MatchFilter())?.id == id)
            #expect(try await repository.match(id: id, visibleTo: MatchFilter(charity: otherCharity)) == nil)
            #expect(
                try await repository.match(
                    id: id, visibleTo: MatchFilter(region: try #require(RegionCode(otherTownship)).scope)) == nil)
            let elsewhere = try #require(RepositoryFixtures.elsewhere)
            #expect(try await repository.match(id: id, visibleTo: MatchFilter(region: elsewhere)) == nil)
            #expect(try await repository.match(id: 9_999_999, visibleTo: MatchFilter()) == nil)
            // Only reach counts for a single read: a status that does not match changes nothing.
            #expect(try await repository.match(id: id, visibleTo: MatchFilter(status: .delivered))?.id == id)
        }
    }

    @Test func aPageSizeOutOfRangeNamesTheLimit() async throws {
        try await RepositoryFixtures.with("mlist_limit") { client in
            for limit in [0, PageRequest<Int64>.maximumLimit + 1] {
                await #expect(throws: StoreError.invalid(field: "limit", reason: "must be between 1 and 500")) {
                    _ = try await MatchRepository(client: client).list(MatchFilter(), page: PageRequest(limit: limit))
                }
            }
        }
    }
}
