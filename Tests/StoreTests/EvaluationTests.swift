import Foundation
import Matching
import Postgres
import Testing

@testable import Store

@Suite("Charity evaluation (绩效评价): computed from the rows, scored, published once, read by matching")
struct EvaluationTests {
    @Test func theFormulaWeighsSatisfactionMostAndFallsBackTowardNeutral() {
        #expect(abs(EvaluationFormula.weights.map(\.weight).reduce(0, +) - 1) < 1e-12)
        #expect(EvaluationFormula.weights.max { $0.weight < $1.weight }?.component == "satisfaction")
        // Nothing to show: every component neutral (0.6) but complaints, where none is in its favour.
        #expect(EvaluationFormula.score(EvaluationFigures(), coordinatorScore: nil) == 62)
        let known = EvaluationFigures(
            accepted: 10, delivered: 8, confirmed: 6, disputed: 1, lapsed: 1, takenOver: 1, medianDaysToDeliver: 10,
            complaints: 1, complaintsOpen: 1, satisfactionAverage: 4, satisfactionCount: 6)
        #expect(EvaluationFormula.score(known, coordinatorScore: 80) == 68.0)
        // One bad case (unconfirmed, disputed, rated 1) does not sink a small charity.
        let oneBadCase = EvaluationFigures(
            accepted: 1, delivered: 1, disputed: 1, medianDaysToDeliver: 1, complaints: 1, complaintsOpen: 1,
            satisfactionAverage: 1, satisfactionCount: 1)
        #expect(EvaluationFormula.score(oneBadCase, coordinatorScore: nil) == 51.8)
        // Only confirmed deliveries count as fulfilled: the same deliveries unconfirmed score lower.
        var unconfirmed = known
        unconfirmed.confirmed = 0
        #expect(
            EvaluationFormula.score(unconfirmed, coordinatorScore: 80)
                < EvaluationFormula.score(known, coordinatorScore: 80))
        // Failures (lapses, takeovers) and complaints lower it.
        var failing = known
        failing.takenOver += 5
        failing.lapsed += 5
        #expect(
            EvaluationFormula.score(failing, coordinatorScore: 80)
                < EvaluationFormula.score(known, coordinatorScore: 80))
        var complained = known
        complained.complaints += 3
        #expect(
            EvaluationFormula.score(complained, coordinatorScore: 80)
                < EvaluationFormula.score(known, coordinatorScore: 80))
    }

    @Test func periodsAreQuarters() throws {
        let period = try EvaluationPeriod(parsing: "2026Q4")
        #expect(period.startsOn == "2026-10-01" && period.endsOn == "2027-01-01")
        #expect(try EvaluationPeriod(parsing: "2027Q1").endsOn == "2027-04-01")
        for bad in ["2026Q5", "2026-Q4", "26Q4", "2026Q", "Q42026", "２０２６Q4"] {
            #expect(throws: StoreError.invalid(field: "period", reason: "must be a quarter like 2026Q4")) {
                try EvaluationPeriod(parsing: bad)
            }
        }
        #expect(EvaluationPeriod(containing: SeededCounty.asOf).description == "2026Q4")
    }

    @Test func aDraftCountsTheRowsThenIsScoredAndPublishedOnceForGood() async throws {
        try await SeededCounty.with("evaluation-lifecycle") { _, client in
            let (offer, matches) = try await SeededCounty.offerWithProposals(capacity: 6, count: 5, client: client)
            let charity = try await client.query("SELECT charity_id FROM offers WHERE id = $1", [offer])[0]
                .decode(Int64.self, "charity_id")
            let county = SeededCounty.county.digits
            let caseworker = try await SeededCounty.person("cw-eval", .caseworker, region: county, client)
            let coordinator = try await SeededCounty.person("co-eval", .coordinator, region: county, client)
            let repository = MatchRepository(client: client)
            for match in matches { _ = try await repository.approve(match: match, by: .system) }
            for match in [matches[0], matches[1], matches[2], matches[4]] {
                _ = try await repository.apply(.accept, to: match, by: .system)
            }
            for match in matches[0...2] { _ = try await repository.apply(.deliver, to: match, by: .system) }
            _ = try await repository.confirmReceipt(match: matches[0], by: caseworker)
            _ = try await repository.disputeReceipt(match: matches[2], reason: "只收到一半", by: caseworker)
            try await repository.recordFeedback(match: matches[0], satisfaction: 5, comment: nil, by: caseworker.actor)
            _ = try await repository.apply(.decline, to: matches[3], by: .system, reasonCode: "no_capacity")
            // Suspending the charity takes the accepted fifth match over.
            _ = try await CharityRepository(client: client).suspend(charity: charity, by: .system, reason: "核查")
            let evaluations = EvaluationRepository(client: client)
            let period = EvaluationPeriod(containing: Date())
            let draft = try await evaluations.compute(region: nil, period: period, by: coordinator)
            #expect(draft.region == "320508" && draft.period == period.description && draft.status == .draft)
            let row = try #require(draft.charities.first { $0.charityID == charity })
            #expect(draft.charities.count == 1)
            #expect(
                row.figures
                    == EvaluationFigures(
                        accepted: 4, delivered: 3, confirmed: 1, disputed: 1, lapsed: 1, takenOver: 1,
                        medianDaysToDeliver: 0, complaints: 1, complaintsOpen: 1, satisfactionAverage: 5,
                        satisfactionCount: 1))
            #expect(row.score == 58.4 && row.score == EvaluationFormula.score(row.figures, coordinatorScore: nil))

            // Scope: a township's coordinator neither computes nor sees the county's evaluation.
            let township = try await SeededCounty.person(
                "co-town", .coordinator, region: try await SeededCounty.otherTownship(than: county, client), client)
            await #expect(
                throws: StoreError.invalid(
                    field: "region", reason: "must be a county or a wider region (2, 4 or 6 digits)")
            ) { try await evaluations.compute(region: nil, period: period, by: township) }
            await #expect(throws: StoreError.notFound(entity: .evaluation, id: String(draft.id))) {
                try await evaluations.evaluation(id: draft.id, by: township)
            }
            await #expect(
                throws: StoreError.invalid(field: "region", reason: "must be your region or a region inside it")
            ) { try await evaluations.compute(region: RegionScope(prefix: "32"), period: period, by: coordinator) }
            await #expect(throws: StoreError.forbidden(role: "caseworker", action: .evaluateCharities, scope: nil)) {
                try await evaluations.list(by: caseworker)
            }

            // The coordinator's score; out of range refused; kept when computed again.
            await #expect(throws: StoreError.invalid(field: "score", reason: "must be between 0 and 100")) {
                try await evaluations.score(
                    evaluation: draft.id, charity: charity, score: 101, note: nil, by: coordinator)
            }
            let scored = try await evaluations.score(
                evaluation: draft.id, charity: charity, score: 80, note: "按时回访", by: coordinator)
            let scoredRow = try #require(scored.charities.first)
            #expect(scoredRow.coordinatorScore == 80 && scoredRow.coordinatorNote == "按时回访" && scoredRow.score == 60.4)
            let again = try await evaluations.compute(
                region: RegionScope(prefix: "320508"), period: period, by: coordinator)
            #expect(again.id == draft.id && again.charities.first?.coordinatorScore == 80)
            #expect(again.charities.first?.score == 60.4)

            // Published once, then immutable for the Store and for the database itself.
            let published = try await evaluations.publish(evaluation: draft.id, by: coordinator)
            #expect(published.status == .published && published.publishedAt != nil)
            await #expect(
                throws: StoreError.invalidTransition(
                    entity: .evaluation, id: String(draft.id), from: "published", action: "published")
            ) { try await evaluations.publish(evaluation: draft.id, by: coordinator) }
            await #expect(
                throws: StoreError.invalidTransition(
                    entity: .evaluation, id: String(draft.id), from: "published", action: "scored")
            ) {
                try await evaluations.score(
                    evaluation: draft.id, charity: charity, score: 1, note: nil, by: coordinator)
            }
            await #expect(
                throws: StoreError.invalidTransition(
                    entity: .evaluation, id: String(draft.id), from: "published", action: "computed again")
            ) { try await evaluations.compute(region: nil, period: period, by: coordinator) }
            await #expect(throws: PostgresError.self) {
                try await client.query(
                    "UPDATE evaluation_charities SET score = 100 WHERE evaluation_id = $1", [draft.id])
            }
            await #expect(throws: PostgresError.self) {
                try await client.query("DELETE FROM evaluations WHERE id = $1", [draft.id])
            }
            #expect(try await evaluations.evaluation(id: draft.id, by: coordinator) == published)
            #expect(try await RepositoryFixtures.audits(client, "evaluation.compute", draft.id) == 2)
            #expect(try await RepositoryFixtures.audits(client, "evaluation.score", draft.id) == 1)
            #expect(try await RepositoryFixtures.audits(client, "evaluation.publish", draft.id) == 1)
            #expect(try await evaluations.list(status: .published, by: coordinator).map(\.id) == [draft.id])
            #expect(try await evaluations.list(status: .draft, by: coordinator).isEmpty)

            // Public: the score and the suppressed figures, drafts never.
            let openly = try await PublicStatistics(client: client).evaluations(
                region: try #require(RegionScope(prefix: "320508")))
            #expect(openly.count == 1)
            #expect(openly.first?.score == 60.4 && openly.first?.delivered == nil)
            #expect(openly.first?.charityID == charity)
        }
    }

    @Test func aPublishedPoorScoreLowersTheCharitysReliabilityFactor() async throws {
        try await SeededCounty.with("evaluation-reliability") { _, client in
            let delivered = try await SeededCounty.deliveredMatch("rel", client)
            let charity = try #require(delivered.charity.charityID)
            let ranking = CandidateRanking(client: client)
            let needs = try await client.query(
                """
                SELECT n.id FROM needs n JOIN categories c ON c.id = n.category_id
                 WHERE n.status = 'open' AND c.code LIKE 'material.%' ORDER BY n.id LIMIT 40
                """
            ).map { try $0.decode(Int64.self, "id") }
            func reliability(of need: Int64) async throws -> Double? {
                let answer = try await ranking.candidates(
                    forNeed: need, within: SeededCounty.county.scope, policyName: nil, limit: 100,
                    includeIneligible: false, asOf: Date())
                return answer.ranked.first { $0.charityID == charity }?.breakdown.terms
                    .first { $0.factor == .reliability }?.value
            }
            var chosen: (need: Int64, before: Double)?
            for need in needs where chosen == nil {
                if let value = try await reliability(of: need) { chosen = (need, value) }
            }
            let (need, before) = try #require(chosen)
            let evaluations = EvaluationRepository(client: client)
            let draft = try await evaluations.compute(
                region: nil, period: EvaluationPeriod(containing: Date()), by: delivered.coordinator)
            #expect(draft.charities.contains { $0.charityID == charity })
            _ = try await evaluations.score(
                evaluation: draft.id, charity: charity, score: 0, note: "多次未回应", by: delivered.coordinator)
            // A draft does not count.
            #expect(try await reliability(of: need) == before)
            let published = try await evaluations.publish(evaluation: draft.id, by: delivered.coordinator)
            let score = try #require(published.charities.first { $0.charityID == charity }?.score)
            #expect(score < 100 * before)
            let after = try #require(try await reliability(of: need))
            #expect(after < before)
            #expect(abs(after - (0.5 * before + 0.5 * score / 100)) < 1e-6)
        }
    }
}
