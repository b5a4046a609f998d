import Foundation
import Hummingbird
import Matching
import Store

/// The body of `POST /v1/match-runs`.
struct MatchRunInput: Decodable, Sendable {
    /// A 12-digit region code; the run matches the needs of households inside it.
    var region: String
    var policy: String?
    var dryRun: Bool?
    var householdCap: Int?
    var capPer: MatchingRunRequest.CapScope?
    var householdCapWindowDays: Int?
    var coolDownDays: Int?
}

/// `/v1/match-runs`: coordinators and caseworkers start a run for a region inside their own
/// and read past runs. A run answers when it has finished: at county scale that is seconds,
/// and an overlapping run is refused at once (409) rather than queued.
struct MatchRunController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("match-runs", use: start)
        group.get("match-runs", use: list)
        group.get("match-runs/{id}", use: show)
    }

    @Sendable func start(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.startRun)
        let input = try await services.body(MatchRunInput.self, request, context)
        let region = try Self.region(input.region, within: principal.regionLimit)
        var runRequest = MatchingRunRequest(
            region: region, policyName: input.policy, dryRun: input.dryRun ?? false,
            householdCap: input.householdCap ?? 3, capScope: input.capPer ?? .kind,
            capWindowDays: input.householdCapWindowDays ?? 30, coolDownDays: input.coolDownDays ?? 30,
            actor: principal.actor)
        runRequest.now = Date()
        runRequest.idempotency = context.idempotency
        let (report, _) = try await services.runs.run(runRequest)
        guard let id = report.runID else { return try JSONResponse.make(report) }
        return try JSONResponse.make(report, status: .created, location: "/v1/match-runs/\(id)")
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.readRuns)
        let page = try await services.runs.runs(
            within: principal.regionLimit, page: try PageCursor.pageRequest(request))
        return try JSONResponse.make(PageResource(page) { $0 })
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.readRuns)
        let id = try context.pathID()
        guard let run = try await services.runs.run(id: id, within: principal.regionLimit) else {
            throw Problem.notFound("match run", String(id))
        }
        return try JSONResponse.make(run)
    }

    /// A region the caller may run: a valid 12-digit code inside the caller's region. One
    /// outside it is refused as forbidden, since the caller named it on purpose.
    static func region(_ text: String, within limit: RegionScope?) throws -> RegionCode {
        guard let region = RegionCode(text) else {
            throw Problem.validation([.init(field: "/region", message: "must be a 12-digit region code")])
        }
        if let limit, !limit.contains(region) {
            throw Problem.forbidden("You may only run matchings inside region \(limit.prefix).")
        }
        return region
    }
}
