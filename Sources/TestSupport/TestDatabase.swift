import Foundation
import Logging
import Postgres

/// A throwaway database on the server that `scripts/test` started (`DATABASE_URL`), so
/// every test gets its own and tests can run in parallel without seeing each other's rows.
public struct TestDatabase: Sendable {
    /// Why a test cannot reach its database.
    public struct SetupError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The database's name, unique per call.
    public let name: String
    /// The connection configuration aimed at this database.
    public let configuration: ConnectionConfiguration
    private let server: ConnectionConfiguration

    /// The server every test database is created on, from `DATABASE_URL`.
    public static func serverConfiguration() throws -> ConnectionConfiguration {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            throw SetupError(description: "DATABASE_URL is not set: run the tests through scripts/test")
        }
        return try ConnectionConfiguration(url, defaultApplicationName: "charity-match-tests")
    }

    /// Creates an empty database named after `label`.
    public static func create(label: String) async throws -> TestDatabase {
        let server = try serverConfiguration()
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let name = "cm_\(label.lowercased().filter { $0.isLetter || $0.isNumber })_\(suffix)"
        try await Self.onServer(server) { connection in
            try connection.executeScript("CREATE DATABASE \(try connection.escapeIdentifier(name))")
        }
        return TestDatabase(name: name, configuration: server.with(database: name), server: server)
    }

    /// Creates a database, runs `body` with it and drops it afterwards, whatever happens.
    public static func with<T: Sendable>(
        label: String,
        _ body: (TestDatabase) async throws -> T
    ) async throws -> T {
        let database = try await create(label: label)
        do {
            let result = try await body(database)
            try await database.drop()
            return result
        } catch {
            try? await database.drop()
            throw error
        }
    }

    /// A pool on this database; shut it down when done (``withClient(options:_:)`` does).
    public func makeClient(options: PostgresClient.Options = .init()) -> PostgresClient {
        PostgresClient(configuration: configuration, options: options, logger: Self.logger)
    }

    /// Runs `body` with a pool on this database and shuts the pool down afterwards.
    public func withClient<T: Sendable>(
        options: PostgresClient.Options = .init(),
        _ body: (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = makeClient(options: options)
        do {
            let result = try await body(client)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }

    /// Drops the database, disconnecting whoever is still connected.
    public func drop() async throws {
        try await Self.onServer(server) { connection in
            try connection.executeScript(
                "DROP DATABASE IF EXISTS \(try connection.escapeIdentifier(name)) WITH (FORCE)")
        }
    }

    /// A logger that keeps test output readable: warnings and worse only.
    public static var logger: Logger {
        var logger = Logger(label: "charity-match.tests")
        logger.logLevel = .warning
        return logger
    }

    /// Runs `body` on a connection to the server's maintenance database (`DATABASE_URL`),
    /// for what a test must do outside its own database, such as terminating a backend.
    @discardableResult
    public static func onServer<T: Sendable>(
        _ server: ConnectionConfiguration? = nil,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let configuration = try server ?? serverConfiguration()
        let client = PostgresClient(configuration: configuration, options: .init(maxConnections: 1), logger: logger)
        do {
            let result = try await client.withConnection(body)
            await client.shutdown()
            return result
        } catch {
            await client.shutdown()
            throw error
        }
    }
}

/// Where the repository's files are, for tests that read `sql/` or sample files.
public enum RepositoryLayout {
    /// The repository root, found from this file's location at build time.
    public static var root: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The migrations folder.
    public static var migrations: URL { root.appendingPathComponent("sql") }
}
