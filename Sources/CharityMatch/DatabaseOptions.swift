import ArgumentParser
import Foundation
import Logging
import Postgres

/// Where the database is: `--database-url`, else `DATABASE_URL`.
struct DatabaseOptions: ParsableArguments {
    @Option(
        name: .customLong("database-url"), help: "libpq connection string or postgres:// URL (default: $DATABASE_URL).")
    var databaseURL: String?

    @Option(help: "Database connections in the pool (1–64).")
    var poolSize = 4

    func validate() throws {
        guard (1...64).contains(poolSize) else {
            throw ValidationError("--pool-size must be between 1 and 64, got \(poolSize)")
        }
    }

    /// The configuration, validated by libpq's parser; errors never echo a password.
    func configuration() throws -> ConnectionConfiguration {
        let environment = ProcessInfo.processInfo.environment["DATABASE_URL"]
        guard let url = databaseURL ?? environment, !url.isEmpty else {
            throw ValidationError(
                "no database: pass --database-url or set DATABASE_URL (scripts/pg url prints the private cluster's)"
            )
        }
        do {
            return try ConnectionConfiguration(url)
        } catch {
            throw ValidationError("the database address is not usable: \(error.reason ?? "libpq could not parse it")")
        }
    }

    /// The pool; `acquireTimeout` and `statementTimeout` as `serve` sets them (the other
    /// commands wait as long as their work takes).
    func makeClient(
        logger: Logger, acquireTimeout: Duration = .seconds(10), statementTimeout: Duration? = nil
    ) throws -> PostgresClient {
        PostgresClient(
            configuration: try configuration(),
            options: .init(
                maxConnections: poolSize, acquireTimeout: acquireTimeout, statementTimeout: statementTimeout),
            logger: logger
        )
    }
}

/// Logs go to stderr at `LOG_LEVEL` (trace, debug, info, notice, warning, error, critical).
enum CommandLogger {
    static func make(label: String) throws -> Logger {
        var logger = Logger(label: label) { StreamLogHandler.standardError(label: $0) }
        let name = ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: name.lowercased()) else {
            let allowed = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("LOG_LEVEL must be one of \(allowed), got \(name)")
        }
        logger.logLevel = level
        return logger
    }
}
