import Foundation
import Hummingbird
import Matching
import Store

/// The caseworker's households: the region's roll a page at a time, and one household with
/// its needs. As in the API, a household outside the caller's region is not found.
extension DashboardController {
    func addHouseholdRoutes(to group: RouterGroup<Context>) {
        group.get("households", use: householdList)
        addHouseholdEditRoutes(to: group)
        addAidChainRoutes(to: group)
        addRosterUploadRoutes(to: group)
        group.get("households/{id}", use: householdDetail)
    }

    /// The households of the caller's region that match the search (a case number, the
    /// head's name or an ID number's last four) and the filters, in the order asked, fifty
    /// to a page, with the total.
    @Sendable func householdList(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.readHouseholds) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        let texts = DashboardText.strings(Self.language(request))
        let query = ListQuery(request, names: ["q", "township", "status", "sort"])
        let search = HouseholdSearch(
            text: query["q"], township: query["township"],
            status: query["status"].flatMap(AssistanceStatus.init(rawValue:)),
            order: query["sort"].flatMap(HouseholdSearch.Order.init(rawValue:)) ?? .caseNumber, page: query.page)
        let found: HouseholdSearchPage
        var filterError: String?
        do {
            found = try await households.search(search, within: session.regionLimit)
        } catch StoreError.invalid(_, _) {
            filterError = texts["error.listFilter"]
            found = try await households.search(HouseholdSearch(), within: session.regionLimit)
        }
        let names = try await regions.names(of: Set(found.items.map(\.regionCode)))
        let rows = found.items.map { householdSummary($0, regionName: names[$0.regionCode], texts) }
        let townships = try await townshipChoices(session, selected: query["township"])
        var values: [String: Any] = [
            "rows": rows, "hasRows": !rows.isEmpty, "q": query["q"] ?? "",
            "townships": townships, "hasTownships": !townships.isEmpty,
            "statuses": HouseholdForm.statusCodes.map { code -> [String: Any] in
                ["value": code, "label": texts["assistance." + code] ?? code, "selected": query["status"] == code]
            },
            "sorts": HouseholdSearch.Order.allCases.map { order -> [String: Any] in
                [
                    "value": order.rawValue, "label": texts["sort." + order.rawValue] ?? order.rawValue,
                    "selected": search.order == order,
                ]
            },
            "totals": String(format: texts["listTotals"] ?? "%d %d %d", found.total, found.page, found.pageCount),
        ]
        values["filterError"] = filterError
        values.merge(query.pageLinks("/dashboard/households", page: found.page, pageCount: found.pageCount)) { a, _ in a
        }
        if session.principal.may(.registerHousehold) {
            values["registerHref"] = "/dashboard/households/new"
            values["importHref"] = "/dashboard/households/import"
            values["importAidHref"] = "/dashboard/aid/import"
        }
        return render("households", values, title: texts["households"] ?? "", request, session)
    }

    /// The townships of the caller's region to filter by; empty for an administrator, whose
    /// reach is the whole country.
    func townshipChoices(_ session: DashboardSession, selected: String?) async throws -> [[String: Any]] {
        guard let scope = session.regionLimit else { return [] }
        let page = try await regions.regions(in: scope, level: .township, page: PageRequest(limit: 500))
        return page.items.map { township -> [String: Any] in
            ["value": township.scopePrefix, "label": township.name, "selected": selected == township.scopePrefix]
        }
    }

    /// One household of the caller's region: its summary, its needs a page at a time, and
    /// (for those who keep the roll) the ways to correct it, to record or withdraw consent
    /// and to add a need.
    @Sendable func householdDetail(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.readHouseholds) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        return try await householdPage(id, consentError: nil, request, session)
    }

    /// The household page; a refused consent form's message shows by the consent section (422).
    func householdPage(
        _ id: Int64, consentError: String?, _ request: Request, _ session: DashboardSession
    ) async throws -> Response {
        guard let household = try await households.household(id: id, within: session.regionLimit) else {
            return notFound(request, session)
        }
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
            "contact": [
                "headName": household.contactName ?? "–", "phone": household.contactPhone ?? "–",
                "address": household.address ?? "–",
            ],
        ]
        if let next = page.nextCursor { values["next"] = "/dashboard/households/\(household.id)?after=\(next)" }
        if session.principal.may(.recordNeed) {
            values["newNeed"] = "/dashboard/needs/new?household=" + Self.queryValue(household.caseNumber)
        }
        if session.principal.may(.changeHousehold) { values["editHref"] = "/dashboard/households/\(household.id)/edit" }
        values["timelineHref"] = "/dashboard/households/\(household.id)/timeline"
        if session.principal.may(.recordConsent) {
            values["consentForms"] =
                [
                    "given": household.hasConsent, "scope": household.consentScope ?? "",
                    "givenAt": Self.timeText(household.consentGivenAt),
                    "withdrawnAt": Self.timeText(household.consentWithdrawnAt),
                    "record": "/dashboard/households/\(household.id)/consent",
                    "withdraw": "/dashboard/households/\(household.id)/consent/withdraw",
                    "error": consentError.map { texts[$0] ?? $0 } ?? "",
                ] as [String: Any]
        }
        return render(
            "household", values, title: (texts["household"] ?? "") + " " + household.caseNumber, request, session,
            status: consentError == nil ? .ok : .unprocessableContent)
    }

    /// `text` made safe as one query parameter value.
    static func queryValue(_ text: String) -> String {
        ListQuery.encoded(text)
    }
}
