import Foundation
import HTTPTypes
import Hummingbird
import Matching
import Store

/// The offers reaching the coordinator's region, read-only: what the charities still have to
/// give, by status, category and charity, searched, sorted and counted.
extension DashboardController {
    func addRegionOfferRoutes(to group: RouterGroup<Context>) {
        group.get("region-offers", use: coordinatorPage { [self] in try await regionOffersPage($0, $1) })
    }

    func regionOffersPage(_ request: Request, _ session: DashboardSession) async throws -> Response {
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let status = Self.parameter(request, "status")
        let category = Self.parameter(request, "category")
        let charity = Self.parameter(request, "charity")
        let search = Self.parameter(request, "q")
        let order = Self.parameter(request, "sort").flatMap(RegionOfferQuery.Order.init) ?? .newest
        let page = Self.parameter(request, "page").flatMap { Int($0) }.map { max(1, min($0, 100_000)) } ?? 1
        var errors: [String: String] = [:]
        var query = RegionOfferQuery(scope: session.regionLimit, search: search, order: order, offset: (page - 1) * 50)
        if let status {
            query.status = OfferStatus(rawValue: status)
            if query.status == nil { errors["status"] = texts["invalid.status"] ?? "" }
        }
        if let category {
            query.category = Int64(category).flatMap { categoryNames[$0] == nil ? nil : $0 }
            if query.category == nil { errors["category"] = texts["invalid.category"] ?? "" }
        }
        if let charity {
            query.charity = Int64(charity)
            if query.charity == nil { errors["charity"] = texts["invalid.charity"] ?? "" }
        }
        let fields: [(String, String?)] = [
            ("status", status), ("category", category), ("charity", charity), ("q", search), ("sort", order.rawValue),
        ]
        var values: [String: Any] = [
            "q": search ?? "", "errors": errors,
            "statuses": ["open", "paused", "closed"].map {
                ["value": $0, "label": texts["offerStatus." + $0] ?? $0, "selected": $0 == status] as [String: Any]
            },
            "categories": categoryChoices(language, selected: category),
            "charities": try await coordination.regionalCharities.names(within: session.regionLimit).map {
                ["value": String($0.id), "label": $0.name, "selected": String($0.id) == charity] as [String: Any]
            },
            "sorts": RegionOfferQuery.Order.allCases.map { choice in
                [
                    "value": choice.rawValue, "label": texts["sort." + choice.rawValue] ?? choice.rawValue,
                    "selected": choice == order,
                ] as [String: Any]
            },
        ]
        guard errors.isEmpty else {
            values["empty"] = texts["fixFilters"] ?? ""
            return coordinatorResponse(
                "region-offers", values, titleKey: "regionOffers", request, session, status: .unprocessableContent)
        }
        let found = try await offers.regionOffers(query)
        let padded = { (prefix: String) in prefix + String(repeating: "0", count: max(0, 12 - prefix.count)) }
        let areaNames = try await regions.names(
            of: Set(found.rows.flatMap { $0.offer.terms.serviceRegionPrefixes.map(padded) }))
        values["rows"] = found.rows.map { row -> [String: Any] in
            let terms = row.offer.terms
            let unit = Self.unitName(terms.unit, texts)
            return [
                "id": String(row.offer.id), "title": terms.title, "charity": row.charityName,
                "category": categoryName(row.offer.categoryID, language),
                "capacity": "\(terms.capacity) \(unit)", "allocated": String(row.offer.allocated),
                "free": String(row.free),
                "status": texts["offerStatus." + row.offer.status.rawValue] ?? row.offer.status.rawValue,
                "window": [terms.availableFrom, terms.availableUntil].map { Self.dateText($0) }.joined(
                    separator: " – "),
                "area": terms.serviceCircle.map { String(format: "%.0f km", $0.radiusKilometres) }
                    ?? terms.serviceRegionPrefixes.map { areaNames[padded($0)] ?? $0 }.joined(separator: "、"),
            ]
        }
        values["hasRows"] = !found.rows.isEmpty
        values["empty"] = texts["noRegionOffers"] ?? ""
        values.merge(Self.pager("/dashboard/region-offers", fields, page: page, size: 50, total: found.total, texts)) {
            _, new in new
        }
        return coordinatorResponse("region-offers", values, titleKey: "regionOffers", request, session)
    }

    /// A day in China time (`yyyy-mm-dd`), or "…" for an open end.
    static func dateText(_ date: Date?) -> String {
        guard let date else { return "…" }
        return String(timeText(date).prefix(10))
    }
}
