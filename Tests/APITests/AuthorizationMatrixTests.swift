import Foundation
import HTTPTypes
import Hummingbird
import Matching
import Store
import TestSupport
import Testing

@testable import API

/// Every route with an `{id}` × every caller × (ours, theirs, nonexistent): the status each
/// cell must answer, derived from two tables (which roles may call a route; which objects a
/// caller reaches), and checked against what the API answers. A 2xx where a 404 or 403 is
/// due is a leak; the test counts them and expects none.
@Suite("Authorization matrix")
struct AuthorizationMatrixTests {
    /// What a route acts on.
    enum Kind: String { case charity, offer, household, need, run, match, transfer }

    /// The objects of one kind the matrix uses, and who reaches each.
    struct Target {
        var label: String
        var id: Int64
        /// Callers that reach it (admin always does).
        var reachedBy: Set<Caller>
        /// Per last path segment (`accept`): the callers among ``reachedBy`` who may take that
        /// step; the others see the object and are refused (403). Absent: all who reach it.
        var powers: [String: Set<Caller>] = [:]
    }

    static let nonexistent: Int64 = 987_654_321

    /// Roles allowed to call each route, by "METHOD path".
    static let permissions: [String: Set<UserRole>] = [
        "GET /v1/charities/{id}": [.admin, .coordinator, .caseworker, .charity],
        "PUT /v1/charities/{id}": [.admin, .charity],
        "GET /v1/charities/{id}/performance": [.admin, .coordinator, .caseworker, .charity],
        "POST /v1/charities/{id}/suspend": [.admin, .coordinator],
        "POST /v1/charities/{id}/ban": [.admin],
        "POST /v1/charities/{id}/reinstate": [.admin, .coordinator],
        "GET /v1/offers/{id}": [.admin, .coordinator, .caseworker, .charity],
        "PUT /v1/offers/{id}": [.charity],
        "POST /v1/offers/{id}/close": [.charity],
        "POST /v1/offers/{id}/pause": [.charity],
        "POST /v1/offers/{id}/resume": [.charity],
        "GET /v1/households/{id}": [.admin, .coordinator, .caseworker],
        "PATCH /v1/households/{id}": [.admin, .caseworker],
        "POST /v1/households/{id}/consent": [.admin, .caseworker],
        "POST /v1/households/{id}/consent/withdraw": [.admin, .caseworker],
        "GET /v1/households/{id}/aid": [.admin, .coordinator, .caseworker],
        "POST /v1/households/{id}/aid": [.admin, .caseworker],
        "GET /v1/households/{id}/timeline": [.admin, .coordinator, .caseworker],
        // A takeover is reached through the households whose matches it released:
        // TakeoverTests and TakeoverEndpointTests hold it.
        "GET /v1/takeovers/{id}": [.admin, .coordinator],
        "POST /v1/takeovers/{id}/run": [.admin, .coordinator],
        "GET /v1/needs/{id}": [.admin, .coordinator, .caseworker],
        "PUT /v1/needs/{id}": [.admin, .caseworker],
        "POST /v1/needs/{id}/cancel": [.admin, .caseworker],
        "GET /v1/needs/{id}/candidates": [.admin, .coordinator, .caseworker],
        "POST /v1/needs/{id}/cooldowns/clear": [.admin, .coordinator],
        "GET /v1/match-runs/{id}": [.admin, .coordinator, .caseworker],
        "GET /v1/matches/{id}": [.admin, .coordinator, .caseworker, .charity],
        "POST /v1/matches/{id}/approve": [.admin, .coordinator],
        "POST /v1/matches/{id}/reject": [.admin, .coordinator],
        "POST /v1/matches/{id}/accept": [.charity],
        "POST /v1/matches/{id}/decline": [.charity],
        "POST /v1/matches/{id}/deliver": [.charity],
        "POST /v1/matches/{id}/cancel": [.admin, .coordinator, .caseworker],
        "POST /v1/matches/{id}/feedback": [.admin, .caseworker],
        "POST /v1/matches/{id}/receipt/confirm": [.admin, .caseworker],
        "POST /v1/matches/{id}/receipt/dispute": [.admin, .caseworker],
        "GET /v1/weight-policies/{id}": [.admin, .coordinator, .caseworker],
        // Reach is per reader, not per role and region (an administrator does not read a
        // charity's messages), so the matrix has no targets for it: InboxTests holds it.
        "POST /v1/inbox/{id}/read": [.admin, .coordinator, .caseworker, .charity],
        // Complaints are reached by who raised them and what they concern as well as by region:
        // ComplaintTests and ComplaintEndpointTests hold it.
        "GET /v1/complaints/{id}": [.admin, .coordinator, .caseworker, .charity],
        "POST /v1/complaints/{id}/resolve": [.admin, .coordinator],
        "GET /v1/transfers/{id}": [.admin, .coordinator, .caseworker, .charity],
        "POST /v1/transfers/{id}/accept": [.admin, .caseworker, .charity],
        "POST /v1/transfers/{id}/return": [.admin, .caseworker, .charity],
        "POST /v1/transfers/{id}/withdraw": [.admin, .caseworker],
        // An evaluation is reached by the region it covers (a county or wider), which none of
        // the matrix's targets is: EvaluationTests and EvaluationEndpointTests hold it.
        "GET /v1/evaluations/{id}": [.admin, .coordinator],
        "PUT /v1/evaluations/{id}/charities/{charity}": [.admin, .coordinator],
        "POST /v1/evaluations/{id}/publish": [.admin, .coordinator],
    ]

    /// Sanctions a coordinator takes only on charities at work in their region: one of
    /// another county reads as missing to them, though they may read it.
    static let regionalSanctions: Set<String> = [
        "POST /v1/charities/{id}/suspend", "POST /v1/charities/{id}/reinstate",
    ]

    static func role(of caller: Caller) -> UserRole? {
        switch caller {
        case .admin: .admin
        case .coordinator: .coordinator
        case .caseworker, .otherCaseworker: .caseworker
        case .charity, .otherCharity: .charity
        case .anonymous: nil
        }
    }

    static func kind(of route: String) -> Kind? {
        let path = route.split(separator: " ").last.map(String.init) ?? ""
        let prefixes: [(String, Kind)] = [
            ("/v1/charities/", .charity), ("/v1/offers/", .offer), ("/v1/households/", .household),
            ("/v1/needs/", .need), ("/v1/match-runs/", .run), ("/v1/matches/", .match),
            ("/v1/transfers/", .transfer),
        ]
        return prefixes.first { path.hasPrefix($0.0) }?.1
    }

    @Test func everyCallerGetsExactlyTheAnswerDue() async throws {
        try await APIFixture.with("matrix") { fixture in
            let targets = try await MatrixTargets.make(fixture)
            let router = buildRouter(services: fixture.services, logger: TestDatabase.logger)
            let routes = router.routes.map { "\($0.method.rawValue) \($0.path)" }.filter { $0.contains("{id}") }
            #expect(routes.count == Self.permissions.count)
            for route in routes { #expect(Self.permissions[route] != nil, "no expectation for \(route)") }
            let (cells, leaks) = try await fixture.test { api in
                var cells = 0
                var leaks: [String] = []
                for route in routes.sorted() {
                    guard let allowed = Self.permissions[route], let kind = Self.kind(of: route) else { continue }
                    let parts = route.split(separator: " ")
                    let method = HTTPRequest.Method(String(parts[0])) ?? .get
                    for caller in Caller.allCases {
                        for target in targets.of(kind) + [
                            Target(label: "nonexistent", id: Self.nonexistent, reachedBy: [])
                        ] {
                            let path = String(parts[1]).replacingOccurrences(of: "{id}", with: String(target.id))
                            var reaches = target.reachedBy
                            if Self.regionalSanctions.contains(route), target.label == "a far charity" {
                                reaches.remove(.coordinator)
                            }
                            let response = try await send(api, method, path, as: caller)
                            cells += 1
                            let step = String(route.split(separator: "/").last ?? "")
                            let mayAct = caller == .admin || target.powers[step].map { $0.contains(caller) } ?? true
                            let verdict = Self.judge(
                                response.status, caller: caller, allowed: allowed, reaches: reaches,
                                exists: target.id != Self.nonexistent, mayAct: mayAct)
                            if let verdict {
                                leaks.append("\(route) as \(caller.rawValue) on \(target.label): \(verdict)")
                            }
                        }
                    }
                }
                return (cells, leaks)
            }
            #expect(cells > 500)
            #expect(
                leaks.isEmpty,
                Comment(rawValue: "\(leaks.count) of \(cells) cells wrong:\n" + leaks.joined(separator: "\n")))
        }
    }

    private func send(
        _ api: APIDriver, _ method: HTTPRequest.Method, _ path: String, as caller: Caller
    ) async throws -> APIResponse {
        switch method {
        case .put, .patch:
            try await api.call(method, path, as: caller, json: "{}", headers: [.ifMatch: "\"1\""])
        case .post: try await api.call(method, path, as: caller, json: "{}")
        default: try await api.call(method, path, as: caller)
        }
    }

    /// Nil when `status` is right for the cell, else what is wrong with it.
    static func judge(
        _ status: HTTPResponse.Status, caller: Caller, allowed: Set<UserRole>, reaches: Set<Caller>, exists: Bool,
        mayAct: Bool = true
    ) -> String? {
        guard let role = role(of: caller) else {
            return status == .unauthorized ? nil : "expected 401, got \(status.code)"
        }
        guard allowed.contains(role) else {
            return status == .forbidden ? nil : "expected 403, got \(status.code)"
        }
        guard exists, caller == .admin || reaches.contains(caller) else {
            return status == .notFound ? nil : "expected 404, got \(status.code)"
        }
        guard mayAct else { return status == .forbidden ? nil : "expected 403, got \(status.code)" }
        let refused: Set<Int> = [401, 403, 404]
        if refused.contains(status.code) || status.code >= 500 { return "expected an answer, got \(status.code)" }
        return nil
    }
}
