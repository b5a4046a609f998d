import ArgumentParser
import Foundation
import Postgres
import Store

/// `charity-match migrate`: brings the database schema up to date.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the numbered SQL migrations the database lacks, each once, in order."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Directory of NNN_name.sql files (default: $CHARITY_MATCH_SQL_DIR, else ./sql).")
    var migrations: String?

    func run() async throws {
        let logger = try CommandLogger.make(label: "charity-match.migrate")
        let directory =
            migrations ?? ProcessInfo.processInfo.environment["CHARITY_MATCH_SQL_DIR"] ?? "sql"
        let files = try Migration.load(from: URL(fileURLWithPath: directory, isDirectory: true))
        guard !files.isEmpty else {
            throw ValidationError("no migrations found in \(directory)")
        }
        let client = try database.makeClient(logger: logger)
        do {
            let report = try await Migrator(client: client, logger: logger).migrate(files)
            await client.shutdown()
            print("applied \(report.applied.count) migration(s), \(report.alreadyApplied) already applied")
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
