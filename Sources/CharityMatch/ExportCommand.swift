import ArgumentParser
import Foundation
import Postgres
import Store

/// `charity-match export`: files for coordinators.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export data for coordinators.",
        subcommands: [ExportMatchesCommand.self]
    )
}

/// `charity-match export matches --run ID | --status S --out FILE.csv`.
struct ExportMatchesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matches",
        abstract: "Write the matches of one run, or in one status, as CSV (no names, no ID numbers)."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Matching run id.")
    var run: Int64?

    @Option(help: "Match status: \(MatchStatus.allCases.map(\.rawValue).joined(separator: ", ")).")
    var status: String?

    @Option(help: "Output CSV file.")
    var out: String

    func validate() throws {
        guard (run == nil) != (status == nil) else { throw ValidationError("give exactly one of --run or --status") }
        if let status, MatchStatus(rawValue: status) == nil {
            throw ValidationError(
                "--status must be one of \(MatchStatus.allCases.map(\.rawValue).joined(separator: ", ")), got \(status)"
            )
        }
    }

    func run() async throws {
        let selection: MatchExport.Selection =
            if let run { .run(run) } else { .status(MatchStatus(rawValue: status ?? "") ?? .proposed) }
        let logger = try CommandLogger.make(label: "charity-match.export")
        let client = try database.makeClient(logger: logger)
        do {
            let bytes = try await MatchExport(client: client).csv(selection)
            await client.shutdown()
            try Data(bytes).write(to: URL(fileURLWithPath: out), options: .atomic)
            FileHandle.standardError.write(
                Data("wrote \(bytes.split(separator: 10).count - 1) match(es) to \(out)\n".utf8))
        } catch {
            await client.shutdown()
            throw error
        }
    }
}
