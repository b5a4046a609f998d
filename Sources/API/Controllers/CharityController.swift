import Foundation
import Hummingbird
import Store

/// `/v1/charities`: admins register and sanction charities, coordinators watch them and
/// may suspend one, and charity staff read and edit their own profile.
struct CharityController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("charities", use: register)
        group.get("charities", use: list)
        group.get("charities/{id}", use: show)
        group.put("charities/{id}", use: update)
        group.get("charities/{id}/performance", use: performance)
        group.post("charities/{id}/suspend", use: suspend)
        group.post("charities/{id}/ban", use: ban)
        group.post("charities/{id}/reinstate", use: reinstate)
    }

    @Sendable func register(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.registerCharity)
        let input = try await services.body(CharityInput.self, request, context)
        guard let creditCode = input.creditCode else {
            throw Problem.validation([.init(field: "/credit_code", message: "is required")])
        }
        let record = try await services.charities.register(
            input.profile, creditCode: creditCode, by: principal.actor, idempotency: context.idempotency)
        return try JSONResponse.make(
            CharityResource(record), status: .created, version: record.version,
            location: "/v1/charities/\(record.id)")
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.listCharities)
        let status = try request.query.code("status", as: CharityStatus.self)
        let page = try await services.charities.list(status: status, page: try PageCursor.pageRequest(request))
        return try JSONResponse.make(PageResource(page, CharityResource.init))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let record = try await readable(request, context)
        return try await resource(record, for: try context.requirePrincipal())
    }

    /// The charity with the regional suspensions in force that bear on the caller's region.
    private func resource(_ record: CharityRecord, for principal: Principal) async throws -> Response {
        var resource = CharityResource(record)
        resource.regionalSuspensions = try await services.charities.suspensions(
            of: record.id, within: principal.role == .charity ? nil : principal.regionLimit)
        return try JSONResponse.make(resource, version: record.version)
    }

    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.editCharityProfile)
        let current = try await readable(request, context)
        let version = try ETag.requiredVersion(request)
        let input = try await services.body(CharityInput.self, request, context)
        if let code = input.creditCode, code != current.creditCode {
            throw Problem.validation([.init(field: "/credit_code", message: "cannot be changed once registered")])
        }
        let record = try await services.charities.updateProfile(
            charity: current.id, input.profile, ifVersion: version, by: principal.actor)
        return try JSONResponse.make(CharityResource(record), version: record.version)
    }

    @Sendable func performance(_ request: Request, context: APIRequestContext) async throws -> Response {
        let record = try await readable(request, context)
        return try JSONResponse.make(try await services.charities.standing(of: record.id))
    }

    @Sendable func suspend(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.suspendCharity)
        let current = try await sanctionable(context, principal, for: .suspendCharity)
        let input = try await services.body(CharitySanction.self, request, context)
        if input.until != nil {
            throw Problem.validation([.init(field: "/until", message: "belongs to bans only")])
        }
        let record = try await services.charities.suspend(
            charity: current.id, by: principal, reason: input.reason, idempotency: context.idempotency)
        return try await resource(record, for: principal)
    }

    @Sendable func ban(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.banCharity)
        let current = try await readable(request, context)
        let input = try await services.body(CharitySanction.self, request, context)
        let record = try await services.charities.ban(
            charity: current.id, until: input.until, by: principal, reason: input.reason,
            idempotency: context.idempotency)
        return try await resource(record, for: principal)
    }

    @Sendable func reinstate(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.reinstateCharity)
        let current = try await sanctionable(context, principal, for: .reinstateCharity)
        let record = try await services.charities.reinstate(
            charity: current.id, by: principal, idempotency: context.idempotency)
        return try await resource(record, for: principal)
    }

    /// The charity of the path if the caller may sanction it (a coordinator: one at work in
    /// their region), else 404 before any body is read.
    private func sanctionable(
        _ context: APIRequestContext, _ principal: Principal, for action: Action
    ) async throws -> CharityRecord {
        let id = try context.pathID()
        guard let record = try await services.charities.charity(id: id, sanctionableBy: principal, for: action)
        else {
            throw Problem.notFound("charity", String(id))
        }
        return record
    }

    /// The charity of the path, if the caller may see it: staff only their own.
    private func readable(_ request: Request, _ context: APIRequestContext) async throws -> CharityRecord {
        let principal = try context.requirePrincipal()
        let id = try context.pathID()
        if principal.role == .charity, principal.charityID != id { throw Problem.notFound("charity", String(id)) }
        guard let record = try await services.charities.charity(id: id) else {
            throw Problem.notFound("charity", String(id))
        }
        return record
    }
}
