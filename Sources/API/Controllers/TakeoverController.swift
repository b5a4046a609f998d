import Foundation
import Hummingbird
import Store

/// The body of `POST /v1/takeovers/{id}/run`.
struct TakeoverRunInput: Decodable, Sendable {
    var dryRun: Bool?
}

/// A takeover's list of them.
struct TakeoverListResource: Encodable, Sendable {
    var items: [TakeoverRecord]
}

/// `/v1/takeovers`: the matches a failing provider held (临时接管), released at once, and the
/// run that re-matches their needs first, for the coordinators of the regions they touch.
struct TakeoverController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("takeovers", use: list)
        group.get("takeovers/{id}", use: show)
        group.post("takeovers/{id}/run", use: run)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        return try JSONResponse.make(
            TakeoverListResource(items: try await services.store.takeovers.takeovers(by: principal)))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        return try JSONResponse.make(
            try await services.store.takeovers.takeover(id: try context.pathID(), by: principal))
    }

    /// Runs the matching over the takeover's needs alone; a real run answers 201 with the
    /// run, whose proposals are reviewed like any other.
    @Sendable func run(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.runTakeover)
        let id = try context.pathID()
        // The body says nothing about the takeover, so it is checked first, as for complaints.
        let hasBody =
            request.headers[.contentType] != nil || request.headers[.contentLength].map { $0 != "0" } == true
        let input = hasBody ? try await services.body(TakeoverRunInput.self, request, context) : TakeoverRunInput()
        let report = try await services.store.takeovers.run(takeover: id, by: principal, dryRun: input.dryRun ?? false)
        guard let run = report.runID else { return try JSONResponse.make(report) }
        return try JSONResponse.make(report, status: .created, location: "/v1/match-runs/\(run)")
    }
}
