import Foundation
import HTTPTypes
import Hummingbird
import Matching
import Store

/// A township's 台账 of needs: its open needs (or those of one category), every one on one
/// page, laid out to print on paper (the style sheet's `@media print` section).
extension DashboardController {
    func addLedgerRoutes(to group: RouterGroup<Context>) {
        group.get("ledger", use: ledgerPage)
    }

    @Sendable func ledgerPage(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.readNeeds) else { return Self.redirect(Self.homePath(session.principal.role)) }
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let limit = session.regionLimit
        guard let code = Self.parameter(request, "township").flatMap(RegionCode.init), code.level == .township,
            limit?.contains(code) ?? true
        else {
            return render(
                "table", ["hasRows": false, "empty": texts["invalid.township"] ?? ""], title: texts["ledger"] ?? "",
                request, session, status: .unprocessableContent)
        }
        let category = Self.parameter(request, "category").flatMap { Int64($0) }.flatMap {
            categoryNames[$0] == nil ? nil : $0
        }
        let after = Self.cursor(request, "after")
        let page = try await needs.list(
            within: code.scope, status: .open, category: category,
            page: PageRequest(after: after, limit: PageRequest<Int64>.maximumLimit))
        let township = try await regions.names(of: [code.digits])[code.digits] ?? code.digits
        let rows = page.items.map { need -> [String: Any] in
            [
                "id": String(need.id), "household": String(need.householdID),
                "category": categoryName(need.categoryID, language),
                "quantity": "\(need.quantity) \(Self.unitName(need.unit, texts))",
                "missing": String(need.quantity - need.fulfilledQuantity), "urgency": String(need.urgency),
                "emergency": need.isEmergency, "neededBy": need.neededBy ?? "",
                "recordedAt": Self.dateText(need.recordedAt), "description": need.description ?? "",
            ]
        }
        var values: [String: Any] = [
            "township": township, "category": category.map { categoryName($0, language) } ?? "",
            "rows": rows, "hasRows": !rows.isEmpty, "empty": texts["noNeeds"] ?? "",
            "printedAt": Self.timeText(Date()), "count": String(rows.count),
        ]
        values["next"] = page.nextCursor.map {
            Self.link(
                "/dashboard/ledger",
                [("township", code.digits), ("category", category.map { String($0) }), ("after", String($0))])
        }
        let title = Self.filled(texts["ledgerOf"] ?? "", ["township": township])
        return render("ledger", values, title: title, request, session)
    }
}
