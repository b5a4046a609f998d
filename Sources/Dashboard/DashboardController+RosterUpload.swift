import Foundation
import Hummingbird
import Store

/// The caseworker's roster upload: a household file chosen in the browser, checked and
/// imported by the same importer as `POST /v1/imports/households` and `charity-match
/// import`, and its report shown row by row (line, column, what is wrong).
extension DashboardController {
    func addRosterUploadRoutes(to group: RouterGroup<Context>) {
        group.get("households/import", use: rosterUploadForm)
        group.post("households/import", use: uploadRoster)
    }

    @Sendable func rosterUploadForm(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.importRoster) else { return Self.redirect(Self.homePath(session.principal.role)) }
        return rosterPage(report: nil, error: nil, partial: false, request, session, status: .ok)
    }

    /// Imports the uploaded file (all or nothing unless "import the good rows" is ticked)
    /// and shows what happened; a file refused as a whole answers 422 with its problems.
    @Sendable func uploadRoster(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.importRoster) else { return Self.redirect(Self.homePath(session.principal.role)) }
        let upload: MultipartForm
        do {
            upload = try await MultipartForm.read(request)
        } catch let refusal as MultipartForm.Refusal {
            let key = refusal == .tooLarge ? "error.rosterTooLarge" : "error.rosterUnreadable"
            let status: HTTPResponse.Status = refusal == .tooLarge ? .contentTooLarge : .badRequest
            return rosterPage(report: nil, error: key, partial: false, request, session, status: status)
        }
        guard upload["_csrf"] == session.csrfToken else { return try refusedForm(request, session) }
        let partial = upload["partial"] != nil
        guard let file = upload.files["file"], !file.isEmpty else {
            return rosterPage(
                report: nil, error: "error.rosterMissing", partial: partial, request, session,
                status: .unprocessableContent)
        }
        let report = try await store.importer(logger: context.logger).importHouseholds(
            csv: file, sealer: store.sealer,
            options: RosterImporter.Options(
                mode: partial ? .partial : .allOrNothing, scope: session.regionLimit, actor: session.principal.actor))
        let status: HTTPResponse.Status = report.imported == 0 && !report.isComplete ? .unprocessableContent : .ok
        return rosterPage(report: report, error: nil, partial: partial, request, session, status: status)
    }

    private func rosterPage(
        report: ImportReport?, error: String?, partial: Bool, _ request: Request, _ session: DashboardSession,
        status: HTTPResponse.Status
    ) -> Response {
        let texts = DashboardText.strings(Self.language(request))
        var values: [String: Any] = ["partial": partial, "columns": HouseholdRoster.Column.allCases.map(\.rawValue)]
        values["error"] = error.map { texts[$0] ?? $0 }
        if let report {
            values["report"] =
                [
                    "summary": String(
                        format: texts["rosterSummary"] ?? "%d %d %d", report.rowsRead, report.imported,
                        report.problemCount),
                    "complete": report.isComplete, "nothingWritten": report.imported == 0 && !report.isComplete,
                    "problems": report.problems.map { problem -> [String: String] in
                        ["line": String(problem.line), "column": problem.column ?? "–", "reason": problem.reason]
                    },
                    "hasProblems": !report.problems.isEmpty,
                    "more": report.problemCount > report.problems.count
                        ? String(format: texts["rosterMore"] ?? "%d", report.problems.count) : "",
                ] as [String: Any]
        }
        return render("roster-upload", values, title: texts["importRoster"] ?? "", request, session, status: status)
    }
}
