import Foundation
import Matching
import Postgres
import Store
import TestSupport
import Testing

@Suite("Match lifecycle: capacity is never over-promised")
struct MatchLifecycleTests {
    @Test(arguments: [1, 7, 23, 64])
    func concurrentApprovalsReserveExactlyTheCapacity(capacity: Int) async throws {
        try await SeededCounty.with("approvals") { _, client in
            let (offer, matches) = try await SeededCounty.offerWithProposals(
                capacity: capacity, count: 64, client: client)
            let repository = MatchRepository(client: client)
            let outcomes = await withTaskGroup(of: Result<MatchRecord, any Error>.self) { group in
                for match in matches {
                    group.addTask {
                        do {
                            return .success(try await repository.approve(match: match, by: .system))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                var outcomes: [Result<MatchRecord, any Error>] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            let refusals = outcomes.compactMap { outcome -> (any Error)? in
                if case .failure(let error) = outcome { return error }
                return nil
            }
            #expect(outcomes.count - refusals.count == capacity)
            for refusal in refusals {
                guard case StoreError.capacityExhausted(offer, 1, 0) = refusal else {
                    Issue.record("unexpected refusal: \(refusal)")
                    continue
                }
            }
            let approvedRows = try await SeededCounty.count(
                client, "SELECT count(*) FROM matches WHERE offer_id = $1 AND status = 'approved'", [offer])
            let allocated = try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer])
            let audits = try await SeededCounty.count(
                client,
                "SELECT count(*) FROM audit_log WHERE action = 'match.approve' AND entity_id = ANY($1::text[])",
                [matches.map(String.init)])
            #expect(approvedRows == capacity)
            #expect(allocated == capacity)
            #expect(audits == capacity)
        }
    }

    @Test func approveRacingCancelReleasesCapacityExactlyOnce() async throws {
        try await SeededCounty.with("races") { _, client in
            let (offer, matches) = try await SeededCounty.offerWithProposals(capacity: 100, count: 100, client: client)
            let repository = MatchRepository(client: client)
            await withTaskGroup(of: Void.self) { group in
                for match in matches {
                    group.addTask { _ = try? await repository.approve(match: match, by: .system) }
                    group.addTask {
                        _ = try? await repository.apply(.cancel, to: match, by: .system, reasonCode: "household_moved")
                    }
                }
            }
            let cancelled = try await SeededCounty.count(
                client, "SELECT count(*) FROM matches WHERE offer_id = $1 AND status = 'cancelled'", [offer])
            let approved = try await SeededCounty.count(
                client, "SELECT count(*) FROM matches WHERE offer_id = $1 AND status = 'approved'", [offer])
            let allocated = try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer])
            #expect(cancelled == 100)
            #expect(approved == 0)
            #expect(allocated == 0)
            // Every cancel that followed an approval released once: approvals − releases = 0.
            let approvals = try await SeededCounty.count(
                client,
                "SELECT count(*) FROM audit_log WHERE action = 'match.approve' AND entity_id = ANY($1::text[])",
                [matches.map(String.init)])
            let cancels = try await SeededCounty.count(
                client,
                "SELECT count(*) FROM audit_log WHERE action = 'match.cancel' AND entity_id = ANY($1::text[])",
                [matches.map(String.init)])
            #expect(cancels == 100)
            #expect(approvals <= 100)
        }
    }

    @Test func deliveryClosesTheNeedWritesAidAndFeedbackFollows() async throws {
        try await SeededCounty.with("delivery") { _, client in
            let (offer, matches) = try await SeededCounty.offerWithProposals(capacity: 5, count: 1, client: client)
            let repository = MatchRepository(client: client)
            let match = matches[0]
            _ = try await repository.approve(match: match, by: .system)
            _ = try await repository.apply(.accept, to: match, by: .system)
            let delivered = try await repository.apply(.deliver, to: match, by: .system)
            #expect(delivered.status == .delivered)
            let needStatus = try await client.query(
                "SELECT status, fulfilled_quantity, quantity FROM needs WHERE id = $1", [delivered.needID])[0]
            let fulfilled = try needStatus.decode(Int.self, "fulfilled_quantity")
            let quantity = try needStatus.decode(Int.self, "quantity")
            #expect(fulfilled == min(quantity, 1))
            #expect(try needStatus.decode(String.self, "status") == (quantity == 1 ? "fulfilled" : "open"))
            #expect(
                try await SeededCounty.count(client, "SELECT count(*) FROM aid_records WHERE match_id = $1", [match])
                    == 1)
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 1)
            try await repository.recordFeedback(match: match, satisfaction: 5, comment: "及时", by: .system)
            await #expect(throws: StoreError.conflict(.feedbackRecorded(match: match))) {
                try await repository.recordFeedback(match: match, satisfaction: 4, comment: nil, by: .system)
            }
            await #expect(
                throws: StoreError.invalidTransition(
                    entity: .match, id: String(match), from: "delivered", action: "cancelled")
            ) {
                _ = try await repository.apply(.cancel, to: match, by: .system, reasonCode: "household_moved")
            }
            #expect(
                try await SeededCounty.count(
                    client, "SELECT count(*) FROM audit_log WHERE entity_type = 'match' AND entity_id = $1",
                    [String(match)]) == 5)
        }
    }

    @Test func refusalsNeedAReasonCodeAndDeclineReleases() async throws {
        try await SeededCounty.with("decline") { _, client in
            let (offer, matches) = try await SeededCounty.offerWithProposals(capacity: 2, count: 2, client: client)
            let repository = MatchRepository(client: client)
            _ = try await repository.approve(match: matches[0], by: .system)
            await #expect(throws: StoreError.invalid(field: "reason_code", reason: "is required for this decision")) {
                _ = try await repository.apply(.decline, to: matches[0], by: .system)
            }
            _ = try await repository.apply(.decline, to: matches[0], by: .system, reasonCode: "no_capacity")
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 0)
            await #expect(throws: StoreError.notFound(entity: .match, id: "999999999")) {
                _ = try await repository.approve(match: 999_999_999, by: .system)
            }
        }
    }

    @Test func theSweepExpiresStaleHoldsAndReleasesTheirUnits() async throws {
        try await SeededCounty.with("sweep") { _, client in
            let (offer, matches) = try await SeededCounty.offerWithProposals(capacity: 3, count: 3, client: client)
            let repository = MatchRepository(client: client)
            _ = try await repository.approve(match: matches[0], by: .system)
            _ = try await repository.approve(match: matches[1], by: .system)
            try await client.query(
                "UPDATE matches SET hold_expires_at = now() - interval '1 minute' WHERE id = ANY($1::bigint[])",
                [[Int(matches[0]), Int(matches[2])]])
            #expect(try await repository.expireStaleHolds() == 2)
            #expect(try await repository.expireStaleHolds() == 0)
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 1)
            #expect(
                try await SeededCounty.count(
                    client, "SELECT count(*) FROM audit_log WHERE action = 'match.expire'") == 2)
        }
    }
}

@Suite("Match lifecycle: stale proposals")
struct StaleProposalTests {
    @Test func aProposalOnACancelledNeedOrWithoutConsentCannotBeApproved() async throws {
        try await SeededCounty.with("stale") { _, client in
            let (offer, matches) = try await SeededCounty.offerWithProposals(capacity: 5, count: 2, client: client)
            let repository = MatchRepository(client: client)
            let first = try #require(try await repository.match(id: matches[0]))
            let second = try #require(try await repository.match(id: matches[1]))
            // As if a run had proposed while the caseworker cancelled the need.
            try await client.query(
                "UPDATE needs SET status = 'cancelled', closed_at = now() WHERE id = $1", [first.needID])
            await #expect(
                throws: StoreError.conflict(.notActive(.need, id: first.needID, status: "cancelled"))
            ) {
                _ = try await repository.approve(match: first.id, by: .system)
            }
            try await client.query(
                """
                UPDATE households SET consent_withdrawn_at = now()
                 WHERE id = (SELECT household_id FROM needs WHERE id = $1)
                """, [second.needID])
            await #expect(throws: StoreError.self) { _ = try await repository.approve(match: second.id, by: .system) }
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 0)
        }
    }
}
