import Foundation
import HTTPTypes
import Postgres
import Store

/// Coordinators the standard fixture lacks (a township's, another county's), and what the
/// write walk sends at this county's objects.
struct OutsideCoordinators: Sendable {
    let tokens: [String: String]

    /// Authorization for the coordinator signed in as `login`.
    func bearer(_ login: String) -> HTTPFields {
        [.authorization: "Bearer \(tokens[login] ?? "")"]
    }

    /// A coordinator and a token for each (login, 12-digit region).
    static func make(_ fixture: APIFixture, _ accounts: [(String, String)]) async throws -> OutsideCoordinators {
        var tokens: [String: String] = [:]
        for (login, region) in accounts {
            let user = try await UserRepository(client: fixture.client).create(
                login: login, name: "Test \(login)", role: .coordinator, regionCode: region, charityID: nil,
                by: .system)
            tokens[login] = try await TokenRepository(client: fixture.client).issueToken(
                for: user.id, label: nil, expiresAt: nil, by: .system
            ).plaintext
        }
        return OutsideCoordinators(tokens: tokens)
    }

    /// The first township (12-digit code) of a county.
    static func townshipOf(_ fixture: APIFixture, county: String) async throws -> String {
        try await fixture.scalar(
            String.self, "SELECT min(code) FROM regions WHERE level = 4 AND code LIKE $1 || '%'", [county])
    }

    /// Everything a write could change, in one line: rows counted and versions summed.
    static func fingerprint(_ fixture: APIFixture) async throws -> String {
        try await fixture.scalar(
            String.self,
            """
            SELECT concat_ws(' ',
                (SELECT count(*) FROM audit_log), (SELECT count(*) FROM weight_policies),
                (SELECT count(*) FROM match_runs), (SELECT count(*) FROM charity_suspensions),
                (SELECT count(*) || ':' || sum(version) FROM matches), (SELECT count(*) || ':' || sum(version) FROM needs),
                (SELECT count(*) || ':' || sum(version) FROM offers),
                (SELECT count(*) || ':' || sum(version) FROM households),
                (SELECT count(*) || ':' || sum(version) FROM charities), (SELECT count(*) FROM feedback))
            """)
    }

    /// This county's object a route's `{id}` names.
    static func target(of path: String, _ targets: MatrixTargets) -> Int64 {
        switch path.split(separator: "/").dropFirst().first {
        case "charities": targets.charities[0].id
        case "offers": targets.ourOffer
        case "households": targets.nearHousehold
        case "needs": targets.nearNeed
        case "matches": targets.ourMatch
        case "match-runs": targets.runs[0].id
        default: 1
        }
    }

    /// A body each write route would take from someone allowed, aimed at this county.
    static func body(for path: String) -> String {
        let county = APIFixture.county + "000000"
        return switch path {
        case "/v1/charities": #"{"name":"测试","credit_code":"91320508MA1XXXXX0X","kind":"foundation"}"#
        case "/v1/charities/{id}": #"{"name":"测试","kind":"foundation"}"#
        case "/v1/charities/{id}/suspend", "/v1/charities/{id}/ban": #"{"reason":"核查"}"#
        case "/v1/offers", "/v1/offers/{id}": TestData.offerBody
        case "/v1/households": TestData.householdBody(region: county, serial: 901)
        case "/v1/households/{id}/consent": #"{"scope":"物资对接"}"#
        case "/v1/needs": #"{"household_id":1,"category":"material.food","quantity":1}"#
        case "/v1/needs/{id}": #"{"category":"material.food","quantity":2}"#
        case "/v1/match-runs": #"{"region":"\#(county)"}"#
        case "/v1/matches": #"{"need_id":1,"offer_id":1}"#
        case "/v1/matches/{id}/feedback": #"{"satisfaction":5}"#
        case "/v1/weight-policies", "/v1/weight-policies/preview":
            #"{"name":"standard","weights":{"urgency":1},"region":"\#(county)"}"#
        default: #"{"reason_code":"other","note":"核查"}"#
        }
    }
}
