import Testing

@testable import Matching

@Suite("Greedy baseline")
struct GreedyAssignerTests {
    @Test func countingSortOrdersLikeAComparisonSort() {
        let problem = InstanceGenerator.generate(.init(needs: 6000, seed: 3))
        #expect(problem.edgeCount > Int(TransportationProblem.maximumScore + 1) / 8)
        let reference = Array(0..<Int32(problem.edgeCount)).sorted { lhs, rhs in
            let left = problem.edgeScores[Int(lhs)]
            let right = problem.edgeScores[Int(rhs)]
            return left != right ? left > right : lhs < rhs
        }
        #expect(GreedyAssigner.edgesByScore(problem) == reference)
        #expect(GreedyAssigner.assign(problem).violations(of: problem).isEmpty)
    }
}
