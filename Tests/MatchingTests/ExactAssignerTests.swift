import Matching
import Testing

@Suite("Exact assignment")
struct ExactAssignerTests {
    /// Need 1 may take offer 10 (1.00) or 20 (0.99); need 2 only offer 10 (0.99). Greedy
    /// gives 10 to need 1 and need 2 gets nothing: about half the optimum.
    static func adversarialCase() throws -> TransportationProblem {
        try TransportationProblem(
            needs: [.init(id: 1, quantity: 1), .init(id: 2, quantity: 1)],
            offers: [(id: 10, capacity: 1), (id: 20, capacity: 1)],
            edges: [
                .init(needID: 1, offerID: 10, scoreMicro: 1_000_000),
                .init(needID: 1, offerID: 20, scoreMicro: 990_000),
                .init(needID: 2, offerID: 10, scoreMicro: 990_000),
            ])
    }

    @Test func exactBeatsGreedyOnTheAdversarialCase() throws {
        let problem = try Self.adversarialCase()
        let greedy = GreedyAssigner.assign(problem)
        let exact = ExactAssigner.assign(problem)
        #expect(greedy.objectiveMicro == 1_000_000)
        #expect(exact.objectiveMicro == 1_980_000)
        #expect(exact.units == [0, 1, 1])
        #expect(exact.violations(of: problem).isEmpty)
    }

    @Test func householdCapBindsAcrossNeeds() throws {
        let problem = try TransportationProblem(
            needs: [.init(id: 1, quantity: 2, householdID: 7), .init(id: 2, quantity: 2, householdID: 7)],
            offers: [(id: 10, capacity: 5), (id: 20, capacity: 5)],
            households: [(id: 7, cap: 3)],
            edges: [
                .init(needID: 1, offerID: 10, scoreMicro: 300_000),
                .init(needID: 2, offerID: 20, scoreMicro: 900_000),
            ])
        let exact = ExactAssigner.assign(problem)
        #expect(exact.units == [1, 2])
        #expect(exact.objectiveMicro == 2_100_000)
    }

    @Test func smallInstancesMatchBruteForceAndBeatGreedy() throws {
        var random = SplitMix64(seed: 2026)
        for round in 0..<3000 {
            let instance = RandomInstance.tiny(&random, withHouseholds: round % 2 == 1)
            let problem = try instance.problem()
            let exact = ExactAssigner.assign(problem)
            let greedy = GreedyAssigner.assign(problem)
            #expect(exact.violations(of: problem).isEmpty, "round \(round)")
            #expect(greedy.violations(of: problem).isEmpty, "round \(round)")
            #expect(exact.objectiveMicro >= greedy.objectiveMicro, "round \(round)")
            #expect(exact.objectiveMicro == BruteForce.optimum(problem), "round \(round)")
        }
    }

    @Test func shuffledInputGivesTheSameUnits() throws {
        var random = SplitMix64(seed: 77)
        for round in 0..<300 {
            let instance = RandomInstance.medium(&random, needs: 40, withHouseholds: round % 2 == 0)
            let reference = ExactAssigner.assign(try instance.problem())
            let shuffled = try instance.shuffled(&random).problem()
            #expect(ExactAssigner.assign(shuffled).units == reference.units, "round \(round)")
        }
    }

    @Test func threadCountDoesNotChangeTheAnswer() throws {
        var random = SplitMix64(seed: 5)
        let problem = try RandomInstance.medium(&random, needs: 12_000, withHouseholds: true).problem()
        let single = ExactAssigner.assign(problem, parallelism: 1)
        let parallel = ExactAssigner.assign(problem, parallelism: 2)
        #expect(single.units == parallel.units)
    }

    @Test(arguments: [false, true])
    func largerInstanceIsOptimalByResidualCertificate(withHouseholds: Bool) throws {
        var random = SplitMix64(seed: withHouseholds ? 11 : 12)
        let problem = try RandomInstance.medium(&random, needs: 2500, withHouseholds: withHouseholds).problem()
        let exact = ExactAssigner.assign(problem)
        let greedy = GreedyAssigner.assign(problem)
        #expect(exact.violations(of: problem).isEmpty)
        #expect(exact.objectiveMicro >= greedy.objectiveMicro)
        #expect(ResidualCertificate.hasNoNegativeCycle(problem: problem, assignment: exact))
    }

    @Test func certificateCatchesASuboptimalAssignment() throws {
        let problem = try Self.adversarialCase()
        let greedy = GreedyAssigner.assign(problem)
        #expect(!ResidualCertificate.hasNoNegativeCycle(problem: problem, assignment: greedy))
    }
}

/// An instance as a caller would hand it over, before canonical ordering.
struct RandomInstance {
    var needs: [TransportationProblem.NeedInput]
    var offers: [(id: Int64, capacity: Int32)]
    var households: [(id: Int64, cap: Int32)]
    var edges: [TransportationProblem.Edge]

    func problem() throws -> TransportationProblem {
        try TransportationProblem(needs: needs, offers: offers, households: households, edges: edges)
    }

    func shuffled(_ random: inout SplitMix64) -> RandomInstance {
        RandomInstance(
            needs: needs.shuffled(using: &random), offers: offers.shuffled(using: &random),
            households: households.shuffled(using: &random), edges: edges.shuffled(using: &random))
    }

    /// At most 4 needs, 3 offers and 6 edges, with ties, zero scores, zero capacities and
    /// (optionally) households whose caps may bind or be 0.
    static func tiny(_ random: inout SplitMix64, withHouseholds: Bool) -> RandomInstance {
        let scores: [Int64] = [0, 250_000, 500_000, 500_000, 750_000, 1_000_000]
        let needCount = Int.random(in: 1...4, using: &random)
        let offerCount = Int.random(in: 1...3, using: &random)
        let households =
            withHouseholds
            ? (0..<2).map { (id: Int64(100 + $0), cap: Int32.random(in: 0...3, using: &random)) } : []
        let needs = (0..<needCount).map { index in
            TransportationProblem.NeedInput(
                id: Int64(index + 1), quantity: Int32.random(in: 1...3, using: &random),
                householdID: households.isEmpty || Bool.random(using: &random)
                    ? nil : households.randomElement(using: &random)?.id)
        }
        let offers = (0..<offerCount).map { (id: Int64(50 + $0), capacity: Int32.random(in: 0...3, using: &random)) }
        var pairs = needs.flatMap { need in offers.map { (need.id, $0.id) } }.shuffled(using: &random)
        pairs = Array(pairs.prefix(Int.random(in: 0...6, using: &random)))
        let edges = pairs.map { need, offer in
            TransportationProblem.Edge(
                needID: need, offerID: offer,
                scoreMicro: Bool.random(using: &random)
                    ? scores.randomElement(using: &random) ?? 0 : Int64.random(in: 0...1_000_000, using: &random))
        }
        return RandomInstance(needs: needs, offers: offers, households: households, edges: edges)
    }

    /// Needs and offers on a line, each need eligible for a few offers nearby, so the
    /// instance has components of every size.
    static func medium(
        _ random: inout SplitMix64, needs needCount: Int, withHouseholds: Bool
    ) -> RandomInstance {
        let offerCount = max(2, needCount / 5)
        let households =
            withHouseholds
            ? (0..<needCount / 3).map { (id: Int64(1_000_000 + $0), cap: Int32.random(in: 0...4, using: &random)) } : []
        let needs = (0..<needCount).map { index in
            TransportationProblem.NeedInput(
                id: Int64(index + 1), quantity: Int32.random(in: 1...3, using: &random),
                householdID: households.isEmpty || index % 4 == 0 ? nil : households[index / 3 % households.count].id)
        }
        let offers = (0..<offerCount).map { offer in
            (id: Int64(500_000 + offer), capacity: Int32.random(in: 0...12, using: &random))
        }
        var edges: [TransportationProblem.Edge] = []
        for (index, need) in needs.enumerated() {
            let centre = index * offerCount / needCount
            let chosen = Set(
                (0..<Int.random(in: 0...6, using: &random)).map { _ in
                    min(offerCount - 1, max(0, centre + Int.random(in: -3...3, using: &random)))
                })
            for offer in chosen.sorted() {
                let distance = Int64(abs(offer - centre))
                let score = max(0, 900_000 - 120_000 * distance + Int64.random(in: 0...100_000, using: &random))
                edges.append(.init(needID: need.id, offerID: offers[offer].id, scoreMicro: score / 50_000 * 50_000))
            }
        }
        return RandomInstance(needs: needs, offers: offers, households: households, edges: edges)
    }
}

/// The optimum of a tiny instance by trying every allocation of units to its edges.
private enum BruteForce {
    static func optimum(_ problem: TransportationProblem) -> Int64 {
        let edgeNeeds = problem.edgeNeeds()
        var needLeft = problem.needQuantities
        var offerLeft = problem.offerCapacities
        var householdLeft = problem.householdCaps
        func best(from edge: Int) -> Int64 {
            guard edge < problem.edgeCount else { return 0 }
            let need = Int(edgeNeeds[edge])
            let offer = Int(problem.edgeOffers[edge])
            let household = Int(problem.needHouseholds[need])
            var most = min(needLeft[need], offerLeft[offer])
            if household >= 0 { most = min(most, householdLeft[household]) }
            var result = Int64.min
            for units in 0...max(0, most) {
                needLeft[need] -= units
                offerLeft[offer] -= units
                if household >= 0 { householdLeft[household] -= units }
                result = max(result, Int64(units) * problem.edgeScores[edge] + best(from: edge + 1))
                needLeft[need] += units
                offerLeft[offer] += units
                if household >= 0 { householdLeft[household] += units }
            }
            return result
        }
        return best(from: 0)
    }
}

/// An independent optimality check: the assignment, seen as a circulation
/// source → household → need → offer → sink → source, is optimal exactly when its residual
/// network has no cycle of negative cost (scores count negatively). Queue-based
/// Bellman–Ford from a virtual root at distance 0 to every node.
private enum ResidualCertificate {
    static func hasNoNegativeCycle(problem: TransportationProblem, assignment: Assignment) -> Bool {
        let householdBase = 1
        let needBase = householdBase + problem.householdIDs.count
        let offerBase = needBase + problem.needCount
        let sink = offerBase + problem.offerCount
        let nodeCount = sink + 1
        var outgoing = [[(head: Int, cost: Int64)]](repeating: [], count: nodeCount)
        func add(_ tail: Int, _ head: Int, cost: Int64, flow: Int64, capacity: Int64) {
            if flow < capacity { outgoing[tail].append((head, cost)) }
            if flow > 0 { outgoing[head].append((tail, -cost)) }
        }
        var householdFlow = [Int64](repeating: 0, count: problem.householdIDs.count)
        var offerFlow = [Int64](repeating: 0, count: problem.offerCount)
        var total: Int64 = 0
        for need in 0..<problem.needCount {
            var served: Int64 = 0
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1]) {
                let units = Int64(assignment.units[edge])
                let offer = Int(problem.edgeOffers[edge])
                served += units
                offerFlow[offer] += units
                add(needBase + need, offerBase + offer, cost: -problem.edgeScores[edge], flow: units, capacity: .max)
            }
            let household = Int(problem.needHouseholds[need])
            let quantity = Int64(problem.needQuantities[need])
            if household >= 0 {
                householdFlow[household] += served
                add(householdBase + household, needBase + need, cost: 0, flow: served, capacity: quantity)
            } else {
                add(0, needBase + need, cost: 0, flow: served, capacity: quantity)
            }
            total += served
        }
        for household in 0..<problem.householdIDs.count {
            add(
                0, householdBase + household, cost: 0, flow: householdFlow[household],
                capacity: Int64(problem.householdCaps[household]))
        }
        for offer in 0..<problem.offerCount {
            add(
                offerBase + offer, sink, cost: 0, flow: offerFlow[offer],
                capacity: Int64(problem.offerCapacities[offer]))
        }
        add(sink, 0, cost: 0, flow: total, capacity: .max)

        var distance = [Int64](repeating: 0, count: nodeCount)
        var pathLength = [Int](repeating: 0, count: nodeCount)
        var inQueue = [Bool](repeating: true, count: nodeCount)
        var queue = Array(0..<nodeCount)
        var position = 0
        while position < queue.count {
            let node = queue[position]
            position += 1
            inQueue[node] = false
            for (head, cost) in outgoing[node] where distance[node] + cost < distance[head] {
                distance[head] = distance[node] + cost
                pathLength[head] = pathLength[node] + 1
                if pathLength[head] >= nodeCount { return false }
                if !inQueue[head] {
                    inQueue[head] = true
                    queue.append(head)
                }
            }
        }
        return true
    }
}
