import Foundation
import Hummingbird
import Matching
import Store

/// The caseworker's households: the region's roll a page at a time, and one household with
/// its needs. As in the API, a household outside the caller's region is not found.
extension DashboardController {
    func addHouseholdRoutes(to group: RouterGroup<Context>) {
        group.get("households", use: householdList)
        group.get("households/{id}", use: householdPage)
    }

    /// The households of the caller's region, by id, fifty at a time.
    @Sendable func householdList(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.readHouseholds) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        let texts = DashboardText.strings(Self.language(request))
        let page = try await households.list(
            within: session.regionLimit, page: PageRequest(after: Self.cursor(request, "after"), limit: 50))
        let names = try await regions.names(of: Set(page.items.map(\.regionCode)))
        let rows = page.items.map { householdSummary($0, regionName: names[$0.regionCode], texts) }
        var values: [String: Any] = ["rows": rows, "hasRows": !rows.isEmpty]
        if let next = page.nextCursor { values["next"] = "/dashboard/households?after=\(next)" }
        return render("households", values, title: texts["households"] ?? "", request, session)
    }

    /// One household of the caller's region: its summary, its needs a page at a time, and
    /// (for those who record needs) the way to add one.
    @Sendable func householdPage(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.readHouseholds) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let id = Self.pathID(context),
            let household = try await households.household(id: id, within: session.regionLimit)
        else { return notFound(request, session) }
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let names = try await regions.names(of: [household.regionCode])
        let page = try await needs.list(
            within: session.regionLimit, household: household.id,
            page: PageRequest(after: Self.cursor(request, "after"), limit: 50))
        let needRows = page.items.map { need -> [String: Any] in
            [
                "href": "/dashboard/needs/\(need.id)", "id": String(need.id),
                "category": categoryName(need.categoryID, language),
                "quantity": "\(need.quantity) \(Self.unitName(need.unit, texts))", "urgency": String(need.urgency),
                "emergency": need.isEmergency, "neededBy": need.neededBy ?? "",
                "status": texts[need.status.rawValue] ?? need.status.rawValue,
            ]
        }
        var values: [String: Any] = [
            "household": householdSummary(household, regionName: names[household.regionCode], texts),
            "needs": needRows, "hasNeeds": !needRows.isEmpty,
        ]
        if let next = page.nextCursor { values["next"] = "/dashboard/households/\(household.id)?after=\(next)" }
        if session.principal.may(.recordNeed) {
            values["newNeed"] = "/dashboard/needs/new?household=" + Self.queryValue(household.caseNumber)
        }
        return render(
            "household", values, title: (texts["household"] ?? "") + " " + household.caseNumber, request, session)
    }

    /// RFC 3986's unreserved characters, the only ones a query value keeps as they are.
    static var unreserved: CharacterSet {
        CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    }

    /// `text` made safe as one query parameter value.
    static func queryValue(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
