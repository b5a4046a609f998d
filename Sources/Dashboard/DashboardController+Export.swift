import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Store

/// The matches CSV from the dashboard: the Store's export, as `GET /v1/exports/matches.csv`
/// gives it, with its header in the page's language.
extension DashboardController {
    func addExportRoutes(to group: RouterGroup<Context>) {
        group.get("export/matches.csv", use: coordinatorPage { [self] in try await exportMatches($0, $1) })
    }

    /// One run's matches (`run`) or the matches in one status (`status`, approved by
    /// default), inside the caller's region.
    func exportMatches(_ request: Request, _ session: DashboardSession) async throws -> Response {
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        guard session.principal.may(.exportMatches) else { return Self.redirect(Self.homePath(session.principal.role)) }
        let selection: MatchExport.Selection
        if let run = Self.parameter(request, "run") {
            guard let id = Int64(run), id > 0 else {
                return exportRefused(texts["invalid.run"] ?? "", request, session)
            }
            selection = .run(id)
        } else {
            let status = Self.parameter(request, "status") ?? MatchStatus.approved.rawValue
            guard let known = MatchStatus(rawValue: status) else {
                return exportRefused(texts["invalid.status"] ?? "", request, session)
            }
            selection = .status(known)
        }
        let bytes = try await coordination.exports.csv(
            selection, within: session.regionLimit, language: language == .chinese ? .chinese : .english)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"matches.csv\"",
                .cacheControl: "no-store",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    private func exportRefused(_ message: String, _ request: Request, _ session: DashboardSession) -> Response {
        coordinatorResponse(
            "table", ["hasRows": false, "empty": message], titleKey: "export", request, session,
            status: .unprocessableContent)
    }
}
