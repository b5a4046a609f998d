import Foundation
import Matching
import Postgres
import TestSupport
import Testing

@testable import Store

@Suite("Candidates for one need")
struct CandidateRankingTests {
    private static let now = SeededCounty.asOf.addingTimeInterval(12 * 3600)

    @Test func theRankedOffersAreTheRunsPairsWithTheRunsScores() async throws {
        try await SeededCounty.with("candidates_run", plan: SeededCounty.plan(households: 600, seed: 11)) {
            _, client in
            // What the run's SQL finds and how the run scores it, pair by pair.
            let set = try await client.withTransaction { connection in
                try CandidateSet.load(scope: SeededCounty.county.scope, at: Self.now, lookBackDays: 90, on: connection)
            }
            let scorer = Scorer(policy: .standard, context: set.context)
            let scores = BatchScorer(needs: set.needs, households: set.households, offers: set.offers, scorer: scorer)
                .scores(pairStart: set.pairStart, pairOffers: set.pairOffers)
            var runPairs: [Int64: [Int64: Int64]] = [:]
            for (index, need) in set.needs.enumerated() {
                for pair in Int(set.pairStart[index])..<Int(set.pairStart[index + 1]) {
                    runPairs[need.id, default: [:]][set.offers[Int(set.pairOffers[pair])].id] = scores[pair]
                }
            }
            let ranking = CandidateRanking(client: client)
            let chosen =
                set.needs.filter { runPairs[$0.id] != nil }.prefix(30)
                + set.needs.filter {
                    runPairs[$0.id] == nil
                }.prefix(5)
            var answers: [Int64: NeedCandidates] = [:]
            for need in chosen {
                let answer = try await ranking.candidates(
                    forNeed: need.id, within: SeededCounty.county.scope, policyName: nil, limit: 100,
                    includeIneligible: true, asOf: Self.now)
                let expected = runPairs[need.id] ?? [:]
                #expect(expected.count < 100)
                #expect(
                    Dictionary(uniqueKeysWithValues: answer.ranked.map { ($0.offerID, $0.breakdown.scoreMicro) })
                        == expected, "need \(need.id)")
                #expect(answer.eligibleCount == expected.count && answer.openQuantity == need.quantity)
                #expect(answer.policyName == "standard" && answer.policyVersion == 1 && answer.asOf == Self.now)
                #expect(
                    answer.ranked.map(\.breakdown.scoreMicro) == answer.ranked.map(\.breakdown.scoreMicro).sorted(by: >)
                )
                #expect(answer.ineligible.allSatisfy { !$0.reasons.isEmpty && expected[$0.offerID] == nil })
                let servingOnly = try await ranking.candidates(
                    forNeed: need.id, within: SeededCounty.county.scope, policyName: nil, limit: 100,
                    includeIneligible: false, asOf: Self.now)
                #expect(servingOnly.ranked == answer.ranked && servingOnly.eligibleCount == answer.eligibleCount)
                #expect(servingOnly.ineligible.isEmpty)
                let household = try #require(set.households[need.householdID])
                for candidate in answer.ranked {
                    let offer = try #require(set.offers.first { $0.id == candidate.offerID })
                    let fit = set.context.categoryFit(need: need.categoryID, offer: offer.categoryID)
                    #expect(
                        candidate.breakdown
                            == scorer.breakdown(need: need, household: household, offer: offer, fit: fit))
                    #expect(candidate.remaining == offer.remainingCapacity)
                    #expect(candidate.units == min(need.quantity, offer.remainingCapacity))
                }
                answers[need.id] = answer
            }
            // The run then proposes on some of these pairs and stores the very same breakdowns.
            let (report, _) = try await MatchingRuns(client: client).run(
                MatchingRunRequest(region: SeededCounty.county, now: Self.now))
            let stored = try await client.query(
                "SELECT need_id, offer_id, breakdown FROM matches WHERE run_id = $1 AND need_id = ANY($2::bigint[])",
                [try #require(report.runID), answers.keys.map { Int($0) }])
            #expect(stored.count > 5)
            for row in stored {
                let need = try row.decode(Int64.self, "need_id")
                let offer = try row.decode(Int64.self, "offer_id")
                let breakdown = try row.decode(PostgresJSON<ScoreBreakdown>.self, "breakdown").value
                #expect(answers[need]?.ranked.first { $0.offerID == offer }?.breakdown == breakdown)
            }
            // Afterwards the proposed pairs are no longer candidates, and say why.
            let row = try #require(stored.first)
            let need = try row.decode(Int64.self, "need_id")
            let offer = try row.decode(Int64.self, "offer_id")
            let after = try await ranking.candidates(
                forNeed: need, within: nil, policyName: "standard", limit: 100, includeIneligible: true,
                asOf: Self.now)
            #expect(!after.ranked.contains { $0.offerID == offer })
            let reasons = after.ineligible.first { $0.offerID == offer }?.reasons.map(\.code) ?? []
            #expect(reasons.contains("already_matched") || reasons.contains("need_fully_covered"))
        }
    }

    @Test func everyOtherOfferSaysWhyAndTheNeedStaysInsideTheCallersScope() async throws {
        try await RepositoryFixtures.with("candidates_why") { client in
            let ranking = CandidateRanking(client: client)
            let need = try await client.query(
                """
                SELECT n.id, h.region_code FROM needs n JOIN households h ON h.id = n.household_id
                  JOIN categories c ON c.id = n.category_id
                 WHERE n.status = 'open' AND h.consent_given_at IS NOT NULL AND h.consent_withdrawn_at IS NULL
                   AND EXISTS (SELECT 1 FROM offers o JOIN categories oc ON oc.id = o.category_id
                                WHERE oc.parent_id = c.parent_id AND oc.id <> c.id AND o.status = 'open')
                 ORDER BY n.id LIMIT 1
                """)[0]
            let id = try need.decode(Int64.self, "id")
            let region = try #require(RegionCode(try need.decode(String.self, "region_code")))
            let answer = try await ranking.candidates(
                forNeed: id, within: region.scope, policyName: nil, limit: 1, includeIneligible: true, asOf: Self.now)
            #expect(answer.need.id == id && answer.ranked.count <= 1 && answer.eligibleCount >= answer.ranked.count)
            #expect(answer.ineligible.contains { $0.reasons.map(\.code).contains("category_mismatch") })
            #expect(
                answer.ineligible.allSatisfy { !$0.reasons.isEmpty && $0.reasons.allSatisfy { !$0.message.isEmpty } })
            let quiet = try await ranking.candidates(
                forNeed: id, within: nil, policyName: nil, limit: 100, includeIneligible: false, asOf: Self.now)
            #expect(quiet.ineligible.isEmpty && quiet.ranked.count == answer.eligibleCount)

            // Without consent nothing is ranked, and every offer says so.
            try await client.query(
                "UPDATE households SET consent_withdrawn_at = greatest(now(), consent_given_at) WHERE id = $1",
                [answer.need.householdID])
            let withdrawn = try await ranking.candidates(
                forNeed: id, within: nil, policyName: nil, limit: 10, includeIneligible: true,
                asOf: Date().addingTimeInterval(3600))
            #expect(withdrawn.ranked.isEmpty && !withdrawn.ineligible.isEmpty)
            #expect(withdrawn.ineligible.allSatisfy { $0.reasons.map(\.code).contains("consent_missing") })

            let elsewhere = try #require(RepositoryFixtures.elsewhere)
            for scope in [elsewhere] {
                await #expect(throws: StoreError.notFound(entity: .need, id: String(id))) {
                    _ = try await ranking.candidates(
                        forNeed: id, within: scope, policyName: nil, limit: 10, includeIneligible: false, asOf: Self.now
                    )
                }
            }
            await #expect(throws: StoreError.notFound(entity: .need, id: "9999999")) {
                _ = try await ranking.candidates(
                    forNeed: 9_999_999, within: nil, policyName: nil, limit: 10, includeIneligible: false,
                    asOf: Self.now)
            }
            await #expect(throws: StoreError.notFound(entity: .weightPolicy, id: "nonexistent")) {
                _ = try await ranking.candidates(
                    forNeed: id, within: nil, policyName: "nonexistent", limit: 10, includeIneligible: false,
                    asOf: Self.now)
            }
            for limit in [0, 101] {
                await #expect(throws: StoreError.invalid(field: "limit", reason: "must be between 1 and 100")) {
                    _ = try await ranking.candidates(
                        forNeed: id, within: nil, policyName: nil, limit: limit, includeIneligible: false,
                        asOf: Self.now)
                }
            }
        }
    }
}
