import Hummingbird
import Store

/// `/v1/households`: caseworkers register households of their region and record consent;
/// coordinators read them within their region. Charity staff never reach this resource.
struct HouseholdController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("households", use: register)
        group.get("households", use: list)
        group.get("households/{id}", use: show)
        group.patch("households/{id}", use: update)
        group.post("households/{id}/consent", use: recordConsent)
        group.post("households/{id}/consent/withdraw", use: withdrawConsent)
        group.get("households/{id}/aid", use: listAid)
        group.post("households/{id}/aid", use: recordAid)
        group.get("households/{id}/timeline", use: timeline)
    }

    @Sendable func register(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.registerHousehold)
        let input = try await services.body(HouseholdInput.self, request, context)
        let record = try await services.households.register(
            input.registration, within: principal.regionLimit, by: principal.actor,
            idempotency: context.idempotency)
        return try JSONResponse.make(
            HouseholdResource(record), status: .created, version: record.version,
            location: "/v1/households/\(record.id)")
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.readHouseholds)
        let pageRequest = try PageCursor.pageRequest(request)
        guard case .within(let scope) = principal.narrowing(try request.query.region("region")) else {
            return try JSONResponse.make(PageResource<HouseholdResource>.empty)
        }
        let page = try await services.households.list(within: scope, page: pageRequest)
        return try JSONResponse.make(PageResource(page, HouseholdResource.init))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.readHouseholds)
        let record = try await household(context, principal)
        return try JSONResponse.make(HouseholdResource(record), version: record.version)
    }

    /// Changes a household still at the version `If-Match` names; the rule and the version
    /// check are the Store's, the same the dashboard's edit form meets.
    @Sendable func update(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.changeHousehold)
        let id = try await reachable(context, principal)
        let version = try ETag.requiredVersion(request)
        let input = try await services.body(HouseholdChangesInput.self, request, context)
        let record = try await services.households.update(
            household: id, expectedVersion: version, input.changes, by: principal
        ).household
        return try JSONResponse.make(HouseholdResource(record), version: record.version)
    }

    @Sendable func recordConsent(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.recordConsent)
        let id = try await reachable(context, principal)
        let input = try await services.body(ConsentInput.self, request, context)
        let record = try await services.households.recordConsent(
            household: id, scope: input.scope, within: principal.regionLimit, by: principal.actor,
            idempotency: context.idempotency)
        return try JSONResponse.make(HouseholdResource(record), version: record.version)
    }

    @Sendable func withdrawConsent(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.recordConsent)
        let id = try await reachable(context, principal)
        let withdrawal = try await services.households.withdrawConsent(
            household: id, within: principal.regionLimit, by: principal.actor, idempotency: context.idempotency)
        return try JSONResponse.make(
            ConsentWithdrawalResource(
                household: HouseholdResource(withdrawal.household), cancelledMatches: withdrawal.cancelledMatches),
            version: withdrawal.household.version)
    }

    @Sendable func listAid(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.readHouseholds)
        let id = try context.pathID()
        let items = try await services.aid.aid(ofHousehold: id, within: principal.regionLimit)
        return try JSONResponse.make(AidListResource(items: items))
    }

    /// Government aid a caseworker enters; the same rules as a row of `POST /v1/imports/aid`.
    @Sendable func recordAid(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.recordAid)
        let id = try await reachable(context, principal)
        let input = try await services.body(GovernmentAidInput.self, request, context)
        let entry = try await services.aid.recordGovernmentAid(household: id, input.aid, by: principal)
        return try JSONResponse.make(entry, status: .created)
    }

    @Sendable func timeline(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let id = try context.pathID()
        let events = try await services.households.timeline(household: id, by: principal)
        return try JSONResponse.make(TimelineResource(household: id, events: events))
    }

    /// The household of the path inside the caller's region, else 404 (before any body is
    /// read, so a caller learns nothing about households it cannot see).
    private func household(_ context: APIRequestContext, _ principal: Principal) async throws -> HouseholdRecord {
        let id = try context.pathID()
        guard let record = try await services.households.household(id: id, within: principal.regionLimit) else {
            throw Problem.notFound("household", String(id))
        }
        return record
    }

    private func reachable(_ context: APIRequestContext, _ principal: Principal) async throws -> Int64 {
        try await household(context, principal).id
    }
}
