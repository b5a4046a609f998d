import Foundation
import HTTPTypes
import Postgres
import Testing

@testable import API
@testable import Store

/// Issue 13: a permanent ban (finding 4) and the cool-down of refused pairs, over HTTP.
@Suite("Permanent bans and cool-downs over /v1")
struct FairnessAndBanTests {
    /// Before: `banned_until` was stored as `infinity`, every candidates answer that weighed
    /// one of the charity's offers was a 500, and the charity read `banned_until: null`.
    @Test func aPermanentBanIsSaidOutrightAndEveryNeedStillHasItsCandidates() async throws {
        try await APIFixture.with("permanent_ban") { fixture in
            let busiest = try await fixture.scalar(
                Int64.self,
                """
                SELECT o.charity_id FROM offers o JOIN charities ch ON ch.id = o.charity_id
                 WHERE o.status = 'open' AND ch.status = 'active'
                 GROUP BY o.charity_id ORDER BY count(*) DESC, o.charity_id LIMIT 1
                """)
            let needs = try await fixture.client.query(
                """
                SELECT n.id FROM needs n JOIN households h ON h.id = n.household_id
                 WHERE h.region_code LIKE $1 || '%' AND n.status = 'open' ORDER BY n.id LIMIT 30
                """, [APIFixture.county]
            ).map { try $0.decode(Int64.self, "id") }
            try await fixture.test { api in
                let banned = try await api.call(
                    .post, "/v1/charities/\(busiest)/ban", as: .admin, json: #"{"reason":"禁入：骗取救助资源"}"#)
                #expect(banned.status == .ok)
                #expect(banned["status"]?.stringValue == "banned" && banned["banned_permanently"] == .bool(true))
                #expect(banned["banned_until"] == nil)
                let read = try await api.call(.get, "/v1/charities/\(busiest)", as: .coordinator)
                #expect(read["banned_permanently"] == .bool(true))
                var inactive = 0
                for need in needs {
                    for query in ["", "?explain=ineligible&limit=100"] {
                        let answer = try await api.call(.get, "/v1/needs/\(need)/candidates\(query)", as: .coordinator)
                        #expect(answer.status == .ok, "need \(need)\(query): \(answer.status.code)")
                        for offer in answer["ineligible"]?.arrayValue ?? []
                        where offer["charity_id"] == .integer(busiest) {
                            let codes = (offer["reasons"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
                            if codes.contains("charity_not_active") { inactive += 1 }
                        }
                    }
                }
                #expect(inactive > 0, "the banned charity's offers are explained as not active")
                // A dated ban is not permanent and says when it ends.
                let other = fixture.otherCharity == busiest ? fixture.charity : fixture.otherCharity
                let dated = try await api.call(
                    .post, "/v1/charities/\(other)/ban", as: .admin,
                    json: #"{"reason":"限期整改","until":"2099-01-01T00:00:00Z"}"#)
                #expect(dated["banned_permanently"] == .bool(false) && dated["banned_until"] != nil)
            }
        }
    }

    /// A refused pair is explained as `refused_recently`; a coordinator of the region clears
    /// it (audited) and the pair ranks again; a caseworker may not clear.
    @Test func aCoordinatorClearsARefusedPairAndItRanksAgain() async throws {
        try await APIFixture.with("cool_down") { fixture in
            try await fixture.test { api in
                let needs = try await fixture.client.query(
                    """
                    SELECT n.id FROM needs n JOIN households h ON h.id = n.household_id
                     WHERE h.region_code LIKE $1 || '%' AND n.status = 'open' ORDER BY n.id LIMIT 200
                    """, [APIFixture.county]
                ).map { try $0.decode(Int64.self, "id") }
                var chosen: (need: Int64, offer: Int64)?
                for need in needs where chosen == nil {
                    let answer = try await api.call(.get, "/v1/needs/\(need)/candidates", as: .coordinator)
                    if case .integer(let offer)? = answer["ranked"]?.arrayValue?.first?["offer_id"] {
                        chosen = (need, offer)
                    }
                }
                let (need, offer) = try #require(chosen)
                let match = try await MatchRepository(client: fixture.client).insertUncheckedProposal(
                    need: need, offer: offer, units: 1, by: .system)
                let rejected = try await api.call(
                    .post, "/v1/matches/\(match.id)/reject", as: .coordinator,
                    json: #"{"reason_code":"not_eligible"}"#)
                #expect(rejected.status == .ok)

                let explained = try await api.call(
                    .get, "/v1/needs/\(need)/candidates?explain=ineligible&limit=100", as: .coordinator)
                let excluded = explained["ineligible"]?.arrayValue?.first { $0["offer_id"] == .integer(offer) }
                let codes = (excluded?["reasons"]?.arrayValue ?? []).compactMap { $0["code"]?.stringValue }
                #expect(codes == ["refused_recently"])
                #expect(
                    explained["ranked"]?.arrayValue?.contains { $0["offer_id"] == .integer(offer) } == false)

                let path = "/v1/needs/\(need)/cooldowns/clear"
                let refused = try await api.call(.post, path, as: .caseworker, json: "{}")
                #expect(refused.status == .forbidden)
                let elsewhere = try await api.call(.post, path, as: .otherCaseworker, json: "{}")
                #expect(elsewhere.status == .forbidden)
                let cleared = try await api.call(.post, path, as: .coordinator, json: #"{"offer_id":\#(offer)}"#)
                #expect(cleared.status == .ok)
                #expect(cleared["cleared_offer_ids"] == .array([.integer(offer)]))
                let again = try await api.call(.post, path, as: .coordinator, json: "{}")
                #expect(again["cleared_offer_ids"] == .array([]))
                let audits = try await fixture.scalar(
                    Int.self,
                    "SELECT count(*)::int FROM audit_log WHERE action = 'need.clear_cool_down' AND entity_id = $1",
                    [String(need)])
                #expect(audits == 2)

                let ranked = try await api.call(.get, "/v1/needs/\(need)/candidates?limit=100", as: .coordinator)
                #expect(ranked["ranked"]?.arrayValue?.contains { $0["offer_id"] == .integer(offer) } == true)
            }
        }
    }
}
