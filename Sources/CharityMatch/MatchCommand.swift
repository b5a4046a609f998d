import ArgumentParser
import Foundation
import Matching
import Postgres
import Store

/// `charity-match match`: one matching run over a region.
struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Run a matching for a region: candidates in SQL, exact assignment, proposals in one transaction.",
        discussion: "Prints the run report as one JSON line. A run over an overlapping region in progress is refused."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "12-digit region code whose households' needs are matched.")
    var region: String

    @Option(help: "Weight policy name (its active version; default: standard).")
    var policy: String?

    @Flag(name: .customLong("dry-run"), help: "Compute everything, write nothing.")
    var dryRun = false

    @Option(help: "Write the run's instance and assignment as CSV into this directory.")
    var export: String?

    @Option(
        name: .customLong("household-cap"),
        help: "Units one household may receive within the cap window, across runs (0 = no cap).")
    var householdCap = 3

    @Option(
        name: .customLong("cap-window-days"),
        help: "Days before the run whose proposed, approved, accepted and delivered units count against the cap.")
    var capWindowDays = 30

    @Option(
        name: .customLong("cool-down-days"),
        help: "Days a rejected, declined or expired need/offer pair is not proposed again (unless cleared).")
    var coolDownDays = 30

    @Option(
        name: .customLong("cap-per"),
        help: "What the household cap counts: kind (units of each kind of aid apart) or household (all units).")
    var capScope: MatchingRunRequest.CapScope = .kind

    @Option(help: "Assignment method: exact or greedy.")
    var method: MatchingRunRequest.Solver = .exact

    func run() async throws {
        guard let code = RegionCode(region) else {
            throw ValidationError("--region must be a 12-digit region code, got \(region)")
        }
        guard householdCap >= 0 else { throw ValidationError("--household-cap must be 0 or more") }
        let request = MatchingRunRequest(
            region: code, policyName: policy, dryRun: dryRun, householdCap: householdCap == 0 ? nil : householdCap,
            capScope: capScope, capWindowDays: capWindowDays, coolDownDays: coolDownDays, solver: method)
        let logger = try CommandLogger.make(label: "charity-match.match")
        let client = try database.makeClient(logger: logger)
        do {
            let (report, exported) = try await MatchingRuns(client: client).run(request, export: export != nil)
            await client.shutdown()
            if let export, let exported { try write(exported, to: export) }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } catch {
            await client.shutdown()
            throw error
        }
    }

    private func write(_ exported: MatchingRunExport, to directory: String) throws {
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var files: [(String, [UInt8])] = [
            ("needs.csv", exported.instance.needs), ("offers.csv", exported.instance.offers),
            ("edges.csv", exported.instance.edges), ("assignment.csv", exported.assignment),
        ]
        if let households = exported.instance.households { files.append(("households.csv", households)) }
        for (name, bytes) in files { try Data(bytes).write(to: folder.appendingPathComponent(name), options: .atomic) }
    }
}

extension MatchingRunRequest.Solver: ExpressibleByArgument {}
extension MatchingRunRequest.CapScope: ExpressibleByArgument {}
