import Foundation
import HTTPTypes
import Hummingbird
import Matching
import Store

/// What a decision POST did, for the page that follows it.
struct ReviewOutcome {
    /// Per match: its id, whether the step went through, and what happened in words.
    var results: [(id: Int64, done: Bool, text: String)] = []
    /// Messages by form field (`reason_code`, `note`, `picks`).
    var errors: [String: String] = [:]
    /// The reason and note as sent, to fill the form again.
    var reason: String?
    var note: String?
}

extension DashboardController {
    /// The reasons a coordinator picks from to reject a proposal: the Store's list.
    static var rejectReasons: [String] { DecisionReasons.reject }

    func addReviewRoutes(to group: RouterGroup<Context>) {
        group.get(
            "review",
            use: coordinatorPage { [self] request, session in
                try await reviewPage(request, session, query: ReviewQuery { Self.parameter(request, $0) })
            })
        group.post("review", use: coordinatorPage { [self] in try await decide($0, $1) })
    }

    /// Approves or rejects the chosen proposals one by one, each in its own transaction as
    /// the API would, and answers with the same selection and what happened to each match:
    /// one refusal (capacity used up, a need withdrawn) does not undo or stop the others.
    /// A row's own 驳回 takes the reason picked on that row; the bulk buttons the one above.
    func decide(_ request: Request, _ session: DashboardSession) async throws -> Response {
        guard let form = try await form(request, session) else { return try refusedForm(request, session) }
        let texts = DashboardText.strings(Self.language(request))
        let query = ReviewQuery { form[$0] }
        var outcome = ReviewOutcome(reason: form["reason_code"], note: form["note"])
        let (transition, ids, row) = Self.decision(form)
        guard let transition, !ids.isEmpty else {
            outcome.errors["picks"] = texts["invalid.picks"] ?? ""
            return try await reviewPage(request, session, query: query, outcome: outcome, status: .unprocessableContent)
        }
        let reasonField = row.map { "reason.\($0)" } ?? "reason_code"
        let reason = transition == .reject ? Self.nonBlank(form[reasonField]) : nil
        let note = Self.nonBlank(form[row.map { "note.\($0)" } ?? "note"] ?? form["note"])
        matches: for id in ids {
            do {
                let record = try await matches.apply(
                    transition, to: id, by: session.principal, reasonCode: reason, note: note)
                outcome.results.append((id, true, texts[record.status.rawValue] ?? record.status.rawValue))
            } catch let error as StoreError {
                // A refused field refuses every match alike, before any of them changed.
                if case .invalid(let field, let why) = error {
                    let shown = field == "reason_code" ? reasonField : field
                    outcome.errors[shown] = Self.fieldMessage(field, why, texts)
                    outcome.results = []
                    break matches
                }
                outcome.results.append((id, false, Self.refusal(error, texts)))
            }
        }
        return try await reviewPage(
            request, session, query: query, outcome: outcome,
            status: outcome.errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// The step, the matches and the row (when one row's button was pressed) a decision
    /// form names: one row's button (`row` = `approve.12`), or the bulk buttons (`decision`)
    /// with the ticked `pick.<id>` boxes, and every row of the page (`on_page`) when "all on
    /// this page" is ticked.
    static func decision(_ form: HTMLForm) -> (MatchTransition?, [Int64], Int64?) {
        func transition(_ text: Substring?) -> MatchTransition? {
            switch text {
            case "approve": .approve
            case "reject": .reject
            default: nil
            }
        }
        if let row = form["row"] {
            let parts = row.split(separator: ".", maxSplits: 1)
            guard parts.count == 2, let id = Int64(parts[1]) else { return (nil, [], nil) }
            return (transition(parts[0]), [id], id)
        }
        var ids = Set(form.fields.keys.filter { $0.hasPrefix("pick.") }.compactMap { Int64($0.dropFirst(5)) })
        if form["all"] != nil {
            ids.formUnion((form["on_page"] ?? "").split(separator: ",").compactMap { Int64($0) })
        }
        return (transition(form["decision"].map { Substring($0) }), ids.sorted(), nil)
    }

    static func nonBlank(_ text: String?) -> String? {
        text.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The proposals waiting in the caller's region across every run (or one run's, or the
    /// hand-made ones with `run=manual`), under the filters, with their total, a page at a
    /// time, each score drawn as its factors and each row linked to its need and household.
    func reviewPage(
        _ request: Request, _ session: DashboardSession, query: ReviewQuery, outcome: ReviewOutcome? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let limit = session.regionLimit
        var values: [String: Any] = ["csrf": session.csrfToken]
        if let outcome { values.merge(Self.outcomeValues(outcome, texts)) { _, new in new } }
        var run: MatchRunRecord?
        if let id = query.run {
            run = try await coordination.runs.run(id: id, within: limit)
            guard run != nil else {
                values["noRun"] = texts["runNotFound"] ?? ""
                return coordinatorResponse("review", values, titleKey: "review", request, session, status: .notFound)
            }
        }
        let checked = query.checked(
            within: limit, categories: Set(categoryNames.keys), texts: texts, day: Self.day)
        if let run { values["run"] = try await runSummary(run, texts) }
        if query.handMade { values["handMade"] = true }
        values["filters"] = try await reviewFilters(query, language, within: limit)
        values["filterErrors"] = checked.errors
        values["keep"] = (query.fields + [("page", String(query.page))]).compactMap { name, value in
            value.map { ["name": name, "value": $0] }
        }
        values["reasons"] = Self.rejectReasons.map { code in
            ["code": code, "label": texts["reason." + code] ?? code, "selected": outcome?.reason == code]
        }
        values["legend"] = SVGChart.breakdownLegend(labels: Self.factorLabels(texts))
        guard checked.errors.isEmpty else {
            values["empty"] = texts["fixFilters"] ?? ""
            return coordinatorResponse(
                "review", values, titleKey: "review", request, session, status: .unprocessableContent)
        }
        var filter = MatchFilter(
            status: .proposed, run: run?.id, category: checked.category, charity: checked.charity,
            handMade: query.handMade)
        filter.region = checked.township ?? limit
        let pageSize = 50
        let worklist = try await matches.worklist(
            MatchWorklistQuery(
                filter: filter, scoreMicro: checked.scoreMicro, createdFrom: checked.createdFrom,
                createdBefore: checked.createdBefore, offset: (query.page - 1) * pageSize, limit: pageSize))
        let labels = Self.factorLabels(texts)
        values["rows"] = worklist.rows.map { reviewRow($0, labels: labels, outcome: outcome, texts, language) }
        values["hasRows"] = !worklist.rows.isEmpty
        values["onPage"] = worklist.rows.map { String($0.match.id) }.joined(separator: ",")
        let emptyKey =
            query.page > 1 ? "noMoreProposals" : (run == nil && !query.handMade ? "noWaiting" : "noProposals")
        values["empty"] = texts[emptyKey] ?? ""
        values.merge(
            Self.pager(
                "/dashboard/review", query.fields, page: query.page, size: pageSize, total: worklist.total, texts)
        ) { _, new in new }
        return coordinatorResponse("review", values, titleKey: "review", request, session, status: status)
    }

    /// "41–60 of 1,513" and the links to the previous and next pages of a positional list.
    static func pager(
        _ path: String, _ fields: [(String, String?)], page: Int, size: Int, total: Int, _ texts: [String: String]
    ) -> [String: Any] {
        let pages = max(1, (total + size - 1) / size)
        var values: [String: Any] = [
            "total": String(total),
            "totals": filled(
                texts["pageTotals"] ?? "",
                [
                    "from": String(min(total, (page - 1) * size + 1)), "to": String(min(total, page * size)),
                    "total": String(total), "page": String(page), "pages": String(pages),
                ]),
        ]
        if page > 1 { values["previous"] = link(path, fields + [("page", String(min(page - 1, pages)))]) }
        if page < pages { values["next"] = link(path, fields + [("page", String(page + 1))]) }
        return values
    }

    private static func outcomeValues(_ outcome: ReviewOutcome, _ texts: [String: String]) -> [String: Any] {
        let done = outcome.results.filter(\.done).count
        var values: [String: Any] = ["errors": outcome.errors, "note": outcome.note ?? ""]
        if !outcome.results.isEmpty {
            values["results"] =
                [
                    "summary": filled(
                        texts["resultSummary"] ?? "",
                        ["done": String(done), "refused": String(outcome.results.count - done)]),
                    "items": outcome.results.map { ["id": String($0.id), "done": $0.done, "text": $0.text] },
                ] as [String: Any]
        }
        return values
    }

    /// The run a review page is about, in one line of facts.
    private func runSummary(_ run: MatchRunRecord, _ texts: [String: String]) async throws -> [String: Any] {
        let region = try await regions.names(of: [run.region])[run.region]
        return [
            "id": String(run.id), "region": region.map { "\($0) (\(run.region))" } ?? run.region,
            "policy": "\(run.policyName ?? "standard") v\(run.policyVersion ?? 1)",
            "started": Self.timeText(run.startedAt),
            "status": texts["run." + run.status.rawValue] ?? run.status.rawValue,
            "matches": String(run.matches), "units": String(run.units),
        ]
    }

    /// The choices of the filter form, with the current ones selected: the runs that still
    /// have proposals waiting, the region's townships, the categories and the charities.
    private func reviewFilters(
        _ query: ReviewQuery, _ language: DashboardLanguage, within limit: RegionScope?
    ) async throws -> [String: Any] {
        let texts = DashboardText.strings(language)
        var townships: [[String: Any]] = []
        if let scope = limit {
            townships = try await regions.regions(
                in: scope, level: .township, page: PageRequest(limit: PageRequest<String>.maximumLimit)
            ).items.map { ["value": $0.code, "label": $0.name, "selected": $0.code == query.township] }
        }
        let categories = categoryNames.sorted { $0.value.code < $1.value.code }.map { id, names in
            let name = language == .chinese ? names.zh : names.en
            return [
                "value": String(id), "label": names.code.contains(".") ? "· " + name : name,
                "selected": String(id) == query.category,
            ] as [String: Any]
        }
        let charities = try await coordination.regionalCharities.names(within: limit).map {
            ["value": String($0.id), "label": $0.name, "selected": String($0.id) == query.charity] as [String: Any]
        }
        var runs = try await matches.runsWithProposals(within: limit).map { run, waiting in
            [
                "value": String(run), "selected": run == query.run,
                "label": Self.filled(texts["runWaiting"] ?? "", ["run": String(run), "waiting": String(waiting)]),
            ] as [String: Any]
        }
        runs.append(["value": "manual", "label": texts["handMadeProposals"] ?? "", "selected": query.handMade])
        return [
            "runs": runs, "townships": townships, "categories": categories, "charities": charities,
            "min": query.minimumScore ?? "", "max": query.maximumScore ?? "", "from": query.from ?? "",
            "until": query.until ?? "",
        ]
    }

    private func reviewRow(
        _ row: MatchReviewRow, labels: [ScoreFactor: String], outcome: ReviewOutcome?, _ texts: [String: String],
        _ language: DashboardLanguage
    ) -> [String: Any] {
        let breakdown = row.match.breakdown
        let id = row.match.id
        let reasonError = outcome?.errors["reason.\(id)"]
        var values: [String: Any] = [
            "id": String(id), "category": categoryName(row.categoryID, language),
            "handMade": row.match.runID == nil, "run": row.match.runID.map { String($0) } ?? "",
            "need": String(row.match.needID), "household": String(row.householdID), "caseNumber": row.caseNumber,
            "urgency": String(row.urgency), "emergency": row.isEmergency,
            "township": row.townshipName ?? row.householdRegion, "offer": row.offerTitle, "charity": row.charityName,
            "units": String(row.match.units), "proposedAt": Self.timeText(row.match.createdAt),
            "score": row.match.scoreMicro.map { SVGChart.format(Double($0) / 1_000_000) } ?? "–",
            "reasons": Self.rejectReasons.map { code in
                ["code": code, "label": texts["reason." + code] ?? code] as [String: Any]
            },
            "terms": (breakdown?.terms ?? []).map { term in
                [
                    "factor": labels[term.factor] ?? term.factor.rawValue, "value": SVGChart.format(term.value),
                    "weight": SVGChart.format(term.weight),
                    "contribution": SVGChart.format(SVGChart.contribution(term)),
                ]
            },
        ]
        values["reasonError"] = reasonError
        values["bar"] = breakdown.map { SVGChart.breakdownBar($0, labels: labels) }
        return values
    }

    /// The factors' names in the reader's language.
    static func factorLabels(_ texts: [String: String]) -> [ScoreFactor: String] {
        Dictionary(
            uniqueKeysWithValues: ScoreFactor.allCases.map { ($0, texts["factor." + $0.rawValue] ?? $0.rawValue) })
    }
}
