import ArgumentParser
import Foundation
import Postgres
import Store
import TestSupport
import Testing

@testable import CharityMatch

/// Runtime failures of `charity-match` read as one sentence with exit status 1, never as a
/// Swift error dump, and never with the database password.
struct CommandFailureTests {
    @Test func anUnreachableDatabaseIsNamedWithoutItsPassword() throws {
        let options = try DatabaseOptions.parse(["--database-url", "postgresql://fuzz:s3cret@db.example:5433/charity"])
        let error = PostgresError(
            code: .connectionFailed,
            reason: """
                connection to server at "db.example" (10.0.0.9), port 5433 failed: Connection refused
                \tIs the server running on that host and accepting TCP/IP connections?
                """)
        let sentence = CommandFailure.sentence(for: error, database: options.placeForMessages)
        #expect(sentence == "cannot reach the database at db.example:5433/charity: Connection refused")
    }

    @Test func serverErrorsAndStoreErrorsAreSentences() {
        var missingTable = PostgresError(code: .server, sqlState: SQLState(rawValue: "42P01"))
        missingTable.tableName = "demo_mark"
        #expect(
            CommandFailure.sentence(for: missingTable, database: "h:1/d")
                == "the database at h:1/d lacks part of the schema; run `charity-match migrate` first")
        let conflict = StoreError.conflict(.notReady("county 320508000000 already has households"))
        #expect(CommandFailure.sentence(for: conflict, database: nil) == conflict.description)
        let timeout = PostgresError(code: .poolAcquireTimeout)
        #expect(!CommandFailure.sentence(for: timeout, database: nil).contains("PostgresError"))
    }

    @Test func theExecutableExitsOneWithOneSentenceAndSixtyFourForUsage() throws {
        let unreachable = try CharityMatchProcess.run([
            "migrate", "--database-url", "postgresql://fuzz:s3cret@127.0.0.1:1/nowhere",
            "--migrations", RepositoryLayout.migrations.path,
        ])
        #expect(unreachable.status == 1)
        let lines = unreachable.standardError.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("error: cannot reach the database at 127.0.0.1:1/nowhere: ") == true)
        #expect(!unreachable.standardError.contains("s3cret"))
        #expect(!unreachable.standardError.contains("PostgresError"))

        let usage = try CharityMatchProcess.run(["match"])
        #expect(usage.status == 64)

        for asked in [["help", "seed"], ["--help"], ["token", "create", "--help"]] {
            let help = try CharityMatchProcess.run(asked)
            #expect(help.status == 0, "\(asked)")
            #expect(help.standardError.isEmpty, "\(asked): \(help.standardError)")
        }
    }
}

/// The built `charity-match` next to the test bundle, run as an operator would run it.
enum CharityMatchProcess {
    struct Outcome {
        var status: Int32
        var standardError: String
    }

    static func run(_ arguments: [String]) throws -> Outcome {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [beside, RepositoryLayout.root.appendingPathComponent(".build/debug")]
            .map { $0.appendingPathComponent("charity-match") }
        let executable = try #require(
            candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
            "charity-match is built beside the tests")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = nil
        environment["LOG_LEVEL"] = "critical"
        process.environment = environment
        let standardError = Pipe()
        process.standardError = standardError
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let bytes = standardError.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, standardError: String(decoding: bytes, as: UTF8.self))
    }
}
