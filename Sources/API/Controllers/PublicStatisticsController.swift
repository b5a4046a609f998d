import Hummingbird
import Store

/// `GET /v1/public/stats` and `GET /v1/public/evaluations`: county-level figures and the
/// published charity evaluations anyone may read (公示), with every small count suppressed
/// so no household can be singled out.
struct PublicStatisticsController {
    let statistics: PublicStatistics

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("stats", use: stats)
        group.get("evaluations", use: evaluations)
    }

    @Sendable func stats(_ request: Request, context: APIRequestContext) async throws -> Response {
        guard let region = try request.query.region("region") else {
            throw Problem.invalidParameter("region", "is required: a county (6 digits) or wider region prefix")
        }
        return try JSONResponse.make(try await statistics.stats(region: region))
    }

    /// The published evaluations of a county or wider region, optionally of one quarter.
    @Sendable func evaluations(_ request: Request, context: APIRequestContext) async throws -> Response {
        guard let region = try request.query.region("region") else {
            throw Problem.invalidParameter("region", "is required: a county (6 digits) or wider region prefix")
        }
        let items = try await statistics.evaluations(region: region, period: try EvaluationController.period(request))
        return try JSONResponse.make(PublicEvaluationListResource(items: items))
    }
}
