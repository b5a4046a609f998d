import ArgumentParser
import Foundation
import Matching
import Postgres
import Store

/// `charity-match rehearse --region CODE`: plays the decisions that follow a matching run on
/// a share of a region's proposals (coordinators approve or reject, charities accept or
/// decline and deliver, caseworkers record satisfaction), through the same Store calls the
/// API uses, so a demo database shows a lived-in dashboard. Deterministic for a seed.
///
/// What it fabricates feeds reliability scores and public figures, so it runs only on a
/// database `charity-match seed --demo` created (``DemoMark``) and refuses any other.
struct RehearseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Play decisions on a share of a region's proposals, for a demo (approve, accept, deliver, rate).",
        discussion: "Runs only on a database created by `charity-match seed --demo`; any other is refused (exit 1).")

    @Option(help: "12-digit region code whose proposals are decided.")
    var region: String

    @Option(help: "Share of the proposals to decide, 0–1.")
    var share = 0.4

    @Option(help: "Seed of the decisions.")
    var seed: UInt64 = 1

    @OptionGroup var database: DatabaseOptions

    func validate() throws {
        guard RegionCode(region) != nil else { throw ValidationError("--region must be a 12-digit region code") }
        guard (0...1).contains(share) else { throw ValidationError("--share must be between 0 and 1") }
    }

    func run() async throws {
        let logger = try CommandLogger.make(label: "charity-match.rehearse")
        let client = try database.makeClient(logger: logger)
        do {
            let tally = try await rehearse(on: client)
            await client.shutdown()
            print(
                "{\"decided\":\(tally.decided),\"approved\":\(tally.approved),\"rejected\":\(tally.rejected),"
                    + "\"refused\":\(tally.refused),\"delivered\":\(tally.delivered),\"rated\":\(tally.rated)}")
        } catch {
            await client.shutdown()
            throw error
        }
    }

    struct Tally {
        var decided = 0, approved = 0, rejected = 0, refused = 0, delivered = 0, rated = 0
    }

    /// Plays the decisions, after making sure the database is a demo; writes nothing otherwise.
    func rehearse(on client: PostgresClient) async throws -> Tally {
        guard try await DemoMark(client: client).isDemo() else {
            throw CommandFailure(
                "this database was not created as a demo (`charity-match seed --demo`, as scripts/demo does); "
                    + "rehearse fabricates approvals, deliveries and ratings, so it refuses to run on it")
        }
        return try await rehearse(MatchRepository(client: client))
    }

    private func rehearse(_ matches: MatchRepository) async throws -> Tally {
        var random = SplitMix64(seed: seed)
        var tally = Tally()
        var page = PageRequest<Int64>(limit: 500)
        let filter = MatchFilter(status: .proposed, region: RegionCode(region)?.scope)
        while true {
            let found = try await matches.list(filter, page: page)
            for match in found.items where random.unit() < share {
                tally.decided += 1
                try await decide(match.id, matches, &random, &tally)
            }
            guard let next = found.nextCursor else { return tally }
            page = PageRequest(after: next, limit: 500)
        }
    }

    /// One match's path: mostly approve → accept → deliver → rate, sometimes a rejection
    /// or a decline on the way, as coordinators and charities do.
    private func decide(
        _ id: Int64, _ matches: MatchRepository, _ random: inout SplitMix64, _ tally: inout Tally
    ) async throws {
        if random.unit() < 0.08 {
            _ = try await matches.apply(.reject, to: id, by: .system, reasonCode: "not_eligible")
            tally.rejected += 1
            return
        }
        do {
            _ = try await matches.approve(match: id, by: .system)
        } catch is StoreError {
            tally.refused += 1
            return
        }
        tally.approved += 1
        let roll = random.unit()
        if roll < 0.06 {
            _ = try await matches.apply(.decline, to: id, by: .system, reasonCode: "no_capacity")
            return
        }
        guard roll < 0.8 else { return }
        _ = try await matches.apply(.accept, to: id, by: .system)
        guard random.unit() < 0.75 else { return }
        _ = try await matches.apply(.deliver, to: id, by: .system)
        tally.delivered += 1
        guard random.unit() < 0.85 else { return }
        let satisfaction = min(5, max(1, Int((4.3 + random.bell() * 0.8).rounded())))
        try await matches.recordFeedback(match: id, satisfaction: satisfaction, comment: nil, by: .system)
        tally.rated += 1
    }
}
