import ArgumentParser
import Foundation
import Matching
import Postgres
import Store

/// `charity-match seed`: loads a plausible synthetic county for demos and benchmarks.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Fill the database with a synthetic county: map, charities, offers, households, needs, aid.",
        discussion: """
            Deterministic for a seed and an --as-of date. Loads through COPY in one transaction. \
            ID numbers are synthetic and stored only as HMAC(ID_PEPPER) plus their last four characters.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Households to create.")
    var households: Int

    @Option(help: "Charities (default: households / 400, at least 10).")
    var charities: Int?

    @Option(help: "Offers (default: households / 8).")
    var offers: Int?

    @Option(help: "Random seed.")
    var seed: UInt64 = 1

    @Option(help: "County-level 12-digit region code.")
    var region = "320508000000"

    @Option(name: .customLong("as-of"), help: "The day the data is as of, yyyy-mm-dd (default: today, UTC).")
    var asOf: String?

    @Flag(help: "Mark the database as a demo, the only kind `charity-match rehearse` will play decisions on.")
    var demo = false

    func run() async throws {
        guard let county = RegionCode(region) else {
            throw ValidationError("--region must be a 12-digit region code, got \(region)")
        }
        let plan = CountySeed.Plan(
            households: households, charities: charities ?? max(10, households / 400),
            offers: offers ?? households / 8, seed: seed, county: county, asOf: try day(), demo: demo)
        do {
            try plan.validate()
        } catch {
            throw ValidationError("--\(error)")
        }
        let sealer: IDNumberSealer
        do {
            sealer = try IDNumberSealer.fromEnvironment()
        } catch {
            throw ValidationError(error.description)
        }
        let logger = try CommandLogger.make(label: "charity-match.seed")
        let client = try database.makeClient(logger: logger)
        let started = ContinuousClock.now
        let onTerminal = isatty(STDERR_FILENO) == 1
        do {
            let summary = try await CountySeed(client: client, sealer: sealer).run(plan) { phase, done, total in
                guard onTerminal else { return }
                FileHandle.standardError.write(Data("\r\u{1B}[K\(phase): \(done)/\(total)".utf8))
            }
            await client.shutdown()
            if onTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            let seconds = (ContinuousClock.now - started) / .seconds(1)
            print(
                """
                {"regions":\(summary.regions),"charities":\(summary.charities),"offers":\(summary.offers),\
                "households":\(summary.households),"needs":\(summary.needs),"aid_records":\(summary.aidRecords),\
                "seconds":\(String(format: "%.2f", seconds)),\
                "households_per_second":\(Int(Double(summary.households) / max(seconds, 0.001)))}
                """)
        } catch {
            await client.shutdown()
            throw error
        }
    }

    private func day() throws -> Date {
        guard let asOf else {
            let now = Date().timeIntervalSince1970
            return Date(timeIntervalSince1970: (now / 86_400).rounded(.down) * 86_400)
        }
        let parts = asOf.split(separator: "-").compactMap { Int($0) }
        var components = DateComponents()
        components.timeZone = TimeZone(identifier: "UTC")
        if parts.count == 3 {
            components.year = parts[0]
            components.month = parts[1]
            components.day = parts[2]
        }
        guard parts.count == 3, components.isValidDate(in: Calendar(identifier: .gregorian)),
            let date = Calendar(identifier: .gregorian).date(from: components)
        else {
            throw ValidationError("--as-of must be a date as yyyy-mm-dd, got \(asOf)")
        }
        return date
    }
}
