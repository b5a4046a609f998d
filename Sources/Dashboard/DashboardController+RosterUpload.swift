import Foundation
import Hummingbird
import Store

/// The caseworker's file uploads: a household roll or a government aid file chosen in the
/// browser, checked and imported by the same importer as `POST /v1/imports/households`,
/// `POST /v1/imports/aid` and `charity-match import`, and its report shown row by row
/// (line, column, what is wrong).
extension DashboardController {
    /// What a file upload brings in.
    enum RosterKind: Sendable {
        case households, aid

        var path: String { self == .households ? "/dashboard/households/import" : "/dashboard/aid/import" }
        var action: Action { self == .households ? .importRoster : .recordAid }
        var titleKey: String { self == .households ? "importRoster" : "importAidTitle" }
        var hintKey: String { self == .households ? "rosterHint" : "aidFileHint" }
        var summaryKey: String { self == .households ? "rosterSummary" : "aidSummary" }
        var columns: [String] {
            self == .households
                ? HouseholdRoster.Column.allCases.map(\.rawValue) : AidRoster.Column.allCases.map(\.rawValue)
        }
    }

    func addRosterUploadRoutes(to group: RouterGroup<Context>) {
        group.get("households/import", use: { try await rosterUploadForm($0, $1, kind: .households) })
        group.post("households/import", use: { try await uploadRoster($0, $1, kind: .households) })
        group.get("aid/import", use: { try await rosterUploadForm($0, $1, kind: .aid) })
        group.post("aid/import", use: { try await uploadRoster($0, $1, kind: .aid) })
    }

    @Sendable func rosterUploadForm(_ request: Request, _ context: Context, kind: RosterKind) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(kind.action) else { return Self.redirect(Self.homePath(session.principal.role)) }
        return rosterPage(kind, report: nil, error: nil, partial: false, request, session, status: .ok)
    }

    /// Imports the uploaded file (all or nothing unless "import the good rows" is ticked)
    /// and shows what happened; a file refused as a whole answers 422 with its problems.
    @Sendable func uploadRoster(_ request: Request, _ context: Context, kind: RosterKind) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(kind.action) else { return Self.redirect(Self.homePath(session.principal.role)) }
        let upload: MultipartForm
        do {
            upload = try await MultipartForm.read(request)
        } catch let refusal as MultipartForm.Refusal {
            let key = refusal == .tooLarge ? "error.rosterTooLarge" : "error.rosterUnreadable"
            let status: HTTPResponse.Status = refusal == .tooLarge ? .contentTooLarge : .badRequest
            return rosterPage(kind, report: nil, error: key, partial: false, request, session, status: status)
        }
        guard upload["_csrf"] == session.csrfToken else { return try refusedForm(request, session) }
        let partial = upload["partial"] != nil
        guard let file = upload.files["file"], !file.isEmpty else {
            return rosterPage(
                kind, report: nil, error: "error.rosterMissing", partial: partial, request, session,
                status: .unprocessableContent)
        }
        let importer = store.importer(logger: context.logger)
        let options = RosterImporter.Options(
            mode: partial ? .partial : .allOrNothing, scope: session.regionLimit, actor: session.principal.actor)
        let report =
            switch kind {
            case .households: try await importer.importHouseholds(csv: file, sealer: store.sealer, options: options)
            case .aid: try await importer.importAid(csv: file, options: options)
            }
        let status: HTTPResponse.Status = report.imported == 0 && !report.isComplete ? .unprocessableContent : .ok
        return rosterPage(kind, report: report, error: nil, partial: partial, request, session, status: status)
    }

    private func rosterPage(
        _ kind: RosterKind, report: ImportReport?, error: String?, partial: Bool, _ request: Request,
        _ session: DashboardSession, status: HTTPResponse.Status
    ) -> Response {
        let texts = DashboardText.strings(Self.language(request))
        var values: [String: Any] = [
            "partial": partial, "columns": kind.columns, "action": kind.path, "hint": texts[kind.hintKey] ?? "",
            "back": "/dashboard/households",
        ]
        values["error"] = error.map { texts[$0] ?? $0 }
        if let report {
            values["report"] =
                [
                    "summary": String(
                        format: texts[kind.summaryKey] ?? "%d %d %d", report.rowsRead, report.imported,
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
        return render("roster-upload", values, title: texts[kind.titleKey] ?? "", request, session, status: status)
    }
}
