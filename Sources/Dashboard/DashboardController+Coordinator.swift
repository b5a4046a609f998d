import Foundation
import HTTPTypes
import Hummingbird
import Matching
import Store

/// What the coordinator's pages share: who may open them, how a page is answered, how a
/// Store refusal reads, and the dates and numbers they show.
extension DashboardController {
    /// A page for coordinators and admins, as the API opens runs, reviews and sanctions to
    /// them: someone signed out goes to the sign-in form, any other role to its own home.
    func coordinatorPage(
        _ body: @escaping @Sendable (Request, DashboardSession) async throws -> Response
    ) -> @Sendable (Request, Context) async throws -> Response {
        { request, _ in
            guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
            guard session.principal.may(.approveMatch) else {
                return Self.redirect(Self.homePath(session.principal.role))
            }
            return try await body(request, session)
        }
    }

    /// `template` with `values` in the signed-in frame, titled by the word `titleKey`.
    func coordinatorResponse(
        _ template: String, _ values: [String: Any], titleKey: String, _ request: Request,
        _ session: DashboardSession, status: HTTPResponse.Status = .ok
    ) -> Response {
        let texts = DashboardText.strings(Self.language(request))
        return render(template, values, title: texts[titleKey] ?? titleKey, request, session, status: status)
    }

    /// A Store refusal in the reader's language, with its figures filled in. A conflict's
    /// own words come from the Store and are shown as they are.
    static func refusal(_ error: StoreError, _ texts: [String: String]) -> String {
        func text(_ key: String, _ values: [String: String]) -> String { filled(texts[key] ?? key, values) }
        switch error {
        case .capacityExhausted(let offer, let requested, let remaining):
            return text(
                "refused.capacity",
                ["offer": String(offer), "requested": String(requested), "remaining": String(remaining)])
        case .invalidTransition(let entity, let id, let from, _):
            return text(
                "refused.state", ["id": id, "status": texts[entity.rawValue + "." + from] ?? texts[from] ?? from])
        case .notFound(_, let id):
            return text("refused.missing", ["id": id])
        case .conflict(let reason):
            return conflictText(reason, texts)
        case .runInProgress(let region):
            return text("refused.running", ["region": region])
        case .versionMismatch:
            return texts["refused.changed"] ?? ""
        case .invalid(let field, let reason):
            return fieldMessage(field, reason, texts)
        case .forbidden:
            return texts["refused.forbidden"] ?? ""
        case .ineligible(let reasons):
            return text(
                "refused.ineligible", ["reasons": reasons.map { texts["reason." + $0] ?? $0 }.joined(separator: "、")])
        case .idempotentReplay, .idempotencyKeyReused, .databaseFailure:
            return text("refused.conflict", ["reason": error.description])
        case .databaseUnavailable:
            return texts["refused.unavailable"] ?? ""
        }
    }

    /// A conflict in the reader's words (`conflict.<code>`), its state named as the pages
    /// name it; the Store's sentence where the dashboard has no words of its own.
    static func conflictText(_ reason: ConflictReason, _ texts: [String: String]) -> String {
        var figures = reason.figures
        if let status = figures["status"], let entity = figures["entity"] {
            figures["status"] = texts[entity + "." + status] ?? texts[status] ?? status
        }
        guard let template = texts["conflict." + reason.code] else {
            return filled(texts["refused.conflict"] ?? "{reason}", ["reason": reason.description])
        }
        return filled(template, figures)
    }

    /// `template` with each `{name}` replaced by its value.
    static func filled(_ template: String, _ values: [String: String]) -> String {
        values.reduce(template) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
    }

    /// The message next to a field the Store refused: the page's own words for the field
    /// when it has them, else the Store's reason.
    static func fieldMessage(_ field: String, _ reason: String, _ texts: [String: String]) -> String {
        texts["invalid." + field] ?? reason
    }

    /// The query parameter `name` of a GET, trimmed; nil when absent or blank.
    static func parameter(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map { String($0).trimmingCharacters(in: .whitespaces) }
            .flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A link to `path` with `query` (blank values left out), escaped for a URL.
    static func link(_ path: String, _ query: [(String, String?)]) -> String {
        var components = URLComponents()
        components.path = path
        let items = query.compactMap { name, value in value.map { URLQueryItem(name: name, value: $0) } }
        components.queryItems = items.isEmpty ? nil : items
        return components.string ?? path
    }

    /// Coordinators work in China's one time zone; times show there whatever the server's.
    static var chinaTime: TimeZone { TimeZone(identifier: "Asia/Shanghai") ?? .gmt }
}
