import Foundation
import HTTPTypes
import Postgres
import Testing

@testable import API
@testable import Store

@Suite("Idempotency, If-Match and capacity under concurrent requests")
struct ConcurrencyTests {
    @Test func aRetriedCreateReplaysItsFirstAnswerAndAnotherBodyIsRefused() async throws {
        try await APIFixture.with("idempotent") { fixture in
            try await fixture.test { api in
                let key: HTTPFields = [.idempotencyKey: "offer-2026-11-27-a"]
                let first = try await api.call(
                    .post, "/v1/offers", as: .charity, json: TestData.offerBody, headers: key)
                #expect(first.status == .created)
                let again = try await api.call(
                    .post, "/v1/offers", as: .charity, json: TestData.offerBody, headers: key)
                #expect(again.status == .created)
                #expect(again.body == first.body)
                #expect(again.headers[.idempotencyReplayed] == "true")
                let other = TestData.offerBody.replacingOccurrences(of: "\"capacity\":40", with: "\"capacity\":41")
                let reused = try await api.call(.post, "/v1/offers", as: .charity, json: other, headers: key)
                #expect(reused.status == .unprocessableContent)
                #expect(reused["type"]?.stringValue?.hasSuffix("idempotency-key-reused") == true)
                let offers = try await fixture.scalar(
                    Int.self, "SELECT count(*)::int FROM offers WHERE title = '冬季食品包'")
                #expect(offers == 1)
                let refused = try await api.call(
                    .post, "/v1/offers", as: .charity, json: #"{"title":"x","capacity":0}"#,
                    headers: [.idempotencyKey: "offer-bad"])
                #expect(refused.status == .unprocessableContent)
                let keys = try await fixture.scalar(
                    Int.self, "SELECT count(*)::int FROM idempotency_keys WHERE key = 'offer-bad'")
                #expect(keys == 0, "a refused request keeps no key, so fixing and retrying works")
            }
        }
    }

    @Test func concurrentDuplicatesDoTheWorkOnce() async throws {
        try await APIFixture.with("duplicates") { fixture in
            try await fixture.test { api in
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for _ in 0..<16 {
                        group.addTask {
                            try await api.call(
                                .post, "/v1/offers", as: .charity, json: TestData.offerBody,
                                headers: [.idempotencyKey: "same-key"]
                            ).status.code
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses.allSatisfy { $0 == 201 || $0 == 409 }, "\(statuses)")
                #expect(statuses.contains(201))
                let offers = try await fixture.scalar(
                    Int.self, "SELECT count(*)::int FROM offers WHERE title = '冬季食品包'")
                #expect(offers == 1)
            }
        }
    }

    @Test func concurrentUpdatesOfOneVersionLetExactlyOneThrough() async throws {
        try await APIFixture.with("ifmatch") { fixture in
            try await fixture.test { api in
                let created = try await api.call(.post, "/v1/offers", as: .charity, json: TestData.offerBody)
                let id = try #require(created.id)
                let etag = try #require(created.headers[.eTag])
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for capacity in 50..<62 {
                        group.addTask {
                            let body = TestData.offerBody.replacingOccurrences(
                                of: "\"capacity\":40", with: "\"capacity\":\(capacity)")
                            return try await api.call(
                                .put, "/v1/offers/\(id)", as: .charity, json: body, headers: [.ifMatch: etag]
                            ).status.code
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == 200 }.count == 1, "\(statuses)")
                #expect(statuses.filter { $0 == 412 }.count == 11, "\(statuses)")
            }
        }
    }

    @Test(arguments: [1, 9, 30])
    func sixtyFourConcurrentApprovalsReserveExactlyTheCapacity(capacity: Int) async throws {
        try await APIFixture.with("approvals") { fixture in
            let offer = try await fixture.scalar(
                Int64.self,
                """
                INSERT INTO offers (charity_id, category_id, title, capacity, unit, service_region_prefixes)
                SELECT $1, c.id, 'capacity test', $2, 'portion', ARRAY['320508']
                  FROM categories c WHERE c.code = 'material.food'
                RETURNING id
                """, [fixture.charity, capacity])
            let needs = try await fixture.client.query(
                """
                SELECT n.id FROM needs n JOIN households h ON h.id = n.household_id
                 WHERE n.status = 'open' AND h.region_code LIKE '320508%' ORDER BY n.id LIMIT 64
                """
            ).map { try $0.decode(Int64.self, "id") }
            try #require(needs.count == 64)
            var matches: [Int64] = []
            for need in needs {
                matches.append(
                    try await MatchRepository(client: fixture.client)
                        .insertUncheckedProposal(need: need, offer: offer, units: 1, by: .system).id)
            }
            let proposed = matches
            try await fixture.test { api in
                let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                    for match in proposed {
                        group.addTask {
                            try await api.call(.post, "/v1/matches/\(match)/approve", as: .coordinator).status.code
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
                #expect(statuses.filter { $0 == 200 }.count == capacity)
                #expect(statuses.filter { $0 == 409 }.count == 64 - capacity)
            }
            let approved = try await fixture.scalar(
                Int.self, "SELECT count(*)::int FROM matches WHERE offer_id = $1 AND status = 'approved'", [offer])
            let allocated = try await fixture.scalar(Int.self, "SELECT allocated FROM offers WHERE id = $1", [offer])
            #expect(approved == capacity)
            #expect(allocated == capacity)
        }
    }
}
