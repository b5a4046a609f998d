import Logging
import Postgres

/// Applies `sql/` migrations: each file once, in order, each in its own transaction.
///
/// A session-level advisory lock serialises migrators, so several processes starting at
/// once (a rolling deploy, say) apply every file exactly once between them; the others
/// wait and then find nothing to do.
public struct Migrator: Sendable {
    /// What a run did.
    public struct Report: Sendable, Equatable {
        /// Files applied by this run, in order.
        public var applied: [String]
        /// Files that were already applied before this run.
        public var alreadyApplied: Int
    }

    /// The advisory lock key: "CMMIGRAT" read as ASCII, unlikely to clash with other users.
    static let lockKey: Int64 = 0x434D_4D49_4752_4154

    private let client: PostgresClient
    private let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Applies the migrations the database lacks and verifies the checksums of the rest.
    public func migrate(_ migrations: [Migration]) async throws -> Report {
        let logger = logger
        return try await client.withConnection { connection in
            try connection.query("SELECT pg_advisory_lock($1)", [Self.lockKey])
            defer { _ = try? connection.query("SELECT pg_advisory_unlock($1)", [Self.lockKey]) }
            let exists = try connection.query("SELECT to_regclass('schema_migrations') IS NOT NULL AS e")
            if try !exists[0].decode(Bool.self, "e") {
                try connection.executeScript(
                    """
                    CREATE TABLE schema_migrations (
                        version integer PRIMARY KEY,
                        file_name text NOT NULL,
                        checksum text NOT NULL CHECK (checksum ~ '^[0-9a-f]{64}$'),
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """
                )
            }
            let applied = try Self.appliedChecksums(connection)
            try Self.verify(applied: applied, against: migrations)
            var report = Report(applied: [], alreadyApplied: applied.count)
            for migration in migrations where applied[migration.version] == nil {
                try Self.apply(migration, on: connection)
                logger.info("applied migration", metadata: ["file": "\(migration.fileName)"])
                report.applied.append(migration.fileName)
            }
            return report
        }
    }

    private static func appliedChecksums(_ connection: PostgresConnection) throws -> [Int: (String, String)] {
        var applied: [Int: (String, String)] = [:]
        for row in try connection.query("SELECT version, file_name, checksum FROM schema_migrations") {
            let version = try row.decode(Int32.self, "version")
            applied[Int(version)] = (try row.decode(String.self, "file_name"), try row.decode(String.self, "checksum"))
        }
        return applied
    }

    private static func verify(applied: [Int: (String, String)], against migrations: [Migration]) throws {
        for (version, (fileName, checksum)) in applied.sorted(by: { $0.key < $1.key }) {
            guard let migration = migrations.first(where: { $0.version == version }) else {
                throw MigrationError(
                    file: fileName,
                    problem: "it is applied in the database but missing from the migrations directory"
                )
            }
            guard migration.checksum == checksum else {
                throw MigrationError(
                    file: migration.fileName,
                    problem: "it was edited after it was applied (checksum differs); add a new migration instead"
                )
            }
        }
    }

    private static func apply(_ migration: Migration, on connection: PostgresConnection) throws {
        do {
            try connection.transaction { connection in
                try connection.executeScript(migration.sql)
                try connection.query(
                    "INSERT INTO schema_migrations (version, file_name, checksum) VALUES ($1, $2, $3)",
                    [Int32(migration.version), migration.fileName, migration.checksum]
                )
            }
        } catch let error as PostgresError {
            let detail = [error.sqlState.map { "SQLSTATE \($0)" }, error.serverMessage].compactMap { $0 }
            throw MigrationError(
                file: migration.fileName,
                problem: "it failed and was rolled back: " + detail.joined(separator: ": ")
            )
        }
    }
}
