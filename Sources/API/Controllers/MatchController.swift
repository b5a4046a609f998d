import Hummingbird
import Matching
import Store

/// `/v1/matches`: the match lifecycle over HTTP. Who may take each step is decided here
/// (function level) and which matches a caller reaches by ``MatchFilter`` (object level);
/// the Store enforces the state machine and capacity.
struct MatchController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("matches", use: list)
        group.post("matches", use: propose)
        group.get("matches/{id}", use: show)
        group.post("matches/{id}/approve", use: decide(.approve, by: [.coordinator, .admin]))
        group.post("matches/{id}/reject", use: decide(.reject, by: [.coordinator, .admin]))
        group.post("matches/{id}/accept", use: decide(.accept, by: [.charity]))
        group.post("matches/{id}/decline", use: decide(.decline, by: [.charity]))
        group.post("matches/{id}/deliver", use: decide(.deliver, by: [.charity]))
        group.post("matches/{id}/cancel", use: decide(.cancel, by: [.caseworker, .coordinator, .admin]))
        group.post("matches/{id}/feedback", use: feedback)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let query = request.query
        var filter = MatchFilter(
            status: try query.code("status", as: MatchStatus.self), run: try query.id("run_id"),
            offer: try query.id("offer_id"), need: try query.id("need_id"))
        if let code = try query.string("category") {
            filter.category = try services.categories.id(ofParameter: code, name: "category")
        }
        let pageRequest = try PageCursor.pageRequest(request)
        if principal.role == .charity {
            filter.charity = try principal.requireCharity(toDo: "list matches")
            guard try query.region("region") == nil else {
                throw Problem.invalidParameter("region", "is not available to charity staff")
            }
        } else {
            guard case .within(let scope) = principal.narrowing(try query.region("region")) else {
                return MatchResource.response([], nextCursor: nil)
            }
            filter.region = scope
        }
        let page = try await services.matches.list(filter, page: pageRequest)
        if principal.role == .charity {
            let charity = filter.charity ?? 0
            let contacts = try await services.matches.deliveryContacts(
                matches: page.items.filter(\.status.reservesCapacity).map(\.id), charity: charity)
            let items = page.items.map { MatchResource(charityView: $0, delivery: contacts[$0.id]) }
            return MatchResource.response(items, nextCursor: page.nextCursor)
        }
        return MatchResource.response(page.items.map(MatchResource.init(staffView:)), nextCursor: page.nextCursor)
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let record = try await visible(request, context)
        return try await view(record, for: principal).response()
    }

    @Sendable func propose(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.require(.caseworker, .coordinator, .admin, toDo: "propose matches")
        let input = try await services.body(ProposalInput.self, request, context)
        guard try await services.needs.need(id: input.needId, within: principal.regionLimit) != nil else {
            throw Problem.validation([.init(field: "/need_id", message: "is not a need in your region")])
        }
        let record = try await services.matches.propose(
            need: input.needId, offer: input.offerId, units: input.units, breakdown: nil, by: principal.actor)
        return MatchResource(staffView: record).response(status: .created, location: "/v1/matches/\(record.id)")
    }

    /// The handler for one lifecycle step, open to `roles`.
    func decide(
        _ transition: MatchTransition, by roles: [UserRole]
    )
        -> @Sendable (Request, APIRequestContext)
        async throws -> Response
    {
        { [services] request, context in
            let principal = try context.requirePrincipal()
            guard roles.contains(principal.role) else {
                throw Problem.forbidden("A \(principal.role.rawValue) may not \(transition.rawValue) matches.")
            }
            let current = try await visible(request, context)
            let input = try await Self.reason(request, context, services)
            let record = try await services.matches.apply(
                transition, to: current.id, by: principal.actor, reasonCode: input.reasonCode, note: input.note)
            return try await view(record, for: principal).response()
        }
    }

    @Sendable func feedback(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.require(.caseworker, .admin, toDo: "record feedback")
        let current = try await visible(request, context)
        let input = try await services.body(FeedbackInput.self, request, context)
        try await services.matches.recordFeedback(
            match: current.id, satisfaction: input.satisfaction, comment: input.comment, by: principal.actor)
        return Response(status: .noContent)
    }

    /// A reason body is optional for the steps that need none: an empty body is no reason.
    private static func reason(
        _ request: Request, _ context: APIRequestContext, _ services: APIServices
    ) async throws -> ReasonInput {
        guard request.headers[.contentType] != nil || request.headers[.contentLength].map({ $0 != "0" }) == true
        else { return ReasonInput(reasonCode: nil, note: nil) }
        return try await services.body(ReasonInput.self, request, context)
    }

    /// The match of the path if the caller reaches it: charity staff through their offers,
    /// others through the household's region. Anything else is 404.
    private func visible(_ request: Request, _ context: APIRequestContext) async throws -> MatchRecord {
        let principal = try context.requirePrincipal()
        let id = try context.pathID()
        var filter = MatchFilter()
        if principal.role == .charity {
            filter.charity = try principal.requireCharity(toDo: "read matches")
        } else {
            filter.region = principal.regionLimit
        }
        guard let record = try await services.matches.match(id: id, visibleTo: filter) else {
            throw Problem.notFound("match", String(id))
        }
        return record
    }

    private func view(_ record: MatchRecord, for principal: Principal) async throws -> MatchResource {
        guard principal.role == .charity, let charity = principal.charityID else {
            return MatchResource(staffView: record)
        }
        return try await charityView(record, charity: charity)
    }

    private func charityView(_ record: MatchRecord, charity: Int64) async throws -> MatchResource {
        let delivery =
            record.status == .approved || record.status == .accepted
            ? try await services.matches.deliveryContact(match: record.id, charity: charity) : nil
        return MatchResource(charityView: record, delivery: delivery)
    }
}
