import Foundation
import Hummingbird
import Matching
import Store

/// The caseworker's needs: recording one for a household of the region, and one need with
/// its household, its candidates (ranked as a run would rank them, and the offers left out
/// with every reason) and its matches, where a delivered one is rated. A need outside the
/// caller's region is not found.
extension DashboardController {
    /// How many ranked offers the need page shows.
    static var rankedShown: Int { 20 }
    /// How many offers the need page lists under each reason for leaving offers out.
    static var excludedPageSize: Int { 50 }

    func addNeedRoutes(to group: RouterGroup<Context>) {
        group.get("needs/new", use: needForm)
        group.post("needs/new", use: recordNeed)
        group.get("needs/{id}", use: needDetail)
        addNeedActionRoutes(to: group)
        // The rating is asked for on the need page, so it lives with it.
        group.post("matches/{id}/feedback", use: recordFeedback)
    }

    /// The empty need form, with the household filled in when the link named one.
    @Sendable func needForm(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.recordNeed) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        let household = request.uri.queryParameters["household"].map(String.init) ?? ""
        return needFormPage(NeedForm(household: household), request, session, status: .ok)
    }

    /// Records the need and shows it; a refused form comes back with the values as typed
    /// and each refusal next to its field.
    @Sendable func recordNeed(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.recordNeed) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        var entry = NeedForm(posted)
        let household = try await household(named: entry.household, within: session.regionLimit)
        if household == nil, !entry.household.isEmpty { entry.errors["household"] = "error.householdNotFound" }
        guard let (category, details) = entry.checked(), let household else {
            return needFormPage(entry, request, session, status: .unprocessableContent)
        }
        do {
            let need = try await needs.record(
                household: household.id, category: category, details, within: session.regionLimit,
                by: session.principal.actor)
            return Self.redirect("/dashboard/needs/\(need.id)", notice: "needRecorded", "#\(need.id)")
        } catch let error as StoreError {
            guard entry.refuse(error) else { throw error }
            return needFormPage(entry, request, session, status: .unprocessableContent)
        }
    }

    /// One need of the caller's region with its candidates and matches.
    @Sendable func needDetail(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.readNeeds) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        return try await needPage(id, feedback: nil, request, session, status: .ok)
    }

    /// Records a household's rating of a delivered match of the caller's region, then shows
    /// the need again; a refusal is shown next to the field on the need page.
    @Sendable func recordFeedback(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.recordNeed) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context),
            let match = try await matches.match(id: id, visibleTo: MatchFilter(region: session.regionLimit))
        else { return notFound(request, session) }
        var entry = FeedbackForm(match: match.id, posted)
        if let (satisfaction, comment) = entry.checked() {
            do {
                try await matches.recordFeedback(
                    match: match.id, satisfaction: satisfaction, comment: comment, by: session.principal.actor)
                return Self.redirect(
                    "/dashboard/needs/\(match.needID)#match-\(match.id)", notice: "feedbackRecorded", "#\(match.id)")
            } catch let error as StoreError {
                guard entry.refuse(error) else { throw error }
            }
        }
        let status: HTTPResponse.Status = entry.errors["form"] == nil ? .unprocessableContent : .conflict
        return try await needPage(match.needID, feedback: entry, request, session, status: status)
    }

    /// The need page, with a refused feedback form shown where it was filled in and a
    /// refused proposal or cancellation (`problems`, text keys by section) by its form.
    func needPage(
        _ id: Int64, feedback entry: FeedbackForm?, problems: [String: String] = [:], _ request: Request,
        _ session: DashboardSession, status: HTTPResponse.Status
    ) async throws -> Response {
        let scope = session.regionLimit
        guard let need = try await needs.need(id: id, within: scope),
            let household = try await households.household(id: need.householdID, within: scope)
        else { return notFound(request, session) }
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let candidates = try await ranking.candidates(
            forNeed: need.id, within: scope, policyName: nil, limit: Self.rankedShown, includeIneligible: true,
            asOf: Date())
        let names = try await regions.names(of: [household.regionCode])
        var values: [String: Any] = [
            "need": needSummary(need, candidates.openQuantity, language, texts),
            "household": householdSummary(household, regionName: names[household.regionCode], texts),
            "householdHref": "/dashboard/households/\(household.id)",
        ]
        values.merge(
            candidateValues(candidates, proposes: session.principal.may(.proposeMatch), request, texts)
        ) { first, _ in first }
        let recordsFeedback = session.principal.may(.recordNeed)
        let receiptProblems = problems.filter { $0.key.hasPrefix("receipt.") }
        let page = try await matches.list(
            MatchFilter(need: need.id, region: scope),
            page: PageRequest(after: Self.cursor(request, "matches_after"), limit: 50))
        var matchRows: [[String: Any]] = []
        for match in page.items {
            matchRows.append(
                try await matchRow(
                    match, unit: need.unit, recordsFeedback: recordsFeedback, entry: entry, texts))
            matchRows[matchRows.count - 1].merge(
                receiptValues(match, session.principal, problem: receiptProblems["receipt.\(match.id)"], texts)
            ) { first, _ in first }
        }
        values["matches"] = matchRows
        values["hasMatches"] = !matchRows.isEmpty
        values["csrf"] = session.csrfToken
        values["problems"] = problems.filter { !$0.key.hasPrefix("receipt.") }.mapValues { texts[$0] ?? $0 }
        if session.principal.may(.changeNeed), need.status == .open || need.status == .matched {
            if need.status == .open { values["editHref"] = "/dashboard/needs/\(need.id)/edit" }
            values["cancelForm"] =
                [
                    "action": "/dashboard/needs/\(need.id)/cancel",
                    "reasons": DecisionReasons.cancel.map { code -> [String: String] in
                        ["value": code, "label": texts["cancelReason." + code] ?? code]
                    },
                ] as [String: Any]
        }
        if let next = page.nextCursor { values["matchesNext"] = "/dashboard/needs/\(need.id)?matches_after=\(next)" }
        return render("need", values, title: (texts["need"] ?? "") + " #\(need.id)", request, session, status: status)
    }

    /// The household a form names by case number, or by id when the text is a number and
    /// no case number matches; nil when neither lies inside `scope`.
    private func household(named text: String, within scope: RegionScope?) async throws -> HouseholdRecord? {
        guard !text.isEmpty else { return nil }
        if let found = try await households.household(caseNumber: text, within: scope) { return found }
        guard let id = Int64(text) else { return nil }
        return try await households.household(id: id, within: scope)
    }

    /// The need form: for recording one, or for correcting `editing` (with `conflict`, the
    /// need as it now is shows above what the caseworker typed).
    func needFormPage(
        _ entry: NeedForm, editing: NeedRecord? = nil, conflict: Bool = false, _ request: Request,
        _ session: DashboardSession, status: HTTPResponse.Status
    ) -> Response {
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let groups = categories.filter { $0.level == 1 }.map { group -> [String: Any] in
            [
                "label": language == .chinese ? group.nameZh : group.nameEn,
                "options": categories.filter { $0.parentID == group.id }.map { category -> [String: Any] in
                    [
                        "value": String(category.id), "label": language == .chinese ? category.nameZh : category.nameEn,
                        "selected": String(category.id) == entry.category,
                    ]
                },
            ]
        }
        let units = NeedForm.units.map { code -> [String: Any] in
            [
                "value": code, "label": code.isEmpty ? (texts["unitDefault"] ?? "") : Self.unitName(code, texts),
                "selected": code == entry.unit,
            ]
        }
        let urgencies = (1...5).map { level -> [String: Any] in
            [
                "value": String(level), "label": texts["urgency.\(level)"] ?? "",
                "selected": String(level) == entry.urgency,
            ]
        }
        var values: [String: Any] = [
            "form": [
                "household": entry.household, "quantity": entry.quantity, "emergency": entry.isEmergency,
                "neededBy": entry.neededBy, "description": entry.description, "version": entry.version,
            ] as [String: Any],
            "groups": groups, "units": units, "urgencies": urgencies, "action": "/dashboard/needs/new",
            "errors": entry.errors.mapValues { texts[$0] ?? $0 }, "hasErrors": !entry.errors.isEmpty,
        ]
        guard let need = editing else {
            return render("need-form", values, title: texts["newNeed"] ?? "", request, session, status: status)
        }
        values["editing"] = true
        values["action"] = "/dashboard/needs/\(need.id)/edit"
        values["cancelHref"] = "/dashboard/needs/\(need.id)"
        values["categoryName"] = categoryName(need.categoryID, language)
        if conflict { values["current"] = needSummary(need, 0, language, texts) }
        return render(
            "need-form", values, title: (texts["editNeed"] ?? "") + " #\(need.id)", request, session, status: status)
    }

    private func needSummary(
        _ need: NeedRecord, _ openQuantity: Int, _ language: DashboardLanguage, _ texts: [String: String]
    ) -> [String: Any] {
        var summary: [String: Any] = [
            "category": categoryName(need.categoryID, language),
            "quantity": "\(need.quantity) \(Self.unitName(need.unit, texts))",
            "fulfilled": String(need.fulfilledQuantity), "open": String(max(0, openQuantity)),
            "urgency": String(need.urgency), "emergency": need.isEmergency, "neededBy": need.neededBy ?? "–",
            "status": texts[need.status.rawValue] ?? need.status.rawValue, "recordedAt": Self.timeText(need.recordedAt),
        ]
        if let description = need.description { summary["description"] = description }
        return summary
    }

    /// The ranked offers with their bars, the legend and (for a caseworker) a proposal form
    /// each; and the excluded offers grouped by reason, each reason with its count and its
    /// offers (an offer with several reasons appears under each).
    private func candidateValues(
        _ candidates: NeedCandidates, proposes: Bool, _ request: Request, _ texts: [String: String]
    ) -> [String: Any] {
        let factorNames = Self.factorLabels(texts)
        let ranked = candidates.ranked.enumerated().map { index, candidate -> [String: Any] in
            var row: [String: Any] = [
                "rank": String(index + 1), "title": candidate.offerTitle, "offerID": String(candidate.offerID),
                "charity": candidate.charityName, "remaining": String(candidate.remaining),
                "units": String(candidate.units), "score": String(format: "%.3f", candidate.breakdown.score),
                "bar": SVGChart.breakdownBar(candidate.breakdown, labels: factorNames),
            ]
            if proposes { row["propose"] = "/dashboard/needs/\(candidates.need.id)/propose" }
            return row
        }
        let chinese = Self.language(request) == .chinese
        var groups: [String: (label: String, offers: [String])] = [:]
        for offer in candidates.ineligible {
            for reason in offer.reasons {
                // A reason reads as its short Chinese name in zh-CN and as the Store's sentence in
                // English (the Store words its reasons in English); grouped, the code's own label.
                let label = texts["reason." + reason.code] ?? (chinese ? reason.code : reason.message)
                groups[reason.code, default: (label: label, offers: [])].offers.append(
                    "\(offer.offerTitle) · \(offer.charityName)")
            }
        }
        let excluded = groups.sorted { ($1.value.offers.count, $0.key) < ($0.value.offers.count, $1.key) }
            .map { code, group -> [String: Any] in
                [
                    "code": code, "label": group.label, "count": String(group.offers.count),
                    "offers": Array(group.offers.prefix(Self.excludedPageSize)),
                    "more": group.offers.count > Self.excludedPageSize
                        ? String(format: texts["excludedMore"] ?? "%d", group.offers.count - Self.excludedPageSize)
                        : "",
                ]
            }
        var values: [String: Any] = [
            "excludedCount": String(candidates.ineligible.count),
            "ranked": ranked, "hasRanked": !ranked.isEmpty, "legend": SVGChart.breakdownLegend(labels: factorNames),
            "policy": "\(candidates.policyName) v\(candidates.policyVersion)",
            "excluded": excluded, "hasExcluded": !excluded.isEmpty,
            "noRankedText": candidates.openQuantity <= 0 || candidates.need.status != .open
                ? texts["needCovered"] ?? "" : texts["noRanked"] ?? "",
        ]
        if candidates.eligibleCount > ranked.count {
            values["rankedNote"] = String(
                format: texts["rankedNote"] ?? "%d / %d", ranked.count, candidates.eligibleCount)
        }
        return values
    }

    /// One of the need's matches: the offer and charity, where it stands, its rating, and
    /// the feedback form for a delivered match not yet rated.
    private func matchRow(
        _ match: MatchRecord, unit: String, recordsFeedback: Bool, entry: FeedbackForm?, _ texts: [String: String]
    ) async throws -> [String: Any] {
        let offer = try await offers.offer(id: match.offerID)
        var charityName = ""
        if let offer, let charity = try await charities.charity(id: offer.charityID) { charityName = charity.name }
        var row: [String: Any] = [
            "id": String(match.id), "offer": offer?.terms.title ?? String(match.offerID), "charity": charityName,
            "units": "\(match.units) \(Self.unitName(unit, texts))",
            "status": texts[match.status.rawValue] ?? match.status.rawValue,
            "score": match.scoreMicro.map { String(format: "%.3f", Double($0) / 1_000_000) } ?? "–",
            "decidedAt": Self.timeText(match.decidedAt),
        ]
        if let mine = entry, mine.match == match.id, let key = mine.errors["form"] {
            row["feedbackError"] = texts[key] ?? key
        }
        guard match.status == .delivered else { return row }
        if let rating = try await feedback.feedback(ofMatch: match.id) {
            row["rating"] = ["satisfaction": String(rating.satisfaction), "comment": rating.comment ?? ""]
        } else if recordsFeedback {
            let mine = entry?.match == match.id ? entry : nil
            row["feedbackForm"] =
                [
                    "action": "/dashboard/matches/\(match.id)/feedback",
                    "choices": (1...5).map { level -> [String: Any] in
                        [
                            "value": String(level), "label": texts["satisfaction.\(level)"] ?? String(level),
                            "selected": mine?.satisfaction == String(level),
                        ]
                    },
                    "comment": mine?.comment ?? "",
                    "errors": (mine?.errors ?? [:]).filter { $0.key != "form" }.mapValues { texts[$0] ?? $0 },
                ] as [String: Any]
        }
        return row
    }
}
