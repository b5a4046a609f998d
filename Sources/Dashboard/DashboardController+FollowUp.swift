import Foundation
import HTTPTypes
import Hummingbird
import Matching
import Store

/// The coordinator's matches after review: approved, accepted by the charity, delivered,
/// and those whose hold is about to lapse, with filters, search, sorting, totals and pages.
extension DashboardController {
    /// The lists a coordinator follows, by the `status` parameter's value.
    static var followUpLists: [String] { ["approved", "accepted", "delivered", "expiring"] }

    /// A hold "about to lapse" lapses within this many hours.
    static var expiringHours: Double { 48 }

    func addFollowUpRoutes(to group: RouterGroup<Context>) {
        group.get("follow-up", use: coordinatorPage { [self] in try await followUpPage($0, $1) })
    }

    func followUpPage(_ request: Request, _ session: DashboardSession) async throws -> Response {
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let limit = session.regionLimit
        var query = ReviewQuery { Self.parameter(request, $0) }
        let list =
            Self.parameter(request, "status").flatMap { Self.followUpLists.contains($0) ? $0 : nil } ?? "approved"
        let search = Self.parameter(request, "q")
        let order = Self.parameter(request, "sort").flatMap(MatchWorklistQuery.Order.init) ?? .newest
        query.run = nil
        let checked = query.checked(within: limit, categories: Set(categoryNames.keys), texts: texts, day: Self.day)
        let fields: [(String, String?)] = [
            ("status", list), ("township", query.township), ("category", query.category), ("from", query.from),
            ("until", query.until), ("q", search), ("sort", order.rawValue),
        ]
        var values: [String: Any] = [
            "lists": Self.followUpLists.map { code in
                [
                    "code": code, "label": texts["list." + code] ?? code, "current": code == list,
                    "href": Self.link("/dashboard/follow-up", [("status", code)]),
                ] as [String: Any]
            },
            "status": list, "q": search ?? "", "from": query.from ?? "", "until": query.until ?? "",
            "errors": checked.errors,
            "sorts": MatchWorklistQuery.Order.allCases.map { choice in
                [
                    "value": choice.rawValue, "label": texts["sort." + choice.rawValue] ?? choice.rawValue,
                    "selected": choice == order,
                ] as [String: Any]
            },
            "townships": try await townshipChoices(limit, selected: query.township),
            "categories": categoryChoices(language, selected: query.category),
        ]
        if list != "expiring" { values["export"] = Self.link("/dashboard/export/matches.csv", [("status", list)]) }
        guard checked.errors.isEmpty else {
            values["empty"] = texts["fixFilters"] ?? ""
            return coordinatorResponse(
                "follow-up", values, titleKey: "followUp", request, session, status: .unprocessableContent)
        }
        var filter = MatchFilter(category: checked.category)
        filter.region = checked.township ?? limit
        var worklistQuery = MatchWorklistQuery(
            filter: filter, createdFrom: checked.createdFrom, createdBefore: checked.createdBefore, search: search,
            order: order, offset: (query.page - 1) * 50, limit: 50)
        if list == "expiring" {
            worklistQuery.statuses = [.proposed, .approved, .accepted]
            worklistQuery.holdLapsesBefore = Date().addingTimeInterval(Self.expiringHours * 3600)
        } else {
            worklistQuery.filter.status = MatchStatus(rawValue: list)
        }
        let page = try await matches.worklist(worklistQuery)
        values["rows"] = page.rows.map { row -> [String: Any] in
            [
                "id": String(row.match.id), "need": String(row.match.needID), "household": String(row.householdID),
                "caseNumber": row.caseNumber, "category": categoryName(row.categoryID, language),
                "township": row.townshipName ?? row.householdRegion, "offer": row.offerTitle,
                "charity": row.charityName, "units": String(row.match.units),
                "status": texts[row.match.status.rawValue] ?? row.match.status.rawValue,
                "score": row.match.scoreMicro.map { SVGChart.format(Double($0) / 1_000_000) } ?? "–",
                "proposedAt": Self.timeText(row.match.createdAt), "decidedAt": Self.timeText(row.match.decidedAt),
                "holdExpires": Self.timeText(row.match.holdExpiresAt),
            ]
        }
        values["hasRows"] = !page.rows.isEmpty
        values["empty"] = texts["noFollowUp"] ?? ""
        values.merge(Self.pager("/dashboard/follow-up", fields, page: query.page, size: 50, total: page.total, texts)) {
            _, new in new
        }
        return coordinatorResponse("follow-up", values, titleKey: "followUp", request, session)
    }

    /// The townships of the caller's region as filter choices, `selected` marked.
    func townshipChoices(_ limit: RegionScope?, selected: String?) async throws -> [[String: Any]] {
        guard let limit else { return [] }
        return try await regions.regions(
            in: limit, level: .township, page: PageRequest(limit: PageRequest<String>.maximumLimit)
        ).items.map { ["value": $0.code, "label": $0.name, "selected": $0.code == selected] }
    }

    /// Every category as a filter choice, groups followed by their categories.
    func categoryChoices(_ language: DashboardLanguage, selected: String?) -> [[String: Any]] {
        categoryNames.sorted { $0.value.code < $1.value.code }.map { id, names in
            let name = language == .chinese ? names.zh : names.en
            return [
                "value": String(id), "label": names.code.contains(".") ? "· " + name : name,
                "selected": String(id) == selected,
            ]
        }
    }
}
