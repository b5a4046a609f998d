import Foundation
import Hummingbird
import Matching
import Store

/// The body of `PUT /v1/time-limits/{stage}`.
struct TimeLimitInput: Decodable, Sendable {
    var days: Int
    /// A region inside the caller's (a 2 to 12-digit scope prefix); omitted, the caller's own.
    var region: String?
}

/// The limits that apply to the caller's region.
struct TimeLimitsResource: Encodable, Sendable {
    var firstProposal: Int
    var decision: Int
    var acceptance: Int
    var delivery: Int

    init(_ limits: [CaseStage: Int]) {
        firstProposal = limits[.firstProposal] ?? 0
        decision = limits[.decision] ?? 0
        acceptance = limits[.acceptance] ?? 0
        delivery = limits[.delivery] ?? 0
    }
}

/// What is past its limit, per township.
struct OverdueResource: Encodable, Sendable {
    var items: [OverdueCount]
}

/// `/v1/time-limits` and `/v1/overdue`: 限时办理, the days each stage of a case may take in a
/// region and what is past them now.
struct TimeLimitController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("time-limits", use: limits)
        group.put("time-limits/{stage}", use: set)
        group.get("overdue", use: overdue)
    }

    @Sendable func limits(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        return try JSONResponse.make(TimeLimitsResource(try await services.store.timeLimits.limits(by: principal)))
    }

    @Sendable func set(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.setTimeLimits)
        guard let text = context.parameters.get("stage"), let stage = CaseStage(rawValue: text) else {
            throw Problem.notFound("time limit", context.parameters.get("stage") ?? "")
        }
        let input = try await services.body(TimeLimitInput.self, request, context)
        var region: RegionScope?
        if let text = input.region {
            guard let scope = RegionScope(prefix: text) else {
                throw StoreError.invalid(field: "region", reason: "must be a region prefix of 2, 4, 6, 9 or 12 digits")
            }
            region = scope
        }
        try await services.store.timeLimits.set(stage, days: input.days, region: region, by: principal)
        return try JSONResponse.make(TimeLimitsResource(try await services.store.timeLimits.limits(by: principal)))
    }

    @Sendable func overdue(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        return try JSONResponse.make(OverdueResource(items: try await services.store.timeLimits.overdue(by: principal)))
    }
}
