import Foundation
import Matching
import Postgres
import TestSupport
import Testing

@testable import Store

@Suite("限时办理: limits per stage and region, overdue counts, expiring needs, hold reminders")
struct TimeLimitTests {
    @Test func theNearestRegionsLimitAppliesAndOverdueIsCountedPerTownship() async throws {
        try await SeededCounty.with("time-limits") { _, client in
            let (_, matches) = try await SeededCounty.offerWithProposals(capacity: 4, count: 4, client: client)
            try await client.query(
                "UPDATE matches SET created_at = now() - interval '2 days' WHERE id = ANY($1::bigint[])",
                [matches.map { Int($0) }])
            let coordinator = try await RepositoryFixtures.principal(
                client, .coordinator, scope: RepositoryFixtures.countyScope, login: "limits-coordinator")
            let limits = TimeLimits(client: client)
            #expect(try await limits.limits(by: coordinator)[.decision] == 3)
            func overdueDecisions() async throws -> Int {
                try await limits.overdue(by: coordinator).filter { $0.stage == .decision }.map(\.count).reduce(0, +)
            }
            let before = try await overdueDecisions()
            try await limits.set(.decision, days: 1, region: nil, by: coordinator)
            #expect(try await limits.limits(by: coordinator)[.decision] == 1)
            #expect(try await overdueDecisions() == before + matches.count)
            let townships = try await limits.overdue(by: coordinator).map(\.township)
            #expect(townships.allSatisfy { $0.hasPrefix(SeededCounty.county.scope.prefix) && $0.hasSuffix("000") })
            #expect(try await RepositoryFixtures.allAudits(client) >= 1)

            await #expect(
                throws: StoreError.invalid(field: "days", reason: "must be a whole number of days from 1 to 365")
            ) {
                try await limits.set(.delivery, days: 0, region: nil, by: coordinator)
            }
            let township = try #require(RegionScope(prefix: String(townships.first?.prefix(9) ?? "")))
            let local = try await RepositoryFixtures.principal(
                client, .coordinator, scope: township, login: "township-coordinator")
            await #expect(
                throws: StoreError.forbidden(role: "coordinator", action: .setTimeLimits, scope: township.prefix)
            ) {
                try await limits.set(.delivery, days: 5, region: RepositoryFixtures.countyScope, by: local)
            }
            let caseworker = try await RepositoryFixtures.principal(
                client, .caseworker, scope: RepositoryFixtures.countyScope, login: "limits-caseworker")
            await #expect(throws: StoreError.forbidden(role: "caseworker", action: .setTimeLimits, scope: nil)) {
                try await limits.set(.delivery, days: 5, region: nil, by: caseworker)
            }
        }
    }

    @Test func aNeedPastItsDayExpiresWithItsMatchesAndChartiesAreRemindedOnce() async throws {
        try await SeededCounty.with("deadlines") { _, client in
            let (offer, matches) = try await SeededCounty.offerWithProposals(capacity: 2, count: 2, client: client)
            let repository = MatchRepository(client: client)
            for match in matches { _ = try await repository.approve(match: match, by: .system) }
            let late = try #require(try await repository.match(id: matches[0])).needID
            try await client.query(
                "UPDATE needs SET needed_by = (now() AT TIME ZONE 'Asia/Shanghai')::date - 1 WHERE id = $1", [late])
            try await client.query(
                "UPDATE matches SET hold_expires_at = now() + interval '3 hours' WHERE id = $1", [matches[1]])
            let deadlines = CaseDeadlines(client: client)
            let expiredBefore = try await SeededCounty.count(
                client, "SELECT count(*) FROM needs WHERE status = 'expired'")
            let expired = try await deadlines.expireNeedsPastNeededBy()
            #expect(expired >= 1)
            #expect(
                try await client.query("SELECT status FROM needs WHERE id = $1", [late])[0]
                    .decode(String.self, "status") == "expired")
            #expect(try await repository.match(id: matches[0])?.reasonCode == CaseDeadlines.expiredReason)
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 1)
            #expect(
                try await SeededCounty.count(client, "SELECT count(*) FROM needs WHERE status = 'expired'")
                    == expiredBefore + expired)
            #expect(try await deadlines.expireNeedsPastNeededBy() == 0)

            #expect(try await deadlines.remindLapsingHolds() == 1)
            #expect(try await deadlines.remindLapsingHolds() == 0)
            #expect(
                try await SeededCounty.count(
                    client, "SELECT count(*) FROM inbox_messages WHERE kind = 'match.accept_soon' AND entity_id = $1",
                    [String(matches[1])]) == 1)
        }
    }
}
