import Foundation
import HTTPTypes
import Hummingbird
import Matching
import Store

/// What the runs page shows besides the history: a message after an action, the forms as
/// they were sent with their errors, and a preview's result.
struct RunsPageState {
    var flash: [String: Any]?
    var startRegion: String?
    var startPolicy: String?
    var startDryRun = false
    var startErrors: [String: String] = [:]
    var previewRegion: String?
    var previewErrors: [String: String] = [:]
    var weights: WeightsForm?
    var preview: [String: Any]?
    /// Why a run proposed nothing: reasons and the counts behind them.
    var why: [String: Any]?
    var status: HTTPResponse.Status = .ok
}

extension DashboardController {
    /// The policy the preview tries weights for and publishes: the one runs use by default.
    static var previewedPolicy: String { "standard" }

    func addRunsRoutes(to group: RouterGroup<Context>) {
        group.get("runs", use: coordinatorPage { [self] in try await runsPage($0, $1, RunsPageState()) })
        group.post("runs", use: coordinatorPage { [self] in try await startRun($0, $1) })
        group.post("runs/preview", use: coordinatorPage { [self] in try await previewWeights($0, $1) })
        group.post("runs/publish", use: coordinatorPage { [self] in try await publishWeights($0, $1) })
    }

    /// Starts a run for a region inside the caller's, as `POST /v1/match-runs` does: a real
    /// run goes on to its review, a dry run reports what it would have proposed.
    func startRun(_ request: Request, _ session: DashboardSession) async throws -> Response {
        guard let form = try await form(request, session) else { return try refusedForm(request, session) }
        let texts = DashboardText.strings(Self.language(request))
        var state = RunsPageState(
            startRegion: form["region"], startPolicy: form["policy"], startDryRun: form["dry_run"] != nil)
        let region: RegionCode
        switch Self.region(form["region"], within: session.regionLimit, texts) {
        case .success(let code): region = code
        case .failure(let problem):
            state.startErrors["region"] = problem.message
            state.status = .unprocessableContent
            return try await runsPage(request, session, state)
        }
        let run = MatchingRunRequest(
            region: region, policyName: Self.nonBlank(form["policy"]), dryRun: state.startDryRun,
            actor: session.principal.actor)
        do {
            let (report, _) = try await coordination.runs.run(run)
            if let id = report.runID, report.matches > 0 {
                return Self.redirect("/dashboard/review?run=\(id)", notice: "runRecorded", "#\(id)")
            }
            let figures = [
                "region": report.region, "needs": String(report.needs), "matches": String(report.matches),
                "units": String(report.units), "run": report.runID.map { String($0) } ?? "",
            ]
            let done = report.runID == nil ? "dryRunDone" : "runProposedNothing"
            state.flash = ["ok": true, "text": Self.filled(texts[done] ?? "", figures)]
            if report.matches == 0 { state.why = try await nothingProposed(report, region: region, texts) }
        } catch let error as StoreError {
            switch error {
            case .notFound(let entity, _):
                let field = entity == .region ? "region" : "policy"
                state.startErrors[field] = texts[field == "region" ? "invalid.regionUnknown" : "invalid.policy"] ?? ""
            case .invalid(let field, let reason):
                state.startErrors[field] = Self.fieldMessage(field, reason, texts)
            default:
                state.flash = ["ok": false, "text": Self.refusal(error, texts)]
            }
            state.status = error.isRunInProgress ? .conflict : .unprocessableContent
        }
        return try await runsPage(request, session, state)
    }

    /// Two dry runs on the same data, one with the weights runs use now and one with the
    /// weights typed, and the units each would give every category.
    func previewWeights(_ request: Request, _ session: DashboardSession) async throws -> Response {
        guard let form = try await form(request, session) else { return try refusedForm(request, session) }
        let texts = DashboardText.strings(Self.language(request))
        var weights = WeightsForm(form)
        var state = RunsPageState(previewRegion: form["region"])
        let trialPolicy = weights.policy(named: Self.previewedPolicy, texts)
        state.weights = weights
        let region: RegionCode?
        switch Self.region(form["region"], within: session.regionLimit, texts) {
        case .success(let code): region = code
        case .failure(let problem):
            state.previewErrors["region"] = problem.message
            region = nil
        }
        guard let region, let trialPolicy else {
            state.status = .unprocessableContent
            return try await runsPage(request, session, state)
        }
        let current = MatchingRunRequest(region: region, dryRun: true, actor: session.principal.actor)
        var trial = current
        trial.trialPolicy = trialPolicy
        do {
            // One after the other, as the API does: each run already uses two connections.
            let before = try await coordination.runs.run(current).0
            let after = try await coordination.runs.run(trial).0
            state.preview = previewTable(before, after, region: region, Self.language(request))
        } catch let error as StoreError {
            if case .notFound(.region, _) = error {
                state.previewErrors["region"] = texts["invalid.regionUnknown"] ?? ""
            } else {
                state.flash = ["ok": false, "text": Self.refusal(error, texts)]
            }
            state.status = .unprocessableContent
        }
        return try await runsPage(request, session, state)
    }

    /// Publishes the previewed weights as the next version of the standard policy, which
    /// every later run uses.
    func publishWeights(_ request: Request, _ session: DashboardSession) async throws -> Response {
        guard let form = try await form(request, session) else { return try refusedForm(request, session) }
        let texts = DashboardText.strings(Self.language(request))
        var weights = WeightsForm(form)
        var state = RunsPageState(previewRegion: form["region"])
        let policy = weights.policy(named: Self.previewedPolicy, texts)
        state.weights = weights
        guard let policy else {
            state.status = .unprocessableContent
            return try await runsPage(request, session, state)
        }
        do {
            let stored = try await coordination.policies.publish(
                name: policy.name, weights: policy.weights, description: Self.nonBlank(form["description"]),
                by: session.principal)
            state.flash = [
                "ok": true,
                "text": Self.filled(
                    texts["published"] ?? "",
                    [
                        "name": stored.policy.name, "version": String(stored.policy.version),
                        "region": stored.region?.prefix ?? texts["nationwide"] ?? "",
                    ]),
            ]
            state.weights = WeightsForm(policy: stored.policy)
        } catch let error as StoreError {
            if case .invalid(let field, let reason) = error {
                state.weights?.errors[field] = Self.fieldMessage(field, reason, texts)
            } else {
                state.flash = ["ok": false, "text": Self.refusal(error, texts)]
            }
            state.status = .unprocessableContent
        }
        return try await runsPage(request, session, state)
    }

    /// Units per category under both policies, their difference, and the totals.
    private func previewTable(
        _ before: MatchingRunReport, _ after: MatchingRunReport, region: RegionCode, _ language: DashboardLanguage
    ) -> [String: Any] {
        let byCode = Dictionary(uniqueKeysWithValues: categoryNames.values.map { ($0.code, $0) })
        let codes = Set(before.unitsByCategory.keys).union(after.unitsByCategory.keys).sorted()
        func row(_ label: String, _ current: Int, _ trial: Int) -> [String: String] {
            let difference = trial - current
            return [
                "label": label, "current": String(current), "trial": String(trial),
                "difference": difference > 0 ? "+\(difference)" : String(difference),
            ]
        }
        let rows = codes.map { code in
            row(
                byCode[code].map { language == .chinese ? $0.zh : $0.en } ?? code, before.unitsByCategory[code] ?? 0,
                after.unitsByCategory[code] ?? 0)
        }
        return [
            "region": region.digits, "rows": rows, "hasRows": !rows.isEmpty,
            "total": row("", before.units, after.units), "matches": row("", before.matches, after.matches),
            "currentPolicy": "\(before.policyName) v\(before.policyVersion)",
        ]
    }

    /// The history of runs in the caller's region, newest first, with the forms to start a
    /// run and to try and publish weights.
    func runsPage(_ request: Request, _ session: DashboardSession, _ state: RunsPageState) async throws -> Response {
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let limit = session.regionLimit
        let after = Self.cursor(request, "after")
        let page = try await coordination.runs.runs(within: limit, page: PageRequest(after: after, limit: 25))
        let names = try await regions.names(of: Set(page.items.map(\.region)))
        let ownRegion = Self.regionCode(session)
        let ownCode = ownRegion.flatMap(RegionCode.init)
        let standard = try await coordination.policies.active(named: Self.previewedPolicy, for: ownCode).policy
        // The version each policy name has where the caller's runs take place.
        var policies: [WeightPolicy] = []
        let applying = try await coordination.policies.list(bearingOn: limit).filter { stored in
            stored.region.map { region in limit?.prefix.hasPrefix(region.prefix) ?? false } ?? true
        }
        for name in Set(applying.map(\.policy.name)).sorted() {
            policies.append(try await coordination.policies.active(named: name, for: ownCode).policy)
        }
        let chosenPolicy = state.startPolicy ?? Self.previewedPolicy
        var previewForm: [String: Any] = [
            "region": state.previewRegion ?? ownRegion ?? "", "errors": state.previewErrors,
            "weights": (state.weights ?? WeightsForm(policy: standard)).fields(Self.factorLabels(texts)),
        ]
        previewForm["weightsError"] = state.weights?.errors["weights"]
        var values: [String: Any] = [
            "csrf": session.csrfToken,
            "runs": page.items.map { runRow($0, names, texts) }, "hasRuns": !page.items.isEmpty,
            "start": [
                "region": state.startRegion ?? ownRegion ?? "", "dryRun": state.startDryRun,
                "errors": state.startErrors,
            ] as [String: Any],
            "policies": policies.map {
                ["name": $0.name, "version": String($0.version), "selected": $0.name == chosenPolicy] as [String: Any]
            },
            "previewForm": previewForm,
            "regionChoices": try await regionChoices(limit),
        ]
        values["flash"] = state.flash
        values["preview"] = state.preview
        values["why"] = state.why
        values["next"] = page.nextCursor.map { "/dashboard/runs?after=\($0)" }
        if after != nil { values["first"] = "/dashboard/runs" }
        return coordinatorResponse("runs", values, titleKey: "runs", request, session, status: state.status)
    }

    private func runRow(_ run: MatchRunRecord, _ names: [String: String], _ texts: [String: String]) -> [String: Any] {
        [
            "id": String(run.id), "started": Self.timeText(run.startedAt),
            "region": names[run.region].map { "\($0) (\(run.region))" } ?? run.region,
            "policy": run.policyName.map { "\($0) v\(run.policyVersion ?? 1)" } ?? (texts["builtInWeights"] ?? ""),
            "status": texts["run." + run.status.rawValue] ?? run.status.rawValue,
            "needs": String(run.needs), "offers": String(run.offers), "pairs": String(run.edges),
            "matches": String(run.matches), "units": String(run.units),
            "objective": String(format: "%.2f", Double(run.objectiveMicro) / 1_000_000),
            "seconds": run.seconds.map { String(format: "%.2f", $0.total) } ?? "–",
        ]
    }

    /// Regions a run or preview may name, offered as suggestions: the caller's own and the
    /// townships inside it (a page of them); an admin types a code.
    private func regionChoices(_ limit: RegionScope?) async throws -> [[String: String]] {
        guard let limit else { return [] }
        let regions = try await regions.regions(
            in: limit, level: limit.level < .township ? .township : nil,
            page: PageRequest(limit: PageRequest<String>.maximumLimit))
        return regions.items.map { ["code": $0.code, "name": $0.name] }
    }

    /// The 12-digit code of a session's region (nil for an admin): what region fields offer
    /// first.
    static func regionCode(_ session: DashboardSession) -> String? {
        session.regionLimit.map { $0.prefix + String(repeating: "0", count: 12 - $0.prefix.count) }
    }

    /// The region a form names, if the caller may act on it: a 12-digit code inside the
    /// caller's region; otherwise the message for the field, as the API checks it.
    static func region(
        _ text: String?, within limit: RegionScope?, _ texts: [String: String]
    ) -> Result<RegionCode, FieldProblem> {
        guard let text, let region = RegionCode(text) else {
            return .failure(FieldProblem(texts["invalid.region"] ?? ""))
        }
        if let limit, !limit.contains(region) { return .failure(FieldProblem(texts["invalid.regionOutside"] ?? "")) }
        return .success(region)
    }
}

extension StoreError {
    /// An overlapping run answers 409 as the API's does; the other refusals of a form 422.
    var isRunInProgress: Bool {
        if case .runInProgress = self { return true }
        return false
    }
}

/// A message for one form field, as a `Result` failure.
struct FieldProblem: Error {
    let message: String

    init(_ message: String) {
        self.message = message
    }
}
