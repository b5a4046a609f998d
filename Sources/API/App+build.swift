import Hummingbird
import HummingbirdCore
import Logging
import Store

/// The `/v1` router with every controller, the operator endpoints and the middleware
/// stack: request log and metrics outermost (so they see every answer, errors included),
/// then the rate limit, then the contract's check of method and parameters, then
/// authentication and idempotency on the routes that need a caller.
public func buildRouter(services: APIServices, logger: Logger) -> Router<APIRequestContext> {
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: RequestLogMiddleware(metrics: services.metrics))
    if services.rateLimit.perSecond > 0 {
        router.add(
            middleware: RateLimitMiddleware(rate: services.rateLimit.perSecond, burst: services.rateLimit.burst))
    }
    router.add(middleware: ContractMiddleware(contract: services.contract))
    OperationsController(database: services.database, metrics: services.metrics, contract: services.contract)
        .addRoutes(to: router)
    PublicStatisticsController(statistics: services.statistics).addRoutes(to: router.group("v1/public"))
    let replayer = ReplayResponder()
    let v1 = router.group("v1")
        .add(middleware: AuthenticationMiddleware(tokens: services.tokens))
        .add(middleware: IdempotencyMiddleware(keys: services.idempotencyKeys, replayer: replayer))
    IdentityController(services: services).addRoutes(to: v1)
    CharityController(services: services).addRoutes(to: v1)
    OfferController(services: services).addRoutes(to: v1)
    HouseholdController(services: services).addRoutes(to: v1)
    NeedController(services: services).addRoutes(to: v1)
    MatchRunController(services: services).addRoutes(to: v1)
    MatchController(services: services).addRoutes(to: v1)
    WeightPolicyController(services: services).addRoutes(to: v1)
    TransferController(services: services, logger: logger).addRoutes(to: v1)
    InboxController(services: services).addRoutes(to: v1)
    ComplaintController(services: services).addRoutes(to: v1)
    TakeoverController(services: services).addRoutes(to: v1)
    TimeLimitController(services: services).addRoutes(to: v1)
    CaseTransferController(services: services).addRoutes(to: v1)
    EvaluationController(services: services).addRoutes(to: v1)
    replayer.set(router.buildResponder())
    return router
}

/// The HTTP application `charity-match serve` runs: the router above plus whatever
/// `addRoutes` mounts beside `/v1` (the dashboard), served over HTTP/1.1 within `limits`
/// (open connections, header and idle timeouts), with the connection pool and the
/// maintenance sweep as services, shut down together on SIGTERM or SIGINT.
public func buildApplication(
    services: APIServices, configuration: ApplicationConfiguration, limits: ConnectionLimits = ConnectionLimits(),
    logger: Logger,
    addRoutes: (Router<APIRequestContext>) -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = buildRouter(services: services, logger: logger)
    addRoutes(router)
    let server = HTTPServerBuilder.bounded(limits, connections: OpenConnections(limit: limits.maxConnections))
    var application = Application(router: router, server: server, configuration: configuration, logger: logger)
    application.addServices(services.store, MaintenanceService(services: services, logger: logger))
    return application
}
