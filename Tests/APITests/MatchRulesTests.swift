import Foundation
import HTTPTypes
import Postgres
import Testing

@testable import API

/// Findings 2, 7 and 9 of "one set of rules on every path": hand-made proposals are held to
/// the engine, idempotent replays answer under the caller's current rights, charities
/// cannot link matches to needs or runs, and a banned charity cannot accept.
@Suite("Hand-made proposals, replays, charity filters and bans")
struct MatchRulesTests {
    /// A need of the caseworker's township that a run would pair with an offer, with the
    /// ranked candidate as `GET …/candidates` shows it.
    static func rankedPair(_ api: APIDriver, _ fixture: APIFixture) async throws -> (need: Int64, offer: JSONValue) {
        let township = try await fixture.scalar(String.self, "SELECT region_code FROM users WHERE login = 'caseworker'")
        let needs = try await fixture.client.query(
            """
            SELECT n.id FROM needs n JOIN households h ON h.id = n.household_id
             WHERE n.status = 'open' AND h.region_code LIKE $1 || '%' ORDER BY n.id LIMIT 40
            """, [String(township.prefix(9))]
        ).map { try $0.decode(Int64.self, "id") }
        for need in needs {
            let candidates = try await api.call(.get, "/v1/needs/\(need)/candidates?limit=1", as: .caseworker)
            if let first = candidates["ranked"]?.arrayValue?.first { return (need, first) }
        }
        throw CancellationError()
    }

    @Test func aHandMadeProposalIsJudgedAndScoredAsARunWouldDoIt() async throws {
        try await APIFixture.with("hand-made") { fixture in
            try await fixture.test { api in
                let (need, candidate) = try await Self.rankedPair(api, fixture)
                guard case .integer(let offer)? = candidate["offer_id"] else { throw CancellationError() }
                let body = #"{"need_id":\#(need),"offer_id":\#(offer),"units":900}"#
                #expect(try await api.call(.post, "/v1/matches", as: .coordinator, json: body).status == .forbidden)
                let made = try await api.call(.post, "/v1/matches", as: .caseworker, json: body)
                #expect(made.status == .created, "\(made.text)")
                #expect(made["units"] == candidate["units"], "units are capped at what the need lacks")
                #expect(made["score_micro"] == candidate["breakdown"]?["score_micro"])
                #expect(made["run_id"] == nil)
                let twice = try await api.call(.post, "/v1/matches", as: .caseworker, json: body)
                #expect(twice.status == .conflict)
                #expect(twice.text.contains("already_matched") || twice.text.contains("need_fully_covered"))

                let otherKind = try await fixture.scalar(
                    Int64.self,
                    """
                    SELECT min(o.id) FROM offers o JOIN categories c ON c.id = o.category_id
                     WHERE o.status = 'open' AND '320508' = ANY (o.service_region_prefixes)
                       AND c.parent_id <> (SELECT c2.parent_id FROM needs n JOIN categories c2 ON c2.id = n.category_id
                                            WHERE n.id = $1)
                    """, [need])
                let mismatch = try await api.call(
                    .post, "/v1/matches", as: .caseworker, json: #"{"need_id":\#(need),"offer_id":\#(otherKind)}"#)
                #expect(mismatch.status == .conflict)
                #expect(mismatch["type"]?.stringValue?.hasSuffix("ineligible-pair") == true)
                #expect(mismatch.text.contains("category_mismatch"))

                let far = try await fixture.scalar(
                    Int64.self,
                    """
                    SELECT min(id) FROM offers WHERE status = 'open' AND cardinality(service_region_prefixes) > 0
                       AND NOT EXISTS (SELECT 1 FROM unnest(service_region_prefixes) p WHERE p NOT LIKE '320509%')
                    """)
                let foreign = try await api.call(
                    .post, "/v1/matches", as: .caseworker, json: #"{"need_id":\#(need),"offer_id":\#(far)}"#)
                let missing = try await api.call(
                    .post, "/v1/matches", as: .caseworker, json: #"{"need_id":\#(need),"offer_id":99999999}"#)
                #expect(foreign.status == .notFound && missing.status == .notFound)
                #expect(foreign["type"] == missing["type"] && foreign["title"] == missing["title"])

                let charity = try await fixture.scalar(
                    Int64.self, "SELECT charity_id FROM offers WHERE id = $1", [offer])
                _ = try await api.call(
                    .post, "/v1/charities/\(charity)/suspend", as: .admin, json: #"{"reason":"核查"}"#)
                let another = try await Self.secondNeed(fixture, besides: need, offer: offer)
                let suspended = try await api.call(
                    .post, "/v1/matches", as: .caseworker, json: #"{"need_id":\#(another),"offer_id":\#(offer)}"#)
                #expect(suspended.status == .conflict)
                #expect(suspended.text.contains("charity_not_active"))
            }
        }
    }

    /// An open need of the same category in the caseworker's township, for a second try.
    static func secondNeed(_ fixture: APIFixture, besides need: Int64, offer: Int64) async throws -> Int64 {
        try await fixture.scalar(
            Int64.self,
            """
            SELECT coalesce(min(n.id), $1) FROM needs n JOIN households h ON h.id = n.household_id
             WHERE n.status = 'open' AND n.id <> $1
               AND n.category_id = (SELECT category_id FROM needs WHERE id = $1)
               AND h.region_code LIKE (SELECT left(region_code, 9) FROM users WHERE login = 'caseworker') || '%'
            """, [need])
    }

    @Test func aReplayAnswersUnderTheCallersRightsOfNow() async throws {
        try await APIFixture.with("replay") { fixture in
            try await fixture.test { api in
                let (need, candidate) = try await Self.rankedPair(api, fixture)
                guard case .integer(let offer)? = candidate["offer_id"] else { throw CancellationError() }
                let charity = try await fixture.scalar(
                    Int64.self, "SELECT charity_id FROM offers WHERE id = $1", [offer])
                let proposeKey: HTTPFields = [.idempotencyKey: "propose-1"]
                let body = #"{"need_id":\#(need),"offer_id":\#(offer)}"#
                let made = try await api.call(.post, "/v1/matches", as: .caseworker, json: body, headers: proposeKey)
                #expect(made.status == .created, "\(made.text)")
                let again = try await api.call(.post, "/v1/matches", as: .caseworker, json: body, headers: proposeKey)
                #expect(again.status == .created && again.headers[.idempotencyReplayed] == "true", "\(again.text)")
                #expect(again.id == made.id && again.headers[.location] == made.headers[.location])
                let match = try #require(made.id)
                _ = try await api.call(.post, "/v1/matches/\(match)/approve", as: .coordinator)
                // The fixture's charity staff act for one charity; this match may be another's.
                try await fixture.client.query(
                    "UPDATE users SET charity_id = $1 WHERE login = 'charity'", [charity])
                let acceptKey: HTTPFields = [.idempotencyKey: "accept-1"]
                let accepted = try await api.call(
                    .post, "/v1/matches/\(match)/accept", as: .charity, headers: acceptKey)
                #expect(accepted["delivery"]?["household_reference"] != nil)
                let household = try await fixture.scalar(
                    Int64.self, "SELECT household_id FROM needs WHERE id = $1", [need])
                _ = try await api.call(.post, "/v1/households/\(household)/consent/withdraw", as: .caseworker)
                let replayed = try await api.call(
                    .post, "/v1/matches/\(match)/accept", as: .charity, headers: acceptKey)
                #expect(replayed.status == .ok && replayed.headers[.idempotencyReplayed] == "true")
                #expect(replayed["status"]?.stringValue == "cancelled")
                #expect(replayed["delivery"] == nil, "no contact fields after consent is withdrawn")
                let stored = try await fixture.scalar(
                    Int.self,
                    """
                    SELECT count(*)::int FROM information_schema.columns
                     WHERE table_name = 'idempotency_keys' AND column_name LIKE 'response%'
                    """)
                #expect(stored == 0, "keys hold outcomes, never answer bodies")
                let open = try await fixture.scalar(
                    Int.self, "SELECT count(*)::int FROM idempotency_keys WHERE outcome_id IS NULL")
                #expect(open == 0, "every committed key has its outcome")
            }
        }
    }

    @Test func charitiesCannotLinkMatchesToNeedsOrRunsAndABannedOneCannotAccept() async throws {
        try await APIFixture.with("charity-holes") { fixture in
            let targets = try await MatrixTargets.make(fixture)
            try await fixture.test { api in
                for parameter in ["need_id=\(targets.nearNeed)", "run_id=\(targets.runs[0].id)"] {
                    let filtered = try await api.call(.get, "/v1/matches?\(parameter)", as: .charity)
                    #expect(filtered.status == .badRequest, "\(parameter)")
                }
                let match = targets.ourMatch
                try await fixture.client.query(
                    "UPDATE needs SET status = 'open' WHERE id = (SELECT need_id FROM matches WHERE id = $1)", [match])
                let approved = try await api.call(.post, "/v1/matches/\(match)/approve", as: .admin)
                #expect(approved.status == .ok, "\(approved.text)")
                _ = try await api.call(
                    .post, "/v1/charities/\(fixture.charity)/ban", as: .admin, json: #"{"reason":"违规"}"#)
                // The ban took the match over (临时接管): it is cancelled, so the charity cannot accept it.
                let accept = try await api.call(.post, "/v1/matches/\(match)/accept", as: .charity)
                #expect(accept.status == .conflict)
                let status = try await fixture.scalar(
                    String.self, "SELECT status || '/' || reason_code FROM matches WHERE id = $1", [match])
                #expect(status == "cancelled/taken_over")
            }
        }
    }
}
