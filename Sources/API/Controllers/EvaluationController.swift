import Foundation
import Hummingbird
import Matching
import Store

/// The body of `POST /v1/evaluations`: which region (nil: the caller's own) and quarter
/// (nil: the current one) to compute.
struct EvaluationInput: Decodable, Sendable {
    var region: String?
    var period: String?
}

/// The body of `PUT /v1/evaluations/{id}/charities/{charity}`.
struct EvaluationScoreInput: Decodable, Sendable {
    var score: Int
    var note: String?
}

/// A list of evaluations.
struct EvaluationListResource: Encodable, Sendable {
    var items: [EvaluationRecord]
}

/// Published evaluations for the public.
struct PublicEvaluationListResource: Encodable, Sendable {
    var items: [PublicEvaluation]
}

/// `/v1/evaluations`: periodic charity evaluations (绩效评价) for the coordinators of a county
/// or wider region. Computing, scoring, publishing and who may do it are the Store's
/// (``EvaluationRepository``); this reads the request and writes the answer.
struct EvaluationController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("evaluations", use: compute)
        group.get("evaluations", use: list)
        group.get("evaluations/{id}", use: show)
        group.put("evaluations/{id}/charities/{charity}", use: score)
        group.post("evaluations/{id}/publish", use: publish)
    }

    /// Computes (again, while a draft) a region's evaluation for a quarter: 201 with it.
    @Sendable func compute(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.evaluateCharities)
        let input = try await services.body(EvaluationInput.self, request, context)
        var region: RegionScope?
        if let text = input.region {
            guard let scope = RegionScope(prefix: text) else {
                throw Problem.validation([
                    .init(field: "/region", message: "must be a region prefix (2, 4 or 6 digits)")
                ])
            }
            region = scope
        }
        let period = try input.period.map { try EvaluationPeriod(parsing: $0) } ?? EvaluationPeriod(containing: Date())
        let record = try await services.store.evaluations.compute(region: region, period: period, by: principal)
        return try JSONResponse.make(record, status: .created, location: "/v1/evaluations/\(record.id)")
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let items = try await services.store.evaluations.list(
            period: try Self.period(request), status: try request.query.code("status", as: EvaluationStatus.self),
            by: principal)
        return try JSONResponse.make(EvaluationListResource(items: items))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        return try JSONResponse.make(
            try await services.store.evaluations.evaluation(id: try context.pathID(), by: principal))
    }

    /// The coordinator's score (0–100) and note for one charity of a draft.
    @Sendable func score(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.evaluateCharities)
        let id = try context.pathID()
        guard let text = context.parameters.get("charity"), let charity = Int64(text), charity > 0 else {
            throw Problem.routeNotFound()
        }
        let input = try await services.body(EvaluationScoreInput.self, request, context)
        return try JSONResponse.make(
            try await services.store.evaluations.score(
                evaluation: id, charity: charity, score: input.score, note: input.note, by: principal))
    }

    /// Publishes a draft for good; a second time is 409.
    @Sendable func publish(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        return try JSONResponse.make(
            try await services.store.evaluations.publish(evaluation: try context.pathID(), by: principal))
    }

    /// `?period=2026Q4`, or a problem naming the parameter.
    static func period(_ request: Request) throws -> EvaluationPeriod? {
        guard let text = try request.query.string("period", maxLength: 20) else { return nil }
        do {
            return try EvaluationPeriod(parsing: text)
        } catch {
            throw Problem.invalidParameter("period", "must be a quarter like 2026Q4")
        }
    }
}
