import Foundation
import HTTPTypes
import Hummingbird
import Store

/// The coordinator's charity evaluations (绩效评价): compute a quarter's draft for their
/// region, read each charity's figures and the formula's score, give the coordinator's score
/// and note, publish. The same Store calls as `/v1/evaluations`; reached from the charities page.
extension DashboardController {
    func addEvaluationRoutes(to group: RouterGroup<Context>) {
        group.get(
            "evaluations",
            use: evaluationPage { [self] request, session in try await evaluationsPage(request, session) })
        group.post("evaluations", use: evaluationPage { [self] in try await computeEvaluation($0, $1) })
        group.post(
            "evaluations/{id}/charities/{charity}",
            use: { [self] request, context in
                try await evaluationPage { [self] in
                    try await scoreCharity(
                        $0, $1, id: Self.pathID(context), charity: context.parameters.get("charity", as: Int64.self))
                }(request, context)
            })
        group.post(
            "evaluations/{id}/publish",
            use: { [self] request, context in
                try await evaluationPage { [self] in try await publishEvaluation($0, $1, id: Self.pathID(context)) }(
                    request, context)
            })
    }

    /// Signed in with the power to evaluate, else to sign-in or home.
    private func evaluationPage(
        _ body: @escaping @Sendable (Request, DashboardSession) async throws -> Response
    ) -> @Sendable (Request, Context) async throws -> Response {
        { request, _ in
            guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
            guard session.principal.may(.evaluateCharities) else {
                return Self.redirect(Self.homePath(session.principal.role))
            }
            return try await body(request, session)
        }
    }

    private func computeEvaluation(_ request: Request, _ session: DashboardSession) async throws -> Response {
        guard let form = try await form(request, session) else { return try refusedForm(request, session) }
        let periodText = (form["period"] ?? "").trimmingCharacters(in: .whitespaces)
        do {
            let period = try EvaluationPeriod(parsing: periodText)
            let record = try await store.evaluations.compute(region: nil, period: period, by: session.principal)
            return Self.redirect(
                "/dashboard/evaluations?period=\(record.period)", notice: "evaluationComputed", record.period)
        } catch let error as StoreError {
            return try await evaluationsPage(request, session, period: periodText, refused: error)
        }
    }

    private func scoreCharity(
        _ request: Request, _ session: DashboardSession, id: Int64?, charity: Int64?
    ) async throws -> Response {
        guard let form = try await form(request, session) else { return try refusedForm(request, session) }
        guard let id, let charity else { return notFound(request, session) }
        do {
            guard let score = Int((form["score"] ?? "").trimmingCharacters(in: .whitespaces)) else {
                throw StoreError.invalid(field: "score", reason: "must be between 0 and 100")
            }
            let record = try await store.evaluations.score(
                evaluation: id, charity: charity, score: score, note: form["note"], by: session.principal)
            return Self.redirect(
                "/dashboard/evaluations?period=\(record.period)#charity-\(charity)", notice: "evaluationScored")
        } catch let error as StoreError {
            return try await evaluationsPage(request, session, period: form["period"], refused: error)
        }
    }

    private func publishEvaluation(_ request: Request, _ session: DashboardSession, id: Int64?) async throws -> Response
    {
        guard let form = try await form(request, session) else { return try refusedForm(request, session) }
        guard let id else { return notFound(request, session) }
        do {
            let record = try await store.evaluations.publish(evaluation: id, by: session.principal)
            return Self.redirect(
                "/dashboard/evaluations?period=\(record.period)", notice: "evaluationPublished", record.period)
        } catch let error as StoreError {
            return try await evaluationsPage(request, session, period: form["period"], refused: error)
        }
    }

    /// The quarter's evaluations of the caller's region (the current quarter by default),
    /// with a refusal of the last action when there was one.
    private func evaluationsPage(
        _ request: Request, _ session: DashboardSession, period requested: String? = nil, refused: StoreError? = nil
    ) async throws -> Response {
        let texts = DashboardText.strings(Self.language(request))
        let text = requested ?? Self.parameter(request, "period")
        let period = text.flatMap { try? EvaluationPeriod(parsing: $0) } ?? EvaluationPeriod(containing: Date())
        let evaluations = try await store.evaluations.list(period: period, by: session.principal)
        var values: [String: Any] = [
            "csrf": session.csrfToken, "period": text ?? period.description,
            "evaluations": evaluations.map { Self.evaluationValues($0, texts) }, "hasEvaluations": !evaluations.isEmpty,
        ]
        var status = HTTPResponse.Status.ok
        if let refused {
            var message = Self.refusal(refused, texts)
            if case .invalid(let field, _) = refused, let own = texts["evaluationInvalid." + field] { message = own }
            values["flash"] = ["ok": false, "text": message] as [String: Any]
            status =
                switch refused {
                case .invalid: .unprocessableContent
                case .notFound: .notFound
                default: .conflict
                }
        }
        return coordinatorResponse("evaluations", values, titleKey: "evaluations", request, session, status: status)
    }

    private static func evaluationValues(_ record: EvaluationRecord, _ texts: [String: String]) -> [String: Any] {
        let draft = record.status == .draft
        let rows = record.charities.map { charity -> [String: Any] in
            let figures = charity.figures
            var row: [String: Any] = [
                "charityID": String(charity.charityID), "charity": charity.charityName,
                "accepted": String(figures.accepted),
                "delivered": "\(figures.delivered) · \(figures.confirmed) / \(figures.disputed)",
                "failed": "\(figures.lapsed) / \(figures.takenOver)",
                "days": figures.medianDaysToDeliver.map { String(format: "%.1f", $0) } ?? "–",
                "complaints": "\(figures.complaintsOpen) / \(figures.complaints)",
                "satisfaction": figures.satisfactionAverage.map {
                    String(format: "%.2f", $0) + " (\(figures.satisfactionCount))"
                } ?? "–",
                "score": String(format: "%.1f", charity.score), "draft": draft,
                "action": "/dashboard/evaluations/\(record.id)/charities/\(charity.charityID)",
                "coordinatorScore": charity.coordinatorScore.map { String($0) } ?? "",
                "period": record.period,
            ]
            row["note"] = charity.coordinatorNote
            return row
        }
        return [
            "id": String(record.id), "region": record.region, "period": record.period,
            "status": texts["evaluation." + record.status.rawValue] ?? record.status.rawValue, "draft": draft,
            "publishedAt": record.publishedAt.map { Self.timeText($0) } ?? "", "rows": rows, "hasRows": !rows.isEmpty,
            "publish": "/dashboard/evaluations/\(record.id)/publish",
        ]
    }
}
