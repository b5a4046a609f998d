import Hummingbird
import Store

/// `GET /v1/public/stats`: county-level figures anyone may read (公示), with every small
/// count suppressed so no household can be singled out.
struct PublicStatisticsController {
    let statistics: PublicStatistics

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("stats", use: stats)
    }

    @Sendable func stats(_ request: Request, context: APIRequestContext) async throws -> Response {
        guard let region = try request.query.region("region") else {
            throw Problem.invalidParameter("region", "is required: a county (6 digits) or wider region prefix")
        }
        return try JSONResponse.make(try await statistics.stats(region: region))
    }
}
