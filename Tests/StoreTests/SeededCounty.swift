import Foundation
import Matching
import Postgres
import TestSupport

@testable import Store

/// A migrated test database with a small seeded county, for lifecycle and run tests.
enum SeededCounty {
    static let county: RegionCode = {
        guard let code = RegionCode("320508000000") else { preconditionFailure("320508000000 is a county code") }
        return code
    }()
    static let asOf = Date(timeIntervalSince1970: 1_795_651_200)  // 2026-11-26 00:00 UTC
    static var sealer: IDNumberSealer {
        get throws { try IDNumberSealer(pepper: "store-tests-pepper-0123456789") }
    }

    static func plan(households: Int = 400, seed: UInt64 = 7) -> CountySeed.Plan {
        CountySeed.Plan(
            households: households, charities: 12, offers: households / 6, seed: seed, county: county, asOf: asOf)
    }

    /// Runs `body` against a fresh database holding `plan`'s county.
    static func with(
        _ label: String, plan: CountySeed.Plan = plan(),
        _ body: (TestDatabase, PostgresClient) async throws -> Void
    ) async throws {
        try await TestDatabase.with(label: label) { database in
            try await database.withClient(options: .init(maxConnections: 8)) { client in
                _ = try await Migrator(client: client, logger: TestDatabase.logger)
                    .migrate(try Migration.load(from: RepositoryLayout.migrations))
                _ = try await CountySeed(client: client, sealer: try sealer).run(plan)
                try await body(database, client)
            }
        }
    }

    /// A fresh open offer of `capacity` units and `count` proposals of one unit each on it,
    /// from distinct open needs of consenting households; returns the offer and match ids.
    static func offerWithProposals(
        capacity: Int, count: Int, client: PostgresClient
    ) async throws -> (
        offer: Int64, matches: [Int64]
    ) {
        let offer = try await client.query(
            """
            INSERT INTO offers (charity_id, category_id, title, capacity, unit, service_region_prefixes)
            SELECT (SELECT min(id) FROM charities WHERE status = 'active'), c.id, 'test offer', $1, 'portion',
                   ARRAY['320508']
              FROM categories c WHERE c.code = 'material'
            RETURNING id
            """, [capacity])[0].decode(Int64.self, "id")
        let needs = try await client.query(
            """
            SELECT n.id FROM needs n JOIN categories c ON c.id = n.category_id
              JOIN households h ON h.id = n.household_id
             WHERE n.status = 'open' AND c.code LIKE 'material.%'
               AND h.consent_given_at IS NOT NULL AND h.consent_withdrawn_at IS NULL
             ORDER BY n.id LIMIT $1
            """, [count]
        ).map { try $0.decode(Int64.self, "id") }
        precondition(needs.count == count, "the seeded county has too few material needs")
        let repository = MatchRepository(client: client)
        var matches: [Int64] = []
        for need in needs {
            matches.append(
                try await repository.insertUncheckedProposal(need: need, offer: offer, units: 1, by: .system).id)
        }
        return (offer, matches)
    }

    static func count(
        _ client: PostgresClient, _ sql: String, _ parameters: [any PostgresEncodable] = []
    ) async throws
        -> Int
    {
        try await client.query(sql, parameters)[0].decode(Int.self, at: 0)
    }
}
