import Hummingbird
import Store

/// The operator endpoints: `/healthz` says the process is alive without touching the
/// database (so a load balancer does not restart every server when the database blips);
/// `/readyz` says whether this process can reach the database right now; `/metrics` is the
/// Prometheus text; `/openapi.yaml` is the contract the API is held to.
public struct OperationsController<Context: RequestContext>: Sendable {
    let database: DatabaseStatus
    let metrics: APIMetrics?
    let contract: APIContract?

    public init(database: DatabaseStatus) {
        self.init(database: database, metrics: nil, contract: nil)
    }

    init(database: DatabaseStatus, metrics: APIMetrics?, contract: APIContract?) {
        self.database = database
        self.metrics = metrics
        self.contract = contract
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/healthz") { _, _ in
            "ok\n"
        }
        router.get("/readyz") { _, _ -> String in
            guard await database.isReachable(within: .seconds(2)) else {
                throw Problem.databaseUnavailable()
            }
            return "ready\n"
        }
        if let metrics {
            router.get("/metrics") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.render())))
            }
        }
        if let contract {
            router.get("/openapi.yaml") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: contract.yaml)))
            }
        }
    }
}
