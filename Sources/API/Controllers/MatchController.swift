import Hummingbird
import Matching
import Store

/// `/v1/matches`: the match lifecycle over HTTP. Who may take each step, which matches a
/// caller reaches, the state machine, capacity and the engine's rules for hand-made pairs
/// are all the Store's (``AccessPolicy``, ``MatchFilter/reach(of:)``); this controller reads
/// the request and writes the answer.
struct MatchController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("matches", use: list)
        group.post("matches", use: propose)
        group.get("matches/{id}", use: show)
        for transition in [MatchTransition.approve, .reject, .accept, .decline, .cancel] {
            group.post("matches/{id}/\(transition.rawValue)", use: decide(transition))
        }
        group.post("matches/{id}/deliver", use: deliver)
        group.post("matches/{id}/feedback", use: feedback)
        group.post("matches/{id}/receipt/confirm", use: confirmReceipt)
        group.post("matches/{id}/receipt/dispute", use: disputeReceipt)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.readMatches)
        let query = request.query
        var filter = MatchFilter(
            status: try query.code("status", as: MatchStatus.self), run: try query.id("run_id"),
            offer: try query.id("offer_id"), need: try query.id("need_id"))
        if let code = try query.string("category") {
            filter.category = try services.categories.id(ofParameter: code, name: "category")
        }
        let region = try query.region("region")
        let pageRequest = try PageCursor.pageRequest(request)
        if principal.role == .charity {
            // Needs and runs are not theirs to see: filtering by them would link matches to both.
            for (name, value) in [
                ("region", region?.prefix), ("need_id", filter.need.map(String.init)),
                ("run_id", filter.run.map(String.init)),
            ] where value != nil {
                throw Problem.invalidParameter(name, "is not available to charity staff")
            }
            filter.charity = try principal.charity(for: .readMatches)
        } else {
            guard case .within(let scope) = principal.narrowing(region) else {
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
        try principal.authorize(.proposeMatch)
        let input = try await services.body(ProposalInput.self, request, context)
        let record = try await services.matches.propose(
            need: input.needId, offer: input.offerId, units: input.units, by: principal,
            idempotency: context.idempotency)
        return MatchResource(staffView: record).response(status: .created, location: "/v1/matches/\(record.id)")
    }

    /// The handler for one lifecycle step, open to `roles`.
    func decide(_ transition: MatchTransition) -> @Sendable (Request, APIRequestContext) async throws -> Response {
        { [services] request, context in
            let principal = try context.requirePrincipal()
            if let action = transition.action { try principal.authorize(action) }
            // Out of reach reads as missing before the body is judged (the Store checks again
            // inside the transition's transaction).
            let id = try await visible(request, context).id
            let input = try await Self.reason(request, context, services)
            let record = try await services.matches.apply(
                transition, to: id, by: principal, reasonCode: input.reasonCode, note: input.note,
                idempotency: context.idempotency)
            return try await view(record, for: principal).response()
        }
    }

    /// Delivery with what reached the household, when, and who signed for it; the Store
    /// judges the report (units within the match, the day between approval and today).
    @Sendable func deliver(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.deliverMatch)
        let id = try await visible(request, context).id
        let input = try await services.body(DeliveryInput.self, request, context)
        let record = try await services.matches.apply(
            .deliver, to: id, by: principal, delivery: input.report, idempotency: context.idempotency)
        return try await view(record, for: principal).response()
    }

    @Sendable func feedback(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.recordFeedback)
        let current = try await visible(request, context)
        let input = try await services.body(FeedbackInput.self, request, context)
        try await services.matches.recordFeedback(
            match: current.id, satisfaction: input.satisfaction, comment: input.comment, by: principal.actor,
            idempotency: context.idempotency)
        return Response(status: .noContent)
    }

    /// The household's caseworker confirms the delivery (签收确认), once; an `If-Match`, when
    /// sent, must name the match's current version.
    @Sendable func confirmReceipt(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.reviewReceipt)
        let id = try await visible(request, context).id
        let record = try await services.matches.confirmReceipt(
            match: id, by: principal, expectedVersion: try Self.optionalVersion(request),
            idempotency: context.idempotency)
        return try await view(record, for: principal).response()
    }

    /// The household's caseworker disputes the delivery with a reason; the Store opens the
    /// complaint and tells the charity and the coordinators in the same transaction.
    @Sendable func disputeReceipt(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.reviewReceipt)
        let id = try await visible(request, context).id
        let input = try await services.body(DisputeInput.self, request, context)
        let record = try await services.matches.disputeReceipt(
            match: id, reason: input.reason, by: principal, expectedVersion: try Self.optionalVersion(request),
            idempotency: context.idempotency)
        return try await view(record, for: principal).response()
    }

    /// The version an optional `If-Match` names, or nil without one.
    private static func optionalVersion(_ request: Request) throws -> Int? {
        request.headers[.ifMatch] == nil ? nil : try ETag.requiredVersion(request)
    }

    /// A reason body is optional for the steps that need none: an empty body is no reason.
    private static func reason(
        _ request: Request, _ context: APIRequestContext, _ services: APIServices
    ) async throws -> ReasonInput {
        guard request.headers[.contentType] != nil || request.headers[.contentLength].map({ $0 != "0" }) == true
        else { return ReasonInput(reasonCode: nil, note: nil) }
        return try await services.body(ReasonInput.self, request, context)
    }

    /// The match of the path if the caller reaches it (``MatchFilter/reach(of:)``); anything
    /// else is 404.
    private func visible(_ request: Request, _ context: APIRequestContext) async throws -> MatchRecord {
        let principal = try context.requirePrincipal()
        let id = try context.pathID()
        guard let record = try await services.matches.match(id: id, visibleTo: principal) else {
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
