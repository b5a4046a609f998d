import Foundation
import Matching
import Postgres
import TestSupport
import Testing

@testable import Store

@Suite("A charity's offers a page at a time, both ways, under totals")
struct OfferPagesTests {
    @Test func pagesForwardAndBackCoverEveryOfferOnceAndTotalsAddUp() async throws {
        try await SeededCounty.with("offer-pages") { _, client in
            let charity = try await client.query(
                "SELECT charity_id FROM offers GROUP BY charity_id ORDER BY count(*) DESC, charity_id LIMIT 1")[0]
                .decode(Int64.self, "charity_id")
            let repository = OfferRepository(client: client)
            let all = try await client.query(
                "SELECT id FROM offers WHERE charity_id = $1 ORDER BY id", [charity]
            ).map { try $0.decode(Int64.self, "id") }
            try #require(all.count >= 3)

            var pages: [OfferPage] = [try await repository.page(charity: charity, limit: 2)]
            while let next = pages.last?.nextCursor {
                pages.append(try await repository.page(charity: charity, after: next, limit: 2))
            }
            #expect(pages.flatMap { $0.items.map(\.id) } == all)
            #expect(pages.first?.previousCursor == nil && pages.last?.nextCursor == nil)
            for index in pages.indices.dropFirst() {
                let cursor = try #require(pages[index].previousCursor)
                let back = try await repository.page(charity: charity, before: cursor, limit: 2)
                #expect(back.items.map(\.id) == pages[index - 1].items.map(\.id))
                #expect((back.previousCursor == nil) == (index == 1))
            }

            _ = try await repository.pause(offer: all[0], charity: charity, by: .system)
            let paused = try await repository.page(charity: charity, status: .paused)
            #expect(paused.items.map(\.id) == [all[0]] && paused.nextCursor == nil && paused.previousCursor == nil)
            let totals = try await repository.totals(charity: charity)
            #expect(totals.count == all.count && totals.byStatus[.paused] == 1)
            let units = try await client.query(
                """
                SELECT sum(capacity)::bigint AS capacity, sum(allocated)::bigint AS allocated
                  FROM offers WHERE charity_id = $1 AND status <> 'closed'
                """, [charity])[0]
            #expect(totals.capacity == (try units.decode(Int.self, "capacity")))
            #expect(totals.allocated == (try units.decode(Int.self, "allocated")))
        }
    }
}
