import Foundation
import Hummingbird
import Store

/// `/v1/needs`: caseworkers record and maintain the needs of their region's households;
/// coordinators read them. Charity staff never reach this resource.
struct NeedController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("needs", use: record)
        group.get("needs", use: list)
        group.get("needs/{id}", use: show)
        group.put("needs/{id}", use: update)
        group.post("needs/{id}/cancel", use: cancel)
        group.get("needs/{id}/candidates", use: candidates)
        group.post("needs/{id}/cooldowns/clear", use: clearCoolDowns)
    }

    @Sendable func record(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.recordNeed)
        let input = try await services.body(NeedInput.self, request, context)
        var missing: [Problem.FieldError] = []
        if input.householdId == nil { missing.append(.init(field: "/household_id", message: "is required")) }
        if input.category == nil { missing.append(.init(field: "/category", message: "is required")) }
        guard missing.isEmpty, let household = input.householdId, let code = input.category else {
            throw Problem.validation(missing)
        }
        let category = try services.categories.id(of: code, field: "/category")
        let need = try await services.needs.record(
            household: household, category: category, input.details, within: principal.regionLimit,
            by: principal.actor, idempotency: context.idempotency)
        return try JSONResponse.make(
            NeedResource(need, categories: services.categories), status: .created, version: need.version,
            location: "/v1/needs/\(need.id)")
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.readNeeds)
        let query = request.query
        let category = try query.string("category").map {
            try services.categories.id(ofParameter: $0, name: "category")
        }
        let status = try query.code("status", as: NeedStatus.self)
        let household = try query.id("household_id")
        let pageRequest = try PageCursor.pageRequest(request)
        guard case .within(let scope) = principal.narrowing(try query.region("region")) else {
            return try JSONResponse.make(PageResource<NeedResource>.empty)
        }
        let page = try await services.needs.list(
            within: scope, status: status, category: category, household: household, page: pageRequest)
        let categories = services.categories
        return try JSONResponse.make(PageResource(page) { NeedResource($0, categories: categories) })
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let need = try await readable(request, context)
        return try JSONResponse.make(NeedResource(need, categories: services.categories), version: need.version)
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.changeNeed)
        let current = try await readable(request, context)
        let version = try ETag.requiredVersion(request)
        let input = try await services.body(NeedInput.self, request, context)
        var fixed: [Problem.FieldError] = []
        if let household = input.householdId, household != current.householdID {
            fixed.append(.init(field: "/household_id", message: "cannot be changed"))
        }
        if let code = input.category, try services.categories.id(of: code, field: "/category") != current.categoryID {
            fixed.append(.init(field: "/category", message: "cannot be changed; cancel the need and record another"))
        }
        guard fixed.isEmpty else { throw Problem.validation(fixed) }
        let need = try await services.needs.update(
            need: current.id, input.details, ifVersion: version, within: principal.regionLimit, by: principal.actor)
        return try JSONResponse.make(NeedResource(need, categories: services.categories), version: need.version)
    }

    @Sendable func cancel(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.changeNeed)
        let current = try await readable(request, context)
        let input = try await services.body(ReasonInput.self, request, context)
        let need = try await services.needs.cancel(
            need: current.id, within: principal.regionLimit, by: principal.actor, reason: input.reasonCode ?? "",
            note: input.note, idempotency: context.idempotency)
        return try JSONResponse.make(NeedResource(need, categories: services.categories), version: need.version)
    }

    /// The ranked offers for a need with their breakdowns, and with `?explain=ineligible`
    /// the excluded offers with every reason: a caseworker's "why did this household get
    /// nothing?".
    @Sendable func candidates(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.rankCandidates)
        let id = try context.pathID()
        let query = request.query
        let explain = try query.string("explain")
        guard explain == nil || explain == "ineligible" else {
            throw Problem.invalidParameter("explain", "must be ineligible")
        }
        let found = try await services.ranking.candidates(
            forNeed: id, within: principal.regionLimit, policyName: try query.string("policy", maxLength: 100),
            limit: try query.integer("limit", in: 1...CandidateRanking.maximumLimit) ?? 10,
            includeIneligible: explain != nil, asOf: Date())
        return try JSONResponse.make(CandidatesResource(found, categories: services.categories))
    }

    /// Lets the need's refused pairs (all, or the one with `offer_id`) be proposed again
    /// before their cool-down ends: coordinators, in their region only.
    @Sendable func clearCoolDowns(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.clearCoolDown)
        let id = try context.pathID()
        let input = try await services.body(CoolDownClearInput.self, request, context)
        let cleared = try await services.store.coolDowns.clear(need: id, offer: input.offerId, by: principal)
        return try JSONResponse.make(CoolDownsCleared(needId: id, clearedOfferIds: cleared))
    }

    /// The need of the path within the caller's region, else 404.
    func readable(_ request: Request, _ context: APIRequestContext) async throws -> NeedRecord {
        let principal = try context.requirePrincipal()
        try principal.authorize(.readNeeds)
        let id = try context.pathID()
        guard let need = try await services.needs.need(id: id, within: principal.regionLimit) else {
            throw Problem.notFound("need", String(id))
        }
        return need
    }
}
