import Testing

@testable import Matching

/// Price refinement on a network small enough to check by hand: two needs of one unit, two
/// offers of one unit, and a sink. Need 0 scores 10 at offer 0 and 1 at offer 1; need 1 the
/// other way round.
@Suite("Price refinement")
struct PriceRefinementTests {
    /// The network with each need sending its unit to the offer `chosen[need]` names.
    private func network(sending chosen: [Int]) -> CostScalingFlow {
        let flow = CostScalingFlow(nodeCount: 5, arcCount: 16, offerNodes: 2..<4, firstArc: [0, 3, 6, 9, 12, 16])
        var fill: [Int32] = [0, 3, 6, 9, 12]
        func addArc(from tail: Int, to target: Int, cost: Int32) {
            let forward = Int(fill[tail])
            let backward = Int(fill[target])
            fill[tail] += 1
            fill[target] += 1
            flow.arcs[forward] = FlowArc(
                head: Int32(target), pair: Int32(backward), residual: 1, cost: cost, pairTotal: 1)
            flow.arcs[backward] = FlowArc(
                head: Int32(tail), pair: Int32(forward), residual: 0, cost: -cost, pairTotal: 1)
        }
        let scores: [[Int32]] = [[10, 1], [1, 10]]
        for need in 0..<2 {
            for offer in 0..<2 { addArc(from: need, to: 2 + offer, cost: -scores[need][offer]) }
            addArc(from: need, to: 4, cost: 0)
        }
        for offer in 2..<4 { addArc(from: offer, to: 4, cost: 0) }
        for need in 0..<2 {
            let offer = 2 + chosen[need]
            flow.pushToOffer(1, along: 3 * need + chosen[need], capacity: 1, from: need, to: offer)
            flow.push(1, along: Int(flow.firstArc[offer + 1]) - 1, from: offer, to: 4)
        }
        for node in 0..<5 { flow.excess[node] = 0 }
        return flow
    }

    @Test func provesTheBestFlowOptimal() {
        let flow = network(sending: [0, 1])
        #expect(flow.refinesPrices(scale: 1, tolerance: 0, optimalAt: 100))
        for node in 0..<5 {
            for arc in Int(flow.firstArc[node])..<Int(flow.firstArc[node + 1]) {
                let residual =
                    flow.isOffer(node) && arc < Int(flow.firstArc[node + 1]) - 1
                    ? flow.arcs[Int(flow.arcs[arc].pair)].pairTotal - flow.arcs[Int(flow.arcs[arc].pair)].residual
                    : flow.arcs[arc].residual
                guard residual > 0 else { continue }
                let head = Int(flow.arcs[arc].head)
                #expect(Int64(flow.arcs[arc].cost) + flow.price[node] - flow.price[head] >= 0)
            }
        }
    }

    @Test func refusesTheCrossedFlowAndKeepsThePrices() {
        let flow = network(sending: [1, 0])
        for node in 0..<5 { flow.price[node] = Int64(node) * 3 }
        #expect(!flow.refinesPrices(scale: 1, tolerance: 0, optimalAt: 1_000_000))
        #expect((0..<5).map { flow.price[$0] } == [0, 3, 6, 9, 12])
        // Within a tolerance of 5 the crossed flow is fine: its cycle gains 18 over 4 arcs.
        #expect(flow.refinesPrices(scale: 1, tolerance: 5, optimalAt: 1_000_000))
    }

    @Test func findsCyclesAmongParents() {
        let flow = CostScalingFlow(nodeCount: 5, arcCount: 0, offerNodes: 2..<4, firstArc: [0, 0, 0, 0, 0, 0])
        let walk = UnsafeMutablePointer<Int32>.allocate(capacity: 5)
        defer { walk.deallocate() }
        let chains: [([Int32], Bool)] = [
            ([-1, 0, 1, 2, 3], false),
            ([1, 2, -1, 2, 3], false),
            ([-1, 2, 3, 1, 3], true),
            ([0, -1, -1, -1, -1], true),
        ]
        for (parents, closesCycle) in chains {
            let found = parents.withUnsafeBufferPointer { buffer in
                buffer.baseAddress.map { flow.parentsFormCycle($0, walk: walk) }
            }
            #expect(found == closesCycle)
        }
    }
}
