import Hummingbird
import Store

/// The operator endpoints: `/healthz` says the process is alive without touching the
/// database (so a load balancer does not restart every server when the database blips);
/// `/readyz` says whether this process can reach the database right now.
public struct OperationsController<Context: RequestContext>: Sendable {
    let database: DatabaseStatus

    public init(database: DatabaseStatus) {
        self.database = database
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
    }
}
