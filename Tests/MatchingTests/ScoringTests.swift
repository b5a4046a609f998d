import Foundation
import Matching
import Testing

@Suite("Weighted, explainable scores")
struct ScoringTests {
    @Test func weightPolicyValidation() throws {
        #expect(throws: WeightPolicy.Problem.negativeWeight(.fairness)) {
            try WeightPolicy(name: "x", version: 1, weights: [.urgency: 1, .fairness: -0.1])
        }
        #expect(throws: WeightPolicy.Problem.noPositiveWeight) { try WeightPolicy(name: "x", version: 1, weights: [:]) }
        #expect(throws: WeightPolicy.Problem.noPositiveWeight) {
            try WeightPolicy(name: "x", version: 1, weights: [.urgency: 0, .proximity: 0])
        }
        #expect(throws: WeightPolicy.Problem.notFinite(.urgency)) {
            try WeightPolicy(name: "x", version: 1, weights: [.urgency: .infinity])
        }
        #expect(throws: WeightPolicy.Problem.emptyName) {
            try WeightPolicy(name: " ", version: 1, weights: [.urgency: 1])
        }
        #expect(throws: WeightPolicy.Problem.versionNotPositive) {
            try WeightPolicy(name: "x", version: 0, weights: [.urgency: 1])
        }
        let policy = try WeightPolicy(name: "urgent", version: 2, weights: [.urgency: 3, .vulnerability: 1])
        #expect(policy.weight(.urgency) == 0.75)
        #expect(policy.weight(.proximity) == 0)
        #expect(abs(WeightPolicy.standard.weights.values.reduce(0, +) - 1) < 1e-12)
    }

    @Test func factorOrderings() throws {
        let now = EligibilityTests.now
        var need = EligibilityTests.need()
        need.urgency = 5
        let urgent = ScoreFactors.urgency(need)
        need.isEmergency = true
        #expect(ScoreFactors.urgency(need) == 1)
        #expect(urgent < 1)
        var household = try EligibilityTests.household()
        household.flags = []
        let values: [Double] = [[.tekun], [.dibao], [.dibaoEdge], [.temporary]].map {
            (statuses: Set<AssistanceStatus>) in
            household.statuses = statuses
            return ScoreFactors.vulnerability(household)
        }
        #expect(values == values.sorted(by: >))
        #expect(Set(values).count == 4)
        household.flags = Set(VulnerabilityFlag.allCases)
        #expect(ScoreFactors.vulnerability(household) == 1)
        let newcomer = ScoreFactors.reliability(CharityStanding())
        let excellent = ScoreFactors.reliability(
            CharityStanding(delivered: 200, satisfactionSum: 1000, satisfactionCount: 200))
        let poor = ScoreFactors.reliability(
            CharityStanding(delivered: 10, failed: 90, satisfactionSum: 100, satisfactionCount: 100))
        #expect(poor < newcomer && newcomer < excellent)
        // A published evaluation weighs half: a poor one lowers, a good one raises the record.
        let poorlyEvaluated = ScoreFactors.reliability(CharityStanding(evaluationScore: 20))
        #expect(abs(poorlyEvaluated - (0.5 * newcomer + 0.1)) < 1e-12)
        #expect(poorlyEvaluated < newcomer && ScoreFactors.reliability(CharityStanding(evaluationScore: 95)) > newcomer)
        #expect(ScoreFactors.fairness(recentAidCount: 0) == 1)
        #expect(ScoreFactors.fairness(recentAidCount: 3) < ScoreFactors.fairness(recentAidCount: 1))
        need.recordedAt = now.addingTimeInterval(-120 * 86_400)
        #expect(ScoreFactors.waitingTime(need, now: now) == 1)
    }

    @Test func breakdownPartsSumToTheScoreAndStayWithinOne() throws {
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            var weights: [ScoreFactor: Double] = [:]
            for factor in ScoreFactor.allCases { weights[factor] = Double.random(in: 0...1, using: &generator) }
            weights[.urgency] = 0.01 + (weights[.urgency] ?? 0)
            let policy = try WeightPolicy(name: "random", version: 1, weights: weights)
            var values: [ScoreFactor: Double] = [:]
            for factor in ScoreFactor.allCases { values[factor] = Double.random(in: 0...1, using: &generator) }
            let breakdown = ScoreBreakdown(values: values, policy: policy)
            #expect(breakdown.terms.map(\.contributionMicro).reduce(0, +) == breakdown.scoreMicro)
            #expect((0...1_000_000).contains(breakdown.scoreMicro))
            let expected = ScoreFactor.allCases.reduce(0.0) { $0 + policy.weight($1) * (values[$1] ?? 0) }
            #expect(abs(breakdown.score - expected) <= 8e-6)
        }
        let ones = Dictionary(uniqueKeysWithValues: ScoreFactor.allCases.map { ($0, 1.0) })
        #expect(ScoreBreakdown(values: ones, policy: .standard).scoreMicro <= 1_000_000)
    }

    @Test func breakdownEncodesWithScore() throws {
        let scorer = Scorer(policy: .standard, context: EligibilityTests.context)
        let breakdown = scorer.breakdown(
            need: EligibilityTests.need(), household: try EligibilityTests.household(), offer: EligibilityTests.offer(),
            fit: .exact)
        let json = try JSONEncoder().encode(breakdown)
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(object?["score_micro"] as? Int == Int(breakdown.scoreMicro))
        #expect((object?["terms"] as? [Any])?.count == ScoreFactor.allCases.count)
        #expect(try JSONDecoder().decode(ScoreBreakdown.self, from: json) == breakdown)
    }

    @Test func batchScoresEqualBreakdownsToTheMillionth() throws {
        var generator = SplitMix64(seed: 7)
        let context = EligibilityTests.context
        let scorer = Scorer(policy: .standard, context: context)
        let regions = ["320508019044", "320508019045", "320508020001", "320509001001"]
        var households: [Int64: Household] = [:]
        var needs: [Need] = []
        for id in Int64(1)...300 {
            var household = try EligibilityTests.household(id: id, region: regions[Int(id) % regions.count])
            household.location = GeoPoint(
                latitude: 31.2 + Double.random(in: 0...0.2, using: &generator),
                longitude: 120.5 + Double.random(in: 0...0.2, using: &generator))
            // Some households have no location: only their region can bring them near.
            if id % 7 == 0 { household.location = nil }
            household.statuses = [AssistanceStatus.allCases.randomElement(using: &generator) ?? .dibao]
            households[id] = household
            var need = EligibilityTests.need(household: id, category: Bool.random(using: &generator) ? 11 : 31)
            need.urgency = Int.random(in: 1...5, using: &generator)
            need.isEmergency = Int.random(in: 0..<10, using: &generator) == 0
            need.neededBy =
                Bool.random(using: &generator)
                ? context.now.addingTimeInterval(Double.random(in: -5...90, using: &generator) * 86_400) : nil
            needs.append(need)
        }
        var offers: [Offer] = []
        for id in Int64(1)...40 {
            var offer = EligibilityTests.offer(
                scopes: [["320508"], ["320508019"], ["3205", "320508020001"], []][Int(id) % 4],
                category: [11, 1, 31, 3][Int(id) % 4])
            offer.id = id
            if offer.serviceArea.scopes.isEmpty || id % 3 == 0 {
                offer.serviceArea.circle = .init(
                    center: GeoPoint(latitude: 31.3, longitude: 120.6), radiusKilometres: id == 12 ? 0 : Double(id))
            }
            offer.availableFrom = context.now.addingTimeInterval(
                Double.random(in: -30...30, using: &generator) * 86_400)
            offer.charity = CharityStanding(
                delivered: Int(id), failed: Int(id) % 5, satisfactionSum: Int(id) * 4, satisfactionCount: Int(id))
            offers.append(offer)
        }
        var start: [Int32] = [0]
        var pairOffers: [Int32] = []
        var expected: [Int64] = []
        for need in needs {
            for (index, offer) in offers.enumerated() {
                guard let household = households[need.householdID] else { continue }
                let fit = context.categoryFit(need: need.categoryID, offer: offer.categoryID)
                guard fit != .none, offer.serviceArea.covers(region: household.region, location: household.location)
                else { continue }
                pairOffers.append(Int32(index))
                expected.append(scorer.breakdown(need: need, household: household, offer: offer, fit: fit).scoreMicro)
            }
            start.append(Int32(pairOffers.count))
        }
        #expect(expected.count > 1000)
        let batch = BatchScorer(needs: needs, households: households, offers: offers, scorer: scorer)
        #expect(batch.scores(pairStart: start, pairOffers: pairOffers) == expected)
    }
}
