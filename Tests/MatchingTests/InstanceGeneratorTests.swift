import Testing

@testable import Matching

@Suite("Generated instances shaped like a province")
struct InstanceGeneratorTests {
    private static func degrees(_ problem: TransportationProblem) -> [Int] {
        (0..<problem.needCount).map { Int(problem.edgeStart[$0 + 1] - problem.edgeStart[$0]) }
    }

    @Test func sameSeedSameInstance() {
        let configuration = InstanceGenerator.Configuration(needs: 2_000, seed: 42)
        #expect(InstanceGenerator.generate(configuration) == InstanceGenerator.generate(configuration))
    }

    @Test func differentSeedsDiffer() {
        let first = InstanceGenerator.generate(.init(needs: 2_000, seed: 1))
        let second = InstanceGenerator.generate(.init(needs: 2_000, seed: 2))
        #expect(first.needQuantities != second.needQuantities)
        #expect(first.edgeOffers != second.edgeOffers)
        #expect(first.edgeScores != second.edgeScores)
    }

    @Test func idsQuantitiesCapacitiesDegreesAndScores() {
        let problem = InstanceGenerator.generate(.init(needs: 5_000, seed: 3))
        #expect(problem.needIDs == Array(1...5_000))
        #expect(problem.offerIDs == Array(1...500), "M = N/10 by default")
        #expect(problem.needQuantities.allSatisfy { (1...3).contains($0) })
        #expect(Set(problem.needQuantities) == [1, 2, 3])
        #expect(problem.offerCapacities.allSatisfy { (1...20).contains($0) })
        #expect(Set(problem.offerCapacities).count == 20)
        let degrees = Self.degrees(problem)
        #expect(degrees.allSatisfy { (20...50).contains($0) })
        let mean = Double(degrees.reduce(0, +)) / Double(degrees.count)
        #expect((33...37).contains(mean))
        #expect(problem.edgeScores.allSatisfy { (0...TransportationProblem.maximumScore).contains($0) })
        #expect(problem.householdIDs.isEmpty && problem.needHouseholds.allSatisfy { $0 == -1 })
    }

    @Test(arguments: [1, 7, 19])
    func fewerThanTwentyOffersMakesEveryOfferEligible(offers: Int) {
        let problem = InstanceGenerator.generate(.init(needs: 50, offers: offers, seed: 5))
        #expect(Self.degrees(problem).allSatisfy { $0 == offers })
    }

    @Test func degreeIsCappedByTheNumberOfOffers() {
        let degrees = Self.degrees(InstanceGenerator.generate(.init(needs: 500, offers: 30, seed: 5)))
        #expect(degrees.allSatisfy { (20...30).contains($0) })
        #expect(degrees.contains(30) && degrees.contains { $0 < 30 })
    }

    @Test func aSingleNeed() {
        let problem = InstanceGenerator.generate(.init(needs: 1, seed: 9))
        #expect(problem.needCount == 1 && problem.offerCount == 1 && problem.edgeCount == 1)
    }

    @Test func householdsGroupOneToThreeNeedsUnderACap() {
        let problem = InstanceGenerator.generate(.init(needs: 3_000, seed: 8, households: true))
        #expect(problem.needHouseholds.allSatisfy { $0 >= 0 })
        var members = [Int](repeating: 0, count: problem.householdIDs.count)
        var quantity = [Int32](repeating: 0, count: problem.householdIDs.count)
        for need in 0..<problem.needCount {
            let household = Int(problem.needHouseholds[need])
            members[household] += 1
            quantity[household] += problem.needQuantities[need]
        }
        #expect(members.allSatisfy { (1...3).contains($0) })
        #expect(Set(members) == [1, 2, 3])
        #expect(zip(problem.householdCaps, quantity).allSatisfy { cap, total in (1...total).contains(cap) })
    }

    @Test func scoresFallWithDistanceAndStayInRange() {
        let distances = stride(from: 0.0, through: 0.2, by: 0.001)
        for (quality, noise) in [(0.0, 0.0), (0.5, 0.3), (1.0, 0.999_999_999)] {
            let scores = distances.map {
                InstanceGenerator.scoreMicro(
                    distanceSquared: $0 * $0, halfScoreDistance: 0.02, quality: quality, noise: noise)
            }
            #expect(zip(scores, scores.dropFirst()).allSatisfy { $0 >= $1 })
            #expect(scores.first.map { $0 > scores.last ?? 0 } == true)
            #expect(scores.allSatisfy { (0...TransportationProblem.maximumScore).contains($0) })
        }
    }

    /// The grid search must return exactly the k nearest, whatever the clustering: compared
    /// with brute force on points bunched in a corner, spread out, and stacked on one spot.
    @Test(arguments: [0.02, 0.3, 0.0])
    func gridSearchFindsTheNearestOffers(spread: Double) {
        var random = SplitMix64(seed: 77)
        let points = (0..<2_000).map { index in
            index.isMultiple(of: 3)
                ? InstanceGenerator.Point(x: random.unit(), y: random.unit())
                : InstanceGenerator.Point(x: 0.1 + spread * random.unit(), y: 0.9 - spread * random.unit())
        }
        let grid = InstanceGenerator.OfferGrid(points: points)
        var search = InstanceGenerator.NearestSearch()
        for query in 0..<300 {
            let point = InstanceGenerator.Point(x: random.unit(), y: random.unit())
            let count = 20 + query % 31
            let found = search.nearest(count, to: point, in: grid).map(\.distanceSquared).sorted()
            let expected = points.map { ($0.x - point.x) * ($0.x - point.x) + ($0.y - point.y) * ($0.y - point.y) }
                .sorted().prefix(count)
            #expect(found == Array(expected))
        }
    }
}
