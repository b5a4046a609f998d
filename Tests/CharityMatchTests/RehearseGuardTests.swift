import ArgumentParser
import Foundation
import Matching
import Postgres
import Store
import TestSupport
import Testing

@testable import CharityMatch

/// `charity-match rehearse` fabricates approvals, deliveries and ratings; it must only ever
/// run on a database `charity-match seed --demo` created.
struct RehearseGuardTests {
    @Test func rehearseRefusesADatabaseNotCreatedAsADemoAndWritesNothing() async throws {
        try await withMatchedCounty(demo: false) { client in
            let before = try await snapshot(client)
            #expect(before.proposed > 0)
            let command = try RehearseCommand.parse(["--region", "320508000000", "--share", "1"])
            await #expect(throws: CommandFailure.self) { _ = try await command.rehearse(on: client) }
            #expect(try await snapshot(client) == before)
        }
    }

    @Test func rehearsePlaysDecisionsOnADemoDatabase() async throws {
        try await withMatchedCounty(demo: true) { client in
            let before = try await snapshot(client)
            let command = try RehearseCommand.parse(["--region", "320508000000", "--share", "1"])
            let tally = try await command.rehearse(on: client)
            #expect(tally.decided == before.proposed)
            #expect(try await snapshot(client).audits > before.audits)
        }
    }

    private struct Snapshot: Equatable {
        var proposed: Int, audits: Int, feedback: Int, aid: Int
    }

    private func snapshot(_ client: PostgresClient) async throws -> Snapshot {
        let row = try await client.query(
            """
            SELECT (SELECT count(*) FROM matches WHERE status = 'proposed') AS proposed,
                   (SELECT count(*) FROM audit_log) AS audits,
                   (SELECT count(*) FROM feedback) AS feedback,
                   (SELECT count(*) FROM aid_records) AS aid
            """)[0]
        return Snapshot(
            proposed: try row.decode(Int.self, "proposed"), audits: try row.decode(Int.self, "audits"),
            feedback: try row.decode(Int.self, "feedback"), aid: try row.decode(Int.self, "aid"))
    }

    /// A migrated database with a small county seeded as of today (a demo or not) and one
    /// matching run over it, so there are proposals to decide.
    private func withMatchedCounty(demo: Bool, _ body: (PostgresClient) async throws -> Void) async throws {
        let county = try #require(RegionCode("320508000000"))
        let today = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400)
        try await TestDatabase.with(label: demo ? "rehearse_demo" : "rehearse_real") { database in
            try await database.withClient(options: .init(maxConnections: 4)) { client in
                _ = try await Migrator(client: client, logger: TestDatabase.logger)
                    .migrate(try Migration.load(from: RepositoryLayout.migrations))
                let plan = CountySeed.Plan(
                    households: 60, charities: 10, offers: 20, seed: 3, county: county, asOf: today, demo: demo)
                _ = try await CountySeed(
                    client: client, sealer: try IDNumberSealer(pepper: "rehearse-tests-pepper-0123456789")
                ).run(plan)
                _ = try await MatchingRuns(client: client).run(MatchingRunRequest(region: county))
                try await body(client)
            }
        }
    }
}
