import Foundation
import HTTPTypes
import Postgres
import Testing

@testable import API

@Suite("/v1/takeovers")
struct TakeoverEndpointTests {
    @Test func aBanReleasesTheCharitysMatchesAndTheCoordinatorReMatchesThemFirst() async throws {
        try await APIFixture.with("takeovers") { fixture in
            // Two approved matches of the charity in our county, holding three units.
            let offer = try await fixture.scalar(
                Int64.self,
                """
                INSERT INTO offers (charity_id, category_id, title, capacity, allocated, unit, service_region_prefixes)
                SELECT $1, c.id, 'takeover test', 10, 3, 'portion', ARRAY['\(APIFixture.county)']
                  FROM categories c WHERE c.code = 'material' RETURNING id
                """, [fixture.charity])
            try await fixture.client.query(
                """
                INSERT INTO matches (need_id, offer_id, units, status, decided_at, hold_expires_at)
                SELECT n.id, $1, u.units, 'approved', now(), now() + interval '7 days'
                  FROM (SELECT n.id, row_number() OVER (ORDER BY n.id) AS k FROM needs n
                          JOIN households h ON h.id = n.household_id JOIN categories c ON c.id = n.category_id
                         WHERE n.status = 'open' AND c.code LIKE 'material.%' AND n.quantity >= 2
                           AND h.region_code LIKE $2 || '%' AND h.consent_given_at IS NOT NULL) n
                  JOIN (VALUES (1, 1), (2, 2)) AS u (k, units) ON u.k = n.k
                """, [offer, APIFixture.county])
            try await fixture.test { api in
                let ban = try await api.call(
                    .post, "/v1/charities/\(fixture.charity)/ban", as: .admin, json: #"{"reason":"停止履约"}"#)
                #expect(ban.status == .ok)
                #expect(try await fixture.scalar(Int.self, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 0)

                let list = try await api.call(.get, "/v1/takeovers", as: .coordinator)
                #expect(list.status == .ok)
                let item = try #require(list["items"]?.arrayValue?.first)
                #expect(item["cause"]?.stringValue == "banned" && item["matches"] == .integer(2))
                #expect(item["units"] == .integer(3))
                let id = try #require(item["id"].flatMap { if case .integer(let v) = $0 { v } else { nil } })

                let dry = try await api.call(
                    .post, "/v1/takeovers/\(id)/run", as: .coordinator, json: #"{"dry_run":true}"#)
                #expect(dry.status == .ok && dry["run_id"] == nil)
                let run = try await api.call(.post, "/v1/takeovers/\(id)/run", as: .coordinator)
                #expect(run.status == .created)
                #expect(run["needs"] == .integer(2))
                let read = try await api.call(.get, "/v1/takeovers/\(id)", as: .coordinator)
                #expect(read["run_id"] != nil && read["run_id"] == run["run_id"])

                #expect(try await api.call(.get, "/v1/takeovers", as: .charity).status == .forbidden)
                #expect(try await api.call(.post, "/v1/takeovers/\(id)/run", as: .caseworker).status == .forbidden)
                #expect(try await api.call(.get, "/v1/takeovers/987654321", as: .coordinator).status == .notFound)
                let inbox = try await api.call(.get, "/v1/inbox", as: .charity)
                #expect(inbox["items"]?.arrayValue?.contains { $0["kind"]?.stringValue == "takeover.started" } == true)
            }
        }
    }
}
