import Foundation
import Hummingbird
import Store

/// The coordinator's takeovers (临时接管): what a suspended, banned or withdrawing charity
/// left stranded in their region, released at once, and the run that re-matches those needs
/// before anything else; its proposals go to the review page like any run's. The same Store
/// calls as `/v1/takeovers`.
extension DashboardController {
    func addTakeoverRoutes(to group: RouterGroup<Context>) {
        group.get("takeovers", use: takeoverList)
        group.post("takeovers/{id}/run", use: runTakeover)
    }

    @Sendable func takeoverList(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.runTakeover) else { return Self.redirect(Self.homePath(session.principal.role)) }
        let texts = DashboardText.strings(Self.language(request))
        let rows = try await store.takeovers.takeovers(by: session.principal).map { takeover -> [String: Any] in
            var row: [String: Any] = [
                "id": String(takeover.id), "charity": takeover.charityName,
                "cause": texts["takeoverCause." + takeover.cause.rawValue] ?? takeover.cause.rawValue,
                "startedAt": Self.timeText(takeover.startedAt),
                "held": "\(takeover.matches) · \(takeover.units) \(texts["unitsShort"] ?? "")",
                "needs": String(takeover.needs), "rematched": String(takeover.rematchedNeeds),
                "waiting": takeover.rematchedNeeds < takeover.needs,
                "run": "/dashboard/takeovers/\(takeover.id)/run",
            ]
            if let run = takeover.runID { row["runHref"] = "/dashboard/review?run=\(run)"; row["runID"] = "#\(run)" }
            return row
        }
        return render(
            "takeovers", ["rows": rows, "hasRows": !rows.isEmpty], title: texts["takeovers"] ?? "", request, session)
    }

    /// Runs the takeover's matching and opens its proposals for review; a run that found
    /// nothing to propose says so on the list.
    @Sendable func runTakeover(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.runTakeover) else { return Self.redirect(Self.homePath(session.principal.role)) }
        guard try await form(request, session) != nil else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        do {
            let report = try await store.takeovers.run(takeover: id, by: session.principal)
            if let run = report.runID, report.matches > 0 {
                return Self.redirect("/dashboard/review?run=\(run)", notice: "takeoverRunRecorded", "#\(run)")
            }
            return Self.redirect("/dashboard/takeovers", notice: "takeoverRunNothing", "#\(id)")
        } catch StoreError.notFound(_, _) {
            return notFound(request, session)
        } catch StoreError.runInProgress(_) {
            return Self.redirect("/dashboard/takeovers", notice: "takeoverRunBusy", "#\(id)")
        }
    }
}
