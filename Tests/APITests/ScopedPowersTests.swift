import Foundation
import HTTPTypes
import Matching
import Store
import Testing

@testable import API

/// Findings 1 and 3 of "one set of rules on every path": weight policies and sanctions reach
/// only inside the region of the coordinator who decides them, and no write of a
/// coordinator of another place has any effect here.
@Suite("Scoped powers: policies, sanctions and every write route by another place's coordinator")
struct ScopedPowersTests {
    static let standardWeights = #"{"name":"standard","weights":{"deadline_fit":1}}"#

    @Test func weightPoliciesBelongToTheRegionThatPublishedThem() async throws {
        try await APIFixture.with("policy-scope") { fixture in
            let township = try await OutsideCoordinators.townshipOf(fixture, county: APIFixture.county)
            let extra = try await OutsideCoordinators.make(fixture, [("township-coordinator", township)])
            try await fixture.test { api in
                let refused = try await api.call(
                    .post, "/v1/weight-policies", as: .anonymous, json: Self.standardWeights,
                    headers: extra.bearer("township-coordinator"))
                #expect(refused.status == .forbidden)
                let published = try await api.call(
                    .post, "/v1/weight-policies", as: .coordinator, json: Self.standardWeights)
                #expect(published.status == .created)
                #expect(published["region"]?.stringValue == APIFixture.county)
                let elsewhere = try await api.call(
                    .post, "/v1/weight-policies", as: .coordinator,
                    json: #"{"name":"standard","weights":{"urgency":1},"region":"320509000000"}"#)
                #expect(elsewhere.status == .unprocessableContent)
                #expect(elsewhere.errorFields == ["/region"])

                let ours = try await api.call(
                    .post, "/v1/match-runs", as: .coordinator,
                    json: #"{"region":"\#(APIFixture.county)000000","dry_run":true}"#)
                #expect(ours["policy_region"]?.stringValue == APIFixture.county)
                let theirs = try await api.call(
                    .post, "/v1/match-runs", as: .otherCaseworker,
                    json: #"{"region":"\#(APIFixture.otherCounty)000000","dry_run":true}"#)
                #expect(theirs["policy_region"]?.stringValue == "", "another county keeps the national policy")
                #expect(theirs["policy_version"] == .integer(1))
                let national = try await fixture.scalar(
                    Int.self, "SELECT count(*)::int FROM weight_policies WHERE region_prefix = '' AND active")
                #expect(national == 1)
            }
        }
    }

    @Test func aCoordinatorsSuspensionHoldsInsideTheirRegionOnly() async throws {
        try await APIFixture.with("sanction-scope") { fixture in
            let township = try await OutsideCoordinators.townshipOf(fixture, county: APIFixture.county)
            let extra = try await OutsideCoordinators.make(
                fixture, [("township-coordinator", township), ("other-county", APIFixture.otherCounty + "000000")])
            let charity = try await fixture.scalar(
                Int64.self,
                """
                SELECT min(charity_id) FROM offers o
                 WHERE o.status = 'open'
                   AND NOT EXISTS (SELECT 1 FROM offers x, unnest(x.service_region_prefixes) p
                                    WHERE x.charity_id = o.charity_id AND (p LIKE '320509%' OR '320509' LIKE p || '%'))
                   AND EXISTS (SELECT 1 FROM offers x, unnest(x.service_region_prefixes) p
                                WHERE x.charity_id = o.charity_id AND left($1, length(p)) = p)
                """, [township])
            try await fixture.test { api in
                let body = #"{"reason":"投诉核查中"}"#
                let foreign = try await api.call(
                    .post, "/v1/charities/\(charity)/suspend", as: .anonymous, json: body,
                    headers: extra.bearer("other-county"))
                #expect(foreign.status == .notFound, "a charity not at work in 320509 reads as missing there")
                let ban = try await api.call(.post, "/v1/charities/\(charity)/ban", as: .coordinator, json: body)
                #expect(ban.status == .forbidden, "bans are an administrator's")
                let local = try await api.call(
                    .post, "/v1/charities/\(charity)/suspend", as: .anonymous, json: body,
                    headers: extra.bearer("township-coordinator"))
                #expect(local.status == .ok)
                #expect(local["status"]?.stringValue == "active", "the rest of the country is untouched")
                let again = try await api.call(
                    .post, "/v1/charities/\(charity)/suspend", as: .anonymous, json: body,
                    headers: extra.bearer("township-coordinator"))
                #expect(again.status == .conflict)
                let stored = try await fixture.scalar(
                    String.self, "SELECT region_prefix FROM charity_suspensions WHERE charity_id = $1", [charity])
                #expect(stored == String(township.prefix(9)))

                let region = try #require(RegionCode(APIFixture.county + "000000"))
                let (report, _) = try await fixture.services.runs.run(
                    MatchingRunRequest(region: region, now: APIFixture.asOf))
                let inside = try await fixture.scalar(
                    Int.self,
                    """
                    SELECT count(*)::int FROM matches m JOIN offers o ON o.id = m.offer_id
                      JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                     WHERE m.run_id = $1 AND o.charity_id = $2 AND h.region_code LIKE $3 || '%'
                    """, [report.runID ?? 0, charity, String(township.prefix(9))])
                #expect(inside == 0, "the suspended charity's offers serve nobody in the township")
                let lifted = try await api.call(
                    .post, "/v1/charities/\(charity)/reinstate", as: .anonymous,
                    headers: extra.bearer("township-coordinator"))
                #expect(lifted.status == .ok)
                let inForce = try await fixture.scalar(
                    Int.self, "SELECT count(*)::int FROM charity_suspensions WHERE lifted_at IS NULL")
                #expect(inForce == 0)
            }
        }
    }

    /// Every POST and PUT of the contract, sent by a county and a township coordinator of
    /// 320509 at this county's objects: each is refused and nothing changes.
    @Test func noWriteOfAnotherPlacesCoordinatorHasAnyEffectHere() async throws {
        try await APIFixture.with("write-walk") { fixture in
            let township = try await OutsideCoordinators.townshipOf(fixture, county: APIFixture.otherCounty)
            let extra = try await OutsideCoordinators.make(
                fixture, [("other-county", APIFixture.otherCounty + "000000"), ("other-township", township)])
            let targets = try await MatrixTargets.make(fixture)
            let before = try await OutsideCoordinators.fingerprint(fixture)
            // Marking one's own inbox read is a write on one's own account, not on this place.
            let writes = fixture.services.contract.document.operations.filter {
                ($0.method == "post" || $0.method == "put") && $0.requiresAuthentication
                    && !$0.pathTemplate.hasPrefix("/v1/imports") && !$0.pathTemplate.hasPrefix("/v1/inbox")
            }
            #expect(writes.count >= 25)
            try await fixture.test { api in
                for login in ["other-county", "other-township"] {
                    for operation in writes {
                        let path = operation.pathTemplate.replacingOccurrences(
                            of: "{id}", with: String(OutsideCoordinators.target(of: operation.pathTemplate, targets)))
                        var headers = extra.bearer(login)
                        if operation.method == "put" { headers[.ifMatch] = "\"1\"" }
                        let answer = try await api.call(
                            operation.method == "put" ? .put : .post, path, as: .anonymous,
                            json: operation.requestBody == nil
                                ? nil : OutsideCoordinators.body(for: operation.pathTemplate),
                            headers: headers)
                        #expect(
                            (400..<500).contains(answer.status.code),
                            "\(login) \(operation.method) \(path) answered \(answer.status.code)")
                    }
                }
            }
            #expect(try await OutsideCoordinators.fingerprint(fixture) == before)
        }
    }
}
