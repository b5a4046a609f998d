import Matching
import Testing

@Suite("Assignment parts and compressed rows")
struct AssignmentPartTests {
    @Test func partsCoverEveryChosenEdgeOnceAndEqualTheAssignment() throws {
        var random = SplitMix64(seed: 31)
        for parallelism in [1, 2] {
            let problem = try RandomInstance.medium(&random, needs: 12_000, withHouseholds: true).problem()
            var seen = [Int32](repeating: 0, count: problem.edgeCount)
            var deliveredNeeds = Set<Int32>()
            var order: [Int32] = []
            let assignment = ExactAssigner.assign(problem, parallelism: parallelism) { part in
                for need in part.needs { #expect(deliveredNeeds.insert(need).inserted, "need \(need) twice") }
                order.append(contentsOf: part.needs)
                part.forEachChosenEdge(in: problem) { _, edge, units in seen[edge] += units }
            }
            #expect(seen == assignment.units)
            #expect(assignment == ExactAssigner.assign(problem, parallelism: parallelism))
            var again: [Int32] = []
            _ = ExactAssigner.assign(problem, parallelism: parallelism) { again.append(contentsOf: $0.needs) }
            #expect(again == order, "parts come in the same order on every run")
        }
    }

    @Test func theLargestComponentComesLast() throws {
        // Needs 1–3 share offer 10 (one component of three needs); need 4 alone with 20.
        let problem = try TransportationProblem(
            needs: (1...4).map { .init(id: Int64($0), quantity: 1) },
            offers: [(id: 10, capacity: 2), (id: 20, capacity: 1), (id: 30, capacity: 1)],
            edges: [
                .init(needID: 1, offerID: 10, scoreMicro: 500_000), .init(needID: 2, offerID: 10, scoreMicro: 400_000),
                .init(needID: 3, offerID: 10, scoreMicro: 300_000), .init(needID: 3, offerID: 30, scoreMicro: 200_000),
                .init(needID: 4, offerID: 20, scoreMicro: 100_000),
            ])
        var parts: [[Int32]] = []
        _ = ExactAssigner.assign(problem, parallelism: 1) { parts.append($0.needs) }
        #expect(parts.flatMap { $0 } == [3, 0, 1, 2])
    }

    @Test func aFailingDeliveryIsRethrownAfterTheSolversFinish() throws {
        struct Refused: Error {}
        var random = SplitMix64(seed: 8)
        let problem = try RandomInstance.medium(&random, needs: 12_000, withHouseholds: false).problem()
        #expect(throws: Refused.self) {
            _ = try ExactAssigner.assign(problem, parallelism: 2) { _ in throw Refused() }
        }
    }

    @Test func compressedRowsGiveTheSameProblemAsTheGeneralForm() throws {
        var random = SplitMix64(seed: 404)
        for round in 0..<200 {
            let instance = RandomInstance.medium(&random, needs: 60, withHouseholds: round % 2 == 0)
            let reference = try instance.problem()
            let needs = reference.needIDs.indices.map { index in
                TransportationProblem.NeedInput(
                    id: reference.needIDs[index], quantity: reference.needQuantities[index],
                    householdID: reference.needHouseholds[index] < 0
                        ? nil : reference.householdIDs[Int(reference.needHouseholds[index])])
            }
            let offers = reference.offerIDs.indices.map {
                (id: reference.offerIDs[$0], capacity: reference.offerCapacities[$0])
            }
            let rows = try TransportationProblem(
                sortedNeeds: needs, sortedOffers: offers, households: instance.households.shuffled(using: &random),
                edgeStart: reference.edgeStart, edgeOffers: reference.edgeOffers, edgeScores: reference.edgeScores)
            #expect(rows == reference, "round \(round)")
            // Rows out of order fall back to the general form and come out the same.
            let reversedNeeds = Array(needs.reversed())
            var start: [Int32] = [0]
            var edgeOffers: [Int32] = []
            var edgeScores: [Int64] = []
            for need in stride(from: needs.count - 1, through: 0, by: -1) {
                let range = Int(reference.edgeStart[need])..<Int(reference.edgeStart[need + 1])
                edgeOffers += reference.edgeOffers[range].reversed()
                edgeScores += reference.edgeScores[range].reversed()
                start.append(Int32(edgeOffers.count))
            }
            let fallback = try TransportationProblem(
                sortedNeeds: reversedNeeds, sortedOffers: offers, households: instance.households, edgeStart: start,
                edgeOffers: edgeOffers, edgeScores: edgeScores)
            #expect(fallback == reference, "round \(round)")
        }
    }

    @Test func compressedRowsAreValidated() {
        #expect(throws: TransportationProblem.Problem.scoreOutOfRange(edgeIndex: 1, scoreMicro: 1_000_001)) {
            try TransportationProblem(
                sortedNeeds: [.init(id: 1, quantity: 1)], sortedOffers: [(id: 5, capacity: 1), (id: 6, capacity: 1)],
                edgeStart: [0, 2], edgeOffers: [0, 1], edgeScores: [10, 1_000_001])
        }
        #expect(throws: TransportationProblem.Problem.unknownHousehold(needIndex: 0, householdID: 9)) {
            try TransportationProblem(
                sortedNeeds: [.init(id: 1, quantity: 1, householdID: 9)], sortedOffers: [(id: 5, capacity: 1)],
                edgeStart: [0, 1], edgeOffers: [0], edgeScores: [10])
        }
        #expect(throws: TransportationProblem.Problem.duplicatePair(edgeIndex: 1, needID: 1, offerID: 5)) {
            try TransportationProblem(
                sortedNeeds: [.init(id: 1, quantity: 1)], sortedOffers: [(id: 5, capacity: 1)],
                edgeStart: [0, 2], edgeOffers: [0, 0], edgeScores: [10, 20])
        }
    }
}
