import API
import ArgumentParser
import Dashboard
import Foundation
import Hummingbird
import Logging
import Postgres
import Store

/// `charity-match serve`: the HTTP API (and, with issue 6, the dashboard).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the /v1 API and the dashboard (/dashboard) over HTTP.",
        discussion: """
            Settings come from flags, then the environment: DATABASE_URL, PORT, ID_PEPPER (the HMAC key of ID \
            numbers: the same one imports used), LOG_LEVEL, MAX_CONNECTIONS, HEADER_TIMEOUT, IDLE_TIMEOUT, \
            STATEMENT_TIMEOUT, ACQUIRE_TIMEOUT (timeouts in seconds). SIGINT or SIGTERM stops the server gracefully.
            """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (default: $PORT, else 8080).")
    var port: Int?

    @Option(help: "Requests per second allowed per caller (token or address); 0 turns the limit off.")
    var rateLimit: Double = 50

    @Option(help: "Open HTTP connections at most (default: $MAX_CONNECTIONS, else 1000).")
    var maxConnections: Int?

    @Option(help: "Seconds for a request's head to arrive, also the keep-alive idle time (default 10).")
    var headerTimeout: Double?

    @Option(help: "Seconds without traffic while a request body is read (default 60).")
    var idleTimeout: Double?

    @Option(help: "Seconds one database statement may run (default 2).")
    var statementTimeout: Double?

    @Option(help: "Seconds to wait for a database connection (default 2).")
    var acquireTimeout: Double?

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        if let port, !(1...65_535).contains(port) {
            throw ValidationError("--port must be between 1 and 65535, got \(port)")
        }
        guard rateLimit >= 0, rateLimit.isFinite else {
            throw ValidationError("--rate-limit must be 0 or more requests per second")
        }
        _ = try ServeSettings(self)
    }

    func run() async throws {
        let logger = try CommandLogger.make(label: "charity-match.serve")
        let port = try resolvedPort()
        var settings = try ServeSettings(self)
        let cap = try OpenFileLimit.fit(settings, databaseConnections: database.poolSize)
        if cap < settings.limits.maxConnections {
            logger.notice("the open-file limit allows \(cap) connections; serving with --max-connections \(cap)")
            settings.limits.maxConnections = cap
        }
        let sealer = try IDNumberSealer.fromEnvironment()
        let client = try database.makeClient(
            logger: logger, acquireTimeout: settings.acquireTimeout, statementTimeout: settings.statementTimeout)
        let store = Database(client: client, sealer: sealer)
        let services: APIServices
        let dashboard: DashboardController<APIRequestContext>
        do {
            services = try await APIServices(
                store: store, rateLimit: .init(perSecond: rateLimit, burst: max(1, rateLimit * 2)))
            dashboard = try await DashboardController(store: store)
        } catch {
            await client.shutdown()
            throw error
        }
        let application = buildApplication(
            services: services, configuration: .init(address: .hostname(host, port: port), serverName: nil),
            limits: settings.limits, logger: logger
        ) { router in
            router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/dashboard"]) }
            dashboard.addRoutes(to: router.group("dashboard"))
        }
        try await application.runService()
    }

    /// `--port`, else `PORT`, else 8080; a bad `PORT` is an error, not a silent default.
    private func resolvedPort() throws -> Int {
        if let port { return port }
        guard let text = ProcessInfo.processInfo.environment["PORT"], !text.isEmpty else { return 8080 }
        guard let value = Int(text), (1...65_535).contains(value) else {
            throw ValidationError("PORT must be a number between 1 and 65535, got \(text)")
        }
        return value
    }
}
