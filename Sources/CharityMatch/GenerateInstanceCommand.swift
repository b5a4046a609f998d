import ArgumentParser
import Foundation
import Matching

/// `charity-match generate-instance`: writes a random instance shaped like a province, the
/// input of the benchmarks in issue 3 and of any independent solver we are compared with.
///
/// The same flags always write the same files. Prints one JSON line with the sizes and the
/// seconds spent generating and writing.
struct GenerateInstanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-instance",
        abstract: "Write a random CSV instance (needs.csv, offers.csv, edges.csv) shaped like a province.",
        discussion: """
            Needs and offers are points in a plane, gathered around towns; each need is eligible \
            for its 20–50 nearest offers, asks for 1–3 units; each offer has 1–20. Deterministic \
            for a seed. Without --households an old households.csv in the directory is removed, \
            so the directory always holds one consistent instance.
            """
    )

    /// Beyond this an instance (~35 edges per need) stops fitting comfortably in memory.
    static let maximumCount = 2_000_000

    @Option(help: "Number of needs (1–2000000).")
    var needs: Int

    @Option(help: "Number of offers (1–2000000; default: needs / 10, at least 1).")
    var offers: Int?

    @Option(help: "Seed of the random generator.")
    var seed: UInt64 = 1

    @Flag(help: "Group needs into households of 1–3 with a cap (household_id column and households.csv).")
    var households = false

    @Option(help: "Directory to write the files into (created if missing).")
    var out: String

    func validate() throws {
        guard (1...Self.maximumCount).contains(needs) else {
            throw ValidationError("--needs must be between 1 and \(Self.maximumCount), got \(needs)")
        }
        if let offers, !(1...Self.maximumCount).contains(offers) {
            throw ValidationError("--offers must be between 1 and \(Self.maximumCount), got \(offers)")
        }
    }

    func run() throws {
        let clock = ContinuousClock()
        var started = clock.now
        let problem = InstanceGenerator.generate(
            .init(needs: needs, offers: offers, seed: seed, households: households))
        let generate = clock.now - started

        started = clock.now
        do {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        } catch {
            throw InstanceDirectory.fail("cannot create directory \(out): \(error.localizedDescription)", exitCode: 1)
        }
        let files = InstanceCSV.render(problem)
        try InstanceDirectory.writeAtomically(files.needs, to: path(.needs))
        try InstanceDirectory.writeAtomically(files.offers, to: path(.offers))
        try InstanceDirectory.writeAtomically(files.edges, to: path(.edges))
        if let households = files.households {
            try InstanceDirectory.writeAtomically(households, to: path(.households))
        } else if unlink(path(.households)) != 0, errno != ENOENT {
            throw InstanceDirectory.fail("cannot remove the old \(path(.households))", exitCode: 1)
        }
        let write = clock.now - started

        print(
            #"{"needs":\#(problem.needCount),"offers":\#(problem.offerCount),"edges":\#(problem.edgeCount),"#
                + #""households":\#(problem.householdIDs.count),"seed":\#(seed),"#
                + #""seconds":{"generate":\#(generate.seconds),"write":\#(write.seconds)}}"#
        )
    }

    private func path(_ file: InstanceCSV.FileName) -> String { "\(out)/\(file.rawValue)" }
}
