import Foundation
import Matching
import Postgres
import TestSupport
import Testing

@testable import Store

@Suite("临时接管: a failing provider's matches are released once and re-matched first")
struct TakeoverTests {
    /// `count` approved one-unit matches on a fresh offer of the first active charity.
    private static func approvedMatches(
        _ count: Int, _ client: PostgresClient
    ) async throws -> (offer: Int64, charity: Int64, matches: [Int64]) {
        let (offer, matches) = try await SeededCounty.offerWithProposals(
            capacity: count, count: count, client: client)
        let repository = MatchRepository(client: client)
        for match in matches { _ = try await repository.approve(match: match, by: .system) }
        let charity = try await client.query("SELECT charity_id FROM offers WHERE id = $1", [offer])[0]
            .decode(Int64.self, "charity_id")
        return (offer, charity, matches)
    }

    @Test func aBanRacingCancellationsReleasesEveryUnitExactlyOnce() async throws {
        try await SeededCounty.with("takeover-ban") { _, client in
            let (offer, charity, matches) = try await Self.approvedMatches(12, client)
            let repository = MatchRepository(client: client)
            let charities = CharityRepository(client: client)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    _ = try await charities.ban(charity: charity, until: nil, by: .system, reason: "挪用善款")
                }
                for match in matches.prefix(6) {
                    group.addTask {
                        _ = try? await repository.apply(.cancel, to: match, by: .system, reasonCode: "household_moved")
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 0)
            let cancelled = try await SeededCounty.count(
                client,
                "SELECT count(*) FROM matches WHERE id = ANY($1::bigint[]) AND status = 'cancelled'",
                [matches.map { Int($0) }])
            #expect(cancelled == matches.count)
            let takenOver = try await SeededCounty.count(
                client, "SELECT count(*) FROM matches WHERE id = ANY($1::bigint[]) AND reason_code = 'taken_over'",
                [matches.map { Int($0) }])
            #expect(
                takenOver == (try await SeededCounty.count(client, "SELECT count(*) FROM takeover_matches")))
            #expect(takenOver >= 6)
            #expect(
                try await SeededCounty.count(
                    client, "SELECT count(*) FROM audit_log WHERE action = 'match.cancel' AND entity_id = ANY($1)",
                    [matches.map(String.init)]) == matches.count)
            // Nothing left to take over: a second sanction releases nothing twice.
            _ = try await charities.reinstate(charity: charity, by: .system)
            _ = try await charities.suspend(charity: charity, by: .system, reason: "复查")
            #expect(try await SeededCounty.count(client, "SELECT count(*) FROM takeovers") == 1)
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 0)
            #expect(
                try await SeededCounty.count(
                    client, "SELECT count(*) FROM inbox_messages WHERE kind = 'takeover.started'") >= 3)
        }
    }

    @Test func aTakeoverRunMatchesOnlyItsNeedsAndNeverPastCapacity() async throws {
        try await SeededCounty.with("takeover-run") { _, client in
            let (_, charity, matches) = try await Self.approvedMatches(5, client)
            let released = try await client.query(
                "SELECT need_id FROM matches WHERE id = ANY($1::bigint[])", [matches.map { Int($0) }]
            ).map { try $0.decode(Int64.self, "need_id") }
            let other = try await client.query(
                """
                INSERT INTO offers (charity_id, category_id, title, capacity, unit, service_region_prefixes)
                SELECT (SELECT min(id) FROM charities WHERE status = 'active' AND id <> $1), c.id, 'relief', 3,
                       'portion', ARRAY['320508']
                  FROM categories c WHERE c.code = 'material'
                RETURNING id
                """, [charity])[0].decode(Int64.self, "id")
            _ = try await CharityRepository(client: client).ban(
                charity: charity, until: nil, by: .system, reason: "停止服务")
            let coordinator = try await RepositoryFixtures.principal(
                client, .coordinator, scope: RepositoryFixtures.countyScope, login: "takeover-coordinator")
            let takeovers = TakeoverRepository(client: client)
            let listed = try await takeovers.takeovers(by: coordinator)
            let takeover = try #require(listed.first)
            #expect(listed.count == 1 && takeover.cause == .banned && takeover.matches == 5 && takeover.needs == 5)

            let report = try await takeovers.run(takeover: takeover.id, by: coordinator)
            let runID = try #require(report.runID)
            let proposed = try await client.query(
                "SELECT need_id, offer_id, units FROM matches WHERE run_id = $1", [runID])
            #expect(!proposed.isEmpty)
            for row in proposed {
                #expect(released.contains(try row.decode(Int64.self, "need_id")), "a need the takeover did not release")
            }
            let onOther = try proposed.filter { try $0.decode(Int64.self, "offer_id") == other }
            #expect(try onOther.map { try $0.decode(Int.self, "units") }.reduce(0, +) <= 3)
            let repository = MatchRepository(client: client)
            for row in try await client.query("SELECT id FROM matches WHERE run_id = $1 ORDER BY id", [runID]) {
                _ = try? await repository.approve(match: try row.decode(Int64.self, "id"), by: .system)
            }
            #expect(
                try await SeededCounty.count(
                    client, "SELECT count(*) FROM offers WHERE allocated > capacity") == 0)
            #expect(try await takeovers.takeover(id: takeover.id, by: coordinator).runID == runID)
            #expect(try await takeovers.takeover(id: takeover.id, by: coordinator).rematchedNeeds >= 1)

            let far = try await RepositoryFixtures.principal(
                client, .coordinator, scope: RepositoryFixtures.elsewhere, login: "far-coordinator")
            #expect(try await takeovers.takeovers(by: far).isEmpty)
            await #expect(throws: StoreError.notFound(entity: .takeover, id: String(takeover.id))) {
                _ = try await takeovers.run(takeover: takeover.id, by: far)
            }
        }
    }

    @Test func closingAnOfferOrSuspendingInARegionTakesOverOnlyWhatTheyStrand() async throws {
        try await SeededCounty.with("takeover-close") { _, client in
            let (offer, charity, matches) = try await Self.approvedMatches(3, client)
            let (otherOffer, _, kept) = try await Self.approvedMatches(2, client)
            _ = try await OfferRepository(client: client).close(offer: offer, by: .system)
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 0)
            #expect(
                try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [otherOffer]) == 2)
            #expect(
                try await SeededCounty.count(
                    client, "SELECT count(*) FROM takeover_matches WHERE match_id = ANY($1::bigint[])",
                    [matches.map { Int($0) }]) == 3)

            let township = try await client.query(
                """
                SELECT left(h.region_code, 9) AS prefix FROM matches m JOIN needs n ON n.id = m.need_id
                  JOIN households h ON h.id = n.household_id WHERE m.id = $1
                """, [kept[0]])[0].decode(String.self, "prefix")
            let scope = try #require(RegionScope(prefix: township))
            let coordinator = try await RepositoryFixtures.principal(
                client, .coordinator, scope: scope, login: "township-coordinator")
            _ = try await CharityRepository(client: client).suspend(
                charity: charity, by: coordinator, reason: "投诉核查期间暂停")
            let inTownship = try await SeededCounty.count(
                client,
                """
                SELECT count(*) FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                 WHERE m.id = ANY($1::bigint[]) AND h.region_code LIKE $2 || '%'
                """, [kept.map { Int($0) }, township])
            #expect(
                try await SeededCounty.count(
                    client, "SELECT count(*) FROM matches WHERE id = ANY($1::bigint[]) AND status = 'approved'",
                    [kept.map { Int($0) }]) == kept.count - inTownship)
            #expect(
                try await SeededCounty.count(
                    client, "SELECT allocated FROM offers WHERE id = $1", [otherOffer]) == kept.count - inTownship)
        }
    }
}
