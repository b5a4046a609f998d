import Foundation
import Hummingbird
import Matching
import Store

/// The needs of the caller's region as a list people work from: searched by case number,
/// filtered by township, status, category and the days recorded, sorted, fifty to a page
/// with the total and the previous and next pages.
extension DashboardController {
    @Sendable func needList(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.readNeeds) else { return Self.redirect(Self.homePath(session.principal.role)) }
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let query = ListQuery(request, names: ["q", "township", "status", "category", "from", "to", "sort"])
        let search = NeedSearch(
            caseNumber: query["q"], township: query["township"],
            status: query["status"].flatMap(NeedStatus.init(rawValue:)),
            category: query["category"].flatMap { Int64($0) }, recordedFrom: query["from"], recordedTo: query["to"],
            order: query["sort"].flatMap(NeedSearch.Order.init(rawValue:)) ?? .newest, page: query.page)
        let found: NeedSearchPage
        var filterError: String?
        do {
            found = try await needs.search(search, within: session.regionLimit)
        } catch StoreError.invalid(_, _) {
            filterError = texts["error.listFilter"]
            found = try await needs.search(NeedSearch(), within: session.regionLimit)
        }
        let rows = found.items.map { row -> [String: Any] in
            let need = row.need
            return [
                "href": "/dashboard/needs/\(need.id)", "id": String(need.id), "caseNumber": row.caseNumber,
                "category": categoryName(need.categoryID, language),
                "quantity": "\(need.quantity) \(Self.unitName(need.unit, texts))", "urgency": String(need.urgency),
                "emergency": need.isEmergency, "neededBy": need.neededBy ?? "",
                "recordedAt": Self.timeText(need.recordedAt),
                "status": texts[need.status.rawValue] ?? need.status.rawValue,
            ]
        }
        let townships = try await townshipChoices(session, selected: query["township"])
        let groups = categories.filter { $0.level == 1 }.map { group -> [String: Any] in
            [
                "value": String(group.id), "label": language == .chinese ? group.nameZh : group.nameEn,
                "selected": query["category"] == String(group.id),
                "options": categories.filter { $0.parentID == group.id }.map { category -> [String: Any] in
                    [
                        "value": String(category.id), "label": language == .chinese ? category.nameZh : category.nameEn,
                        "selected": query["category"] == String(category.id),
                    ]
                },
            ]
        }
        var values: [String: Any] = [
            "rows": rows, "hasRows": !rows.isEmpty, "q": query["q"] ?? "", "from": query["from"] ?? "",
            "to": query["to"] ?? "", "townships": townships, "hasTownships": !townships.isEmpty, "groups": groups,
            "statuses": NeedStatus.allCases.map { status -> [String: Any] in
                [
                    "value": status.rawValue, "label": texts[status.rawValue] ?? status.rawValue,
                    "selected": search.status == status,
                ]
            },
            "sorts": NeedSearch.Order.allCases.map { order -> [String: Any] in
                [
                    "value": order.rawValue, "label": texts["needSort." + order.rawValue] ?? order.rawValue,
                    "selected": search.order == order,
                ]
            },
            "totals": String(format: texts["needTotals"] ?? "%d %d %d", found.total, found.page, found.pageCount),
        ]
        values["filterError"] = filterError
        values.merge(query.pageLinks("/dashboard/needs", page: found.page, pageCount: found.pageCount)) { a, _ in a }
        if session.principal.may(.recordNeed) { values["newNeed"] = "/dashboard/needs/new" }
        return render("needs", values, title: texts["needs"] ?? "", request, session)
    }
}
