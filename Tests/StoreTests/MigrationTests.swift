import Foundation
import Postgres
import Store
import TestSupport
import Testing

@Suite("Migrations")
struct MigrationTests {
    private let migrations: [Migration]

    init() throws {
        migrations = try Migration.load(from: RepositoryLayout.migrations)
    }

    @Test func filesLoadInOrder() {
        #expect(migrations.map(\.version) == migrations.map(\.version).sorted())
        #expect(migrations.first?.fileName == "001_schema.sql")
        #expect(migrations.allSatisfy { $0.checksum.count == 64 })
    }

    @Test func applyingTwiceChangesNothing() async throws {
        try await TestDatabase.with(label: "migrate") { database in
            try await database.withClient { client in
                let migrator = Migrator(client: client, logger: TestDatabase.logger)
                let first = try await migrator.migrate(migrations)
                #expect(first.applied == migrations.map(\.fileName))
                let schema = try await Self.schemaFingerprint(client)
                let second = try await migrator.migrate(migrations)
                #expect(second.applied.isEmpty)
                #expect(second.alreadyApplied == migrations.count)
                #expect(try await Self.schemaFingerprint(client) == schema)
                let recorded = try await client.query("SELECT count(*) AS n FROM schema_migrations")
                #expect(try recorded[0].decode(Int.self, "n") == migrations.count)
            }
        }
    }

    @Test func concurrentMigratorsBothSucceedAndApplyEachFileOnce() async throws {
        try await TestDatabase.with(label: "migraterace") { database in
            let reports = try await withThrowingTaskGroup(of: Migrator.Report.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await database.withClient { client in
                            try await Migrator(client: client, logger: TestDatabase.logger).migrate(migrations)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(reports.map(\.applied.count).sorted() == [0, migrations.count])
            try await database.withClient { client in
                let rows = try await client.query("SELECT count(*) AS n FROM schema_migrations")
                #expect(try rows[0].decode(Int.self, "n") == migrations.count)
            }
        }
    }

    @Test func editedAppliedMigrationIsRefusedByName() async throws {
        try await TestDatabase.with(label: "migrateedit") { database in
            try await database.withClient { client in
                let migrator = Migrator(client: client, logger: TestDatabase.logger)
                _ = try await migrator.migrate(migrations)
                var edited = migrations
                let last = try #require(edited.last)
                edited.removeLast()
                edited.append(Migration(version: last.version, fileName: last.fileName, sql: last.sql + "\n-- edit\n"))
                let error = await #expect(throws: MigrationError.self) { try await migrator.migrate(edited) }
                #expect(error?.file == last.fileName)
                #expect(error?.description.contains("edited") == true)
            }
        }
    }

    @Test func failingMigrationRollsBackAndNamesTheFile() async throws {
        try await TestDatabase.with(label: "migratefail") { database in
            try await database.withClient { client in
                let broken =
                    migrations + [
                        Migration(
                            version: 900, fileName: "900_broken.sql", sql: "CREATE TABLE half (id int); SELECT 1/0;")
                    ]
                let error = await #expect(throws: MigrationError.self) {
                    try await Migrator(client: client, logger: TestDatabase.logger).migrate(broken)
                }
                #expect(error?.file == "900_broken.sql")
                let half = try await client.query("SELECT to_regclass('half')::text AS t")
                #expect(try half[0].decode(String?.self, "t") == nil)
                let recorded = try await client.query("SELECT count(*) AS n FROM schema_migrations")
                #expect(try recorded[0].decode(Int.self, "n") == migrations.count)
            }
        }
    }

    @Test func badFileNamesAreRefused() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "SELECT 1;".write(to: directory.appendingPathComponent("001_a.sql"), atomically: true, encoding: .utf8)
        try "SELECT 1;".write(to: directory.appendingPathComponent("001_b.sql"), atomically: true, encoding: .utf8)
        let clash = #expect(throws: MigrationError.self) { try Migration.load(from: directory) }
        #expect(clash?.description == "001_b.sql: it has the same number as 001_a.sql")
        try FileManager.default.removeItem(at: directory.appendingPathComponent("001_b.sql"))
        try "SELECT 1;".write(to: directory.appendingPathComponent("later.sql"), atomically: true, encoding: .utf8)
        let error = #expect(throws: MigrationError.self) { try Migration.load(from: directory) }
        #expect(error?.file == "later.sql")
    }

    private static func schemaFingerprint(_ client: PostgresClient) async throws -> String {
        let rows = try await client.query(
            """
            SELECT string_agg(c.relname || ':' || c.relkind::text, ',' ORDER BY c.relname) AS objects
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public'
            """
        )
        let categories = try await client.query("SELECT count(*) AS n FROM categories")
        return try rows[0].decode(String.self, "objects") + "#" + String(try categories[0].decode(Int.self, "n"))
    }
}
