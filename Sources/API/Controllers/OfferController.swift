import Hummingbird
import Matching
import Store

/// `/v1/offers`: charity staff manage their own offers; coordinators and caseworkers read
/// the offers that serve their region; admins read all.
struct OfferController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("offers", use: create)
        group.get("offers", use: list)
        group.get("offers/{id}", use: show)
        group.put("offers/{id}", use: update)
        group.post("offers/{id}/close", use: close)
        group.post("offers/{id}/pause", use: pause)
        group.post("offers/{id}/resume", use: resume)
    }

    @Sendable func create(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let charity = try principal.charity(for: .postOffer)
        let input = try await services.body(OfferInput.self, request, context)
        guard let code = input.category else {
            throw Problem.validation([.init(field: "/category", message: "is required")])
        }
        let category = try services.categories.id(of: code, field: "/category")
        let record = try await services.offers.create(
            charity: charity, category: category, try input.terms(), by: principal.actor,
            idempotency: context.idempotency)
        return try JSONResponse.make(
            OfferResource(record, categories: services.categories), status: .created, version: record.version,
            location: "/v1/offers/\(record.id)")
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let status = try request.query.code("status", as: OfferStatus.self)
        let page = try PageCursor.pageRequest(request)
        let categories = services.categories
        switch principal.role {
        case .charity:
            let charity = try principal.charity(for: .readOffers)
            let found = try await services.offers.list(charity: charity, status: status, page: page)
            return try JSONResponse.make(PageResource(found) { OfferResource($0, categories: categories) })
        case .admin, .coordinator, .caseworker:
            let charity = try request.query.id("charity_id")
            guard case .within(let scope) = principal.narrowing(try request.query.region("region")) else {
                return try JSONResponse.make(PageResource<OfferResource>.empty)
            }
            let found = try await services.offers.list(charity: charity, serving: scope, status: status, page: page)
            return try JSONResponse.make(PageResource(found) { OfferResource($0, categories: categories) })
        }
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let record = try await readable(request, context)
        return try JSONResponse.make(OfferResource(record, categories: services.categories), version: record.version)
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let charity = try principal.charity(for: .changeOffer)
        let current = try await readable(request, context)
        let version = try ETag.requiredVersion(request)
        let input = try await services.body(OfferInput.self, request, context)
        if let code = input.category, try services.categories.id(of: code, field: "/category") != current.categoryID {
            throw Problem.validation([.init(field: "/category", message: "cannot be changed; close the offer instead")])
        }
        let record = try await services.offers.update(
            offer: current.id, try input.terms(), ifVersion: version, charity: charity, by: principal.actor)
        return try JSONResponse.make(OfferResource(record, categories: services.categories), version: record.version)
    }

    @Sendable func close(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await move(request, context) { offers, id, charity, actor in
            try await offers.close(offer: id, charity: charity, by: actor, idempotency: context.idempotency)
        }
    }

    @Sendable func pause(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await move(request, context) { offers, id, charity, actor in
            try await offers.pause(offer: id, charity: charity, by: actor, idempotency: context.idempotency)
        }
    }

    @Sendable func resume(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await move(request, context) { offers, id, charity, actor in
            try await offers.resume(offer: id, charity: charity, by: actor, idempotency: context.idempotency)
        }
    }

    private func move(
        _ request: Request, _ context: APIRequestContext,
        _ change: (OfferRepository, Int64, Int64, Actor) async throws -> OfferRecord
    ) async throws -> Response {
        let principal = try context.requirePrincipal()
        let charity = try principal.charity(for: .changeOffer)
        let current = try await readable(request, context)
        let record = try await change(services.offers, current.id, charity, principal.actor)
        return try JSONResponse.make(OfferResource(record, categories: services.categories), version: record.version)
    }

    /// The offer of the path if the caller may see it: charity staff their own; coordinators
    /// and caseworkers an offer serving some part of their region (or serving by circle).
    private func readable(_ request: Request, _ context: APIRequestContext) async throws -> OfferRecord {
        let principal = try context.requirePrincipal()
        let id = try context.pathID()
        let charity = principal.role == .charity ? principal.charityID ?? -1 : nil
        guard let record = try await services.offers.offer(id: id, charity: charity),
            record.isVisible(within: principal.regionLimit)
        else {
            throw Problem.notFound("offer", String(id))
        }
        return record
    }
}
