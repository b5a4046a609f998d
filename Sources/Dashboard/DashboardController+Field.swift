import Foundation
import Hummingbird
import Matching
import Store

/// What the caseworker's and the charity's pages share: rendering with the language choice
/// kept, the one "not found" page, and the words for codes the Store speaks in.
extension DashboardController {
    /// `template` in the frame of the signed-in session, remembering a `?lang=` choice.
    func render(
        _ template: String, _ values: [String: Any], title: String, _ request: Request, _ session: DashboardSession,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var response = pages.page(template, values, frame: frame(title, request, session), status: status)
        Self.rememberLanguage(request, in: &response)
        return response
    }

    /// The answer for anything missing or outside the caller's reach. It never names what
    /// was asked for, so a page for someone else's record reads exactly like one for a
    /// record that does not exist, and nobody can probe for ids.
    func notFound(_ request: Request, _ session: DashboardSession) -> Response {
        let texts = DashboardText.strings(Self.language(request))
        return render(
            "not-found", ["home": Self.homePath(session.principal.role)], title: texts["notFound"] ?? "", request,
            session, status: .notFound)
    }

    /// The `{id}` of the path; nil for anything but a number, which pages answer as not found.
    static func pathID(_ context: Context) -> Int64? {
        context.parameters.get("id", as: Int64.self)
    }

    /// A cursor from the query (`after` and the like); nil when absent or not a number.
    static func cursor(_ request: Request, _ name: String) -> Int64? {
        request.uri.queryParameters.get(name, as: Int64.self)
    }

    /// A time as people in the county read it: `yyyy-mm-dd hh:mm`, China time.
    static func timeText(_ date: Date?) -> String {
        guard let date else { return "" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = chinaTime
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    /// The word for a unit code (`portion`, …), or the code itself when it has none.
    static func unitName(_ code: String?, _ texts: [String: String]) -> String {
        guard let code else { return "" }
        return texts["unit." + code] ?? code
    }

    /// The ID number as staff may see it: only its last four characters.
    static func maskedIDNumber(_ lastFour: String) -> String {
        String(repeating: "*", count: 14) + lastFour
    }

    /// A household's summary lines (case number, place, members, statuses, flags, consent,
    /// masked ID number) for the caseworker's pages.
    func householdSummary(
        _ household: HouseholdRecord, regionName: String?, _ texts: [String: String]
    ) -> [String: Any] {
        [
            "id": String(household.id), "caseNumber": household.caseNumber,
            "region": regionName ?? household.regionCode, "regionCode": household.regionCode,
            "members": String(household.members),
            "statuses": Self.list(
                household.assistanceStatuses.map { texts["assistance." + $0.rawValue] ?? $0.rawValue }),
            "flags": Self.list(household.vulnerabilityFlags.map { texts["flag." + $0.rawValue] ?? $0.rawValue }),
            "consent": household.hasConsent ? (texts["yes"] ?? "") : (texts["no"] ?? ""),
            "idNumber": Self.maskedIDNumber(household.idNumberLast4),
        ]
    }

    /// Words in one line, or a dash for none.
    static func list(_ words: [String]) -> String {
        words.isEmpty ? "–" : words.joined(separator: "、")
    }
}
