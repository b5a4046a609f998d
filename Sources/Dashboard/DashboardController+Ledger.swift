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
        let pageNumber = Self.parameter(request, "page").flatMap { Int($0) }.flatMap { $0 >= 1 ? $0 : nil } ?? 1
        let found = try await needs.search(
            NeedSearch(
                township: String(code.scopePrefix), status: .open, category: category, order: .oldest,
                page: pageNumber, pageSize: PageRequest<Int64>.maximumLimit),
            within: limit)
        let township = try await regions.names(of: [code.digits])[code.digits] ?? code.digits
        let rows = found.items.map { row -> [String: Any] in
            let need = row.need
            return [
                "id": String(need.id), "household": String(need.householdID), "caseNumber": row.caseNumber,
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
            "printedAt": Self.timeText(Date()), "count": String(found.total),
        ]
        if pageNumber < found.pageCount {
            values["next"] = Self.link(
                "/dashboard/ledger",
                [
                    ("township", code.digits), ("category", category.map { String($0) }),
                    ("page", String(pageNumber + 1)),
                ])
        }
        let title = Self.filled(texts["ledgerOf"] ?? "", ["township": township])
        return render("ledger", values, title: title, request, session)
    }
}
