import Foundation
import HTTPTypes
import Postgres
import Testing

@testable import API

@Suite("/v1/evaluations and /v1/public/evaluations")
struct EvaluationEndpointTests {
    @Test func aCoordinatorComputesScoresAndPublishesOnceAndThePublicReadsIt() async throws {
        try await APIFixture.with("evaluations") { fixture in
            // The charity delivered one match and declined another in our county this quarter.
            let offer = try await fixture.scalar(
                Int64.self,
                """
                INSERT INTO offers (charity_id, category_id, title, capacity, allocated, unit, service_region_prefixes)
                SELECT $1, c.id, 'evaluation test', 10, 1, 'portion', ARRAY['\(APIFixture.county)']
                  FROM categories c WHERE c.code = 'material' RETURNING id
                """, [fixture.charity])
            try await fixture.client.query(
                """
                INSERT INTO matches (need_id, offer_id, units, status, decided_at, reason_code, receipt_status)
                SELECT n.id, $1, 1, u.status, now(), u.reason, u.receipt
                  FROM (SELECT n.id, row_number() OVER (ORDER BY n.id) AS k FROM needs n
                          JOIN households h ON h.id = n.household_id JOIN categories c ON c.id = n.category_id
                         WHERE n.status = 'open' AND c.code LIKE 'material.%' AND h.region_code LIKE $2 || '%') n
                  JOIN (VALUES (1, 'delivered', NULL, 'pending'), (2, 'declined', 'no_capacity', NULL))
                       AS u (k, status, reason, receipt) ON u.k = n.k
                """, [offer, APIFixture.county])
            try await fixture.test { api in
                let badPeriod = try await api.call(
                    .post, "/v1/evaluations", as: .coordinator, json: #"{"period":"2026Q5"}"#)
                #expect([400, 422].contains(badPeriod.status.code))
                #expect(badPeriod.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                #expect(try await api.call(.post, "/v1/evaluations", as: .caseworker, json: "{}").status == .forbidden)

                let draft = try await api.call(.post, "/v1/evaluations", as: .coordinator, json: "{}")
                #expect(draft.status == .created)
                let id = try #require(draft.id)
                #expect(draft.headers[.location] == "/v1/evaluations/\(id)")
                #expect(draft["status"]?.stringValue == "draft" && draft["region"]?.stringValue == APIFixture.county)
                let row = try #require(
                    draft["charities"]?.arrayValue?.first { $0["charity_id"] == .integer(fixture.charity) })
                #expect(row["figures"]?["delivered"] == .integer(1) && row["figures"]?["lapsed"] == .integer(1))
                #expect(row["figures"]?["confirmed"] == .integer(0))

                let listed = try await api.call(.get, "/v1/evaluations?status=draft", as: .coordinator)
                #expect(listed["items"]?.arrayValue?.count == 1)
                #expect(try await api.call(.get, "/v1/evaluations?period=Q4", as: .coordinator).status == .badRequest)
                #expect(try await api.call(.get, "/v1/evaluations", as: .charity).status == .forbidden)
                #expect(try await api.call(.get, "/v1/evaluations/987654321", as: .coordinator).status == .notFound)

                let path = "/v1/evaluations/\(id)/charities/\(fixture.charity)"
                let outside = try await api.call(.put, path, as: .coordinator, json: #"{"score":101}"#)
                #expect([400, 422].contains(outside.status.code))
                let scored = try await api.call(.put, path, as: .coordinator, json: #"{"score":70,"note":"回访及时"}"#)
                #expect(scored.status == .ok)
                let scoredRow = scored["charities"]?.arrayValue?.first { $0["charity_id"] == .integer(fixture.charity) }
                #expect(scoredRow?["coordinator_score"] == .integer(70))
                #expect(
                    try await api.call(
                        .put, "/v1/evaluations/\(id)/charities/987654321", as: .coordinator, json: #"{"score":5}"#
                    )
                    .status == .notFound)

                let published = try await api.call(.post, "/v1/evaluations/\(id)/publish", as: .coordinator)
                #expect(published.status == .ok && published["status"]?.stringValue == "published")
                #expect(
                    try await api.call(.post, "/v1/evaluations/\(id)/publish", as: .coordinator).status == .conflict)
                #expect(try await api.call(.put, path, as: .coordinator, json: #"{"score":1}"#).status == .conflict)
                #expect(try await api.call(.post, "/v1/evaluations", as: .coordinator, json: "{}").status == .conflict)

                let open = try await api.call(
                    .get, "/v1/public/evaluations?region=\(APIFixture.county)", as: .anonymous)
                #expect(open.status == .ok)
                let item = try #require(
                    open["items"]?.arrayValue?.first { $0["charity_id"] == .integer(fixture.charity) })
                #expect(item["score"] == scoredRow?["score"] && item["delivered"] == .null)
                let elsewhere = try await api.call(
                    .get, "/v1/public/evaluations?region=\(APIFixture.otherCounty)", as: .anonymous)
                #expect(elsewhere["items"]?.arrayValue?.isEmpty == true)
                #expect(
                    try await api.call(.get, "/v1/public/evaluations?region=320508001", as: .anonymous).status
                        == .badRequest)
            }
        }
    }
}
