import ArgumentParser
import Foundation
import Matching
import Postgres

/// `charity-match bench …`: the measurements behind the figures in closing notes.
///
/// Each prints one JSON line so `scripts/bench` can take medians over repeated runs and
/// compare them with `pgbench` and `psql \copy` measured in the same run.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure the database layer (used by scripts/bench).",
        subcommands: [RoundTrips.self, Copy.self, ScoringBenchCommand.self]
    )

    /// Round trips per second through the pool, with several callers sharing it.
    struct RoundTrips: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "round-trips",
            abstract: "Statements per second through the pool: SELECT 1 or a pgbench_accounts primary-key lookup."
        )

        enum Statement: String, ExpressibleByArgument, CaseIterable {
            case select1 = "select-1"
            case primaryKey = "primary-key"
        }

        @OptionGroup var database: DatabaseOptions
        @Option(help: "select-1 or primary-key (needs pgbench -i tables).") var statement = Statement.select1
        @Option(help: "Concurrent callers.") var callers = 8
        @Option(help: "Seconds to run.") var seconds = 10.0

        func validate() throws {
            guard (1...256).contains(callers) else { throw ValidationError("--callers must be 1–256") }
            guard seconds > 0, seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600]") }
        }

        func run() async throws {
            let logger = try CommandLogger.make(label: "charity-match.bench")
            let client = try database.makeClient(logger: logger)
            let accounts: Int
            if statement == .primaryKey {
                let rows = try await client.query("SELECT count(*) AS n FROM pgbench_accounts")
                accounts = try rows[0].decode(Int.self, "n")
            } else {
                accounts = 0
            }
            let deadline = ContinuousClock.now + .seconds(seconds)
            let started = ContinuousClock.now
            let statement = statement
            let total = try await withThrowingTaskGroup(of: Int.self) { group in
                for caller in 0..<callers {
                    group.addTask {
                        var generator = SplitMix64(seed: UInt64(caller + 1))
                        var count = 0
                        while ContinuousClock.now < deadline {
                            switch statement {
                            case .select1:
                                try await client.query("SELECT 1")
                            case .primaryKey:
                                let id = Int(generator.next() % UInt64(accounts)) + 1
                                try await client.query("SELECT abalance FROM pgbench_accounts WHERE aid = $1", [id])
                            }
                            count += 1
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            let elapsed = (ContinuousClock.now - started).seconds
            await client.shutdown()
            print(
                #"{"bench":"round-trips","statement":"\#(statement.rawValue)","callers":\#(callers),"#
                    + #""connections":\#(database.poolSize),"statements":\#(total),"#
                    + #""seconds":\#(elapsed),"per_second":\#(Double(total) / elapsed)}"#
            )
        }
    }

    /// COPY throughput for generated household-like rows.
    struct Copy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "copy",
            abstract: "Rows per second through COPY FROM STDIN into bench_copy; or write the same rows as a file."
        )

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Rows to copy.") var rows = 1_000_000
        @Option(help: "Write the rows in COPY text format to this file instead of loading them.")
        var writeFile: String?

        func validate() throws {
            guard (1...100_000_000).contains(rows) else { throw ValidationError("--rows must be 1–100000000") }
        }

        func run() async throws {
            if let writeFile {
                try Self.writeRows(rows, to: writeFile)
                return
            }
            let logger = try CommandLogger.make(label: "charity-match.bench")
            let client = try database.makeClient(logger: logger)
            try await client.query(
                "CREATE TABLE IF NOT EXISTS bench_copy (id int8, household text, region text, qty int4, note text)"
            )
            try await client.query("TRUNCATE bench_copy")
            let rows = rows
            let started = ContinuousClock.now
            let copied = try await client.copyFrom("COPY bench_copy FROM STDIN") { writer in
                for id in 1...rows {
                    writer.append(id)
                    try writer.append(text: Self.household(id))
                    try writer.append(text: Self.region(id))
                    writer.append(id % 5 + 1)
                    try writer.append(id.isMultiple(of: 3) ? nil : "急难 \(id)")
                    try writer.endRow()
                }
            }
            let elapsed = (ContinuousClock.now - started).seconds
            await client.shutdown()
            print(
                #"{"bench":"copy","rows":\#(copied),"seconds":\#(elapsed),"rows_per_second":\#(Double(copied) / elapsed)}"#
            )
        }

        static func household(_ id: Int) -> String { "HH-\(id)" }
        static func region(_ id: Int) -> String { "3205081\(100 + id % 900)\(100 + id % 7)" }

        /// The same rows as the COPY above, as the file `psql \copy` reads.
        static func writeRows(_ rows: Int, to path: String) throws {
            guard FileManager.default.createFile(atPath: path, contents: nil),
                let handle = FileHandle(forWritingAtPath: path)
            else { throw ValidationError("cannot write \(path)") }
            defer { try? handle.close() }
            var chunk = ""
            for id in 1...rows {
                let note = id.isMultiple(of: 3) ? "\\N" : "急难 \(id)"
                chunk += "\(id)\t\(household(id))\t\(region(id))\t\(id % 5 + 1)\t\(note)\n"
                if chunk.utf8.count > 1 << 20 {
                    try handle.write(contentsOf: Data(chunk.utf8))
                    chunk = ""
                }
            }
            try handle.write(contentsOf: Data(chunk.utf8))
        }
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
