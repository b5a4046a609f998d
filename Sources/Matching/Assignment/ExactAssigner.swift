import Foundation

/// The optimal assignment: integer units on eligible pairs maximising Σ units·score under
/// every need's quantity, offer's capacity and household's cap.
///
/// Exact, not approximate: a minimum-cost flow solved by cost scaling in integer arithmetic
/// (see ``CostScalingFlow``) and stopped only once its prices prove it optimal, so anyone can
/// check the answer against an independent solver. Deterministic: it sees only the canonical
/// ``TransportationProblem``, cuts it into the same components every time, and each
/// component's answer is a fixed function of that component, so threads only change how
/// fast the answer comes, never what it is.
public enum ExactAssigner {
    /// Below this many useful edges in all, one thread does everything.
    static let parallelThreshold = 20_000

    /// Solves `problem` exactly, solving up to `parallelism` components at once (largest
    /// first). A single component is solved on one thread.
    public static func assign(_ problem: TransportationProblem, parallelism: Int = 2) -> Assignment {
        assign(problem, parallelism: parallelism) { _ in }
    }

    /// Solves `problem` exactly and hands each finished part of the answer to `deliver`, on
    /// the calling thread, while the rest is still being solved: a caller can write the
    /// small components' answers while a county's largest component keeps one core busy.
    ///
    /// Parts come smallest component first, the largest last, so the rows they become are in
    /// the same order on every run; only how components are grouped into parts depends on
    /// timing. If `deliver` throws, the solvers still finish before the error is rethrown.
    public static func assign(
        _ problem: TransportationProblem, parallelism: Int = 2, delivering deliver: (AssignmentPart) throws -> Void
    ) rethrows -> Assignment {
        let components = AssignmentComponents(problem)
        var units = [Int32](repeating: 0, count: problem.edgeCount)
        let order = (0..<components.count).sorted { lhs, rhs in
            components.edgeCounts[lhs] != components.edgeCounts[rhs]
                ? components.edgeCounts[lhs] > components.edgeCounts[rhs] : lhs < rhs
        }
        let totalEdges = components.edgeCounts.reduce(0, +)
        let workers = min(max(parallelism, 1), order.count, max(1, totalEdges / parallelThreshold))
        try units.withUnsafeMutableBufferPointer { buffer in
            let output = SharedUnits(buffer: buffer)
            let progress = ComponentProgress(order: order, count: components.count)
            let solving = DispatchGroup()
            if workers <= 1 {
                while let component = progress.next() {
                    solve(component: component, of: components, problem: problem, into: output.buffer)
                    progress.finish(component)
                }
            } else {
                for _ in 0..<workers {
                    DispatchQueue.global().async(group: solving) {
                        while let component = progress.next() {
                            solve(component: component, of: components, problem: problem, into: output.buffer)
                            progress.finish(component)
                        }
                    }
                }
            }
            defer { solving.wait() }
            var position = order.count
            while position > 0 {
                let batch = progress.finished(endingAt: position)
                try deliver(AssignmentPart(components: batch, of: components, problem: problem, units: output.buffer))
                position -= batch.count
            }
        }
        return Assignment(problem: problem, units: units)
    }

    /// Solves one component: directly when it has a single need or a single offer (greedy by
    /// score is optimal there), otherwise through its flow network.
    private static func solve(
        component: Int, of components: AssignmentComponents, problem: TransportationProblem,
        into units: UnsafeMutableBufferPointer<Int32>
    ) {
        let needs = Int(components.needStart[component])..<Int(components.needStart[component + 1])
        let offers = Int(components.offerStart[component])..<Int(components.offerStart[component + 1])
        if needs.count == 1 {
            solveSingleNeed(Int(components.needs[needs.lowerBound]), of: components, problem: problem, into: units)
        } else if offers.count == 1 {
            solveSingleOffer(component: component, of: components, problem: problem, into: units)
        } else {
            ComponentNetwork.solve(component: component, of: components, problem: problem, into: units)
        }
    }

    /// One need: fill its quantity (or its household's smaller cap) from the best offers.
    private static func solveSingleNeed(
        _ need: Int, of components: AssignmentComponents, problem: TransportationProblem,
        into units: UnsafeMutableBufferPointer<Int32>
    ) {
        var budget = problem.needQuantities[need]
        let household = Int(components.bindingHousehold[need])
        if household >= 0 { budget = min(budget, problem.householdCaps[household]) }
        let edges = (Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1]))
            .filter { components.usefulEdge[$0] }
            .sorted { lhs, rhs in
                let left = problem.edgeScores[lhs]
                let right = problem.edgeScores[rhs]
                return left != right ? left > right : lhs < rhs
            }
        for edge in edges where budget > 0 {
            let amount = min(budget, problem.offerCapacities[Int(problem.edgeOffers[edge])])
            units[edge] = amount
            budget -= amount
        }
    }

    /// One offer: serve its needs from the highest score down. Quantities, household caps and
    /// the capacity form a laminar family of limits, for which greedy is optimal.
    private static func solveSingleOffer(
        component: Int, of components: AssignmentComponents, problem: TransportationProblem,
        into units: UnsafeMutableBufferPointer<Int32>
    ) {
        let offer = Int(components.offers[Int(components.offerStart[component])])
        let householdStart = Int(components.householdStart[component])
        var householdLeft = components.households[householdStart..<Int(components.householdStart[component + 1])]
            .map { problem.householdCaps[Int($0)] }
        var candidates: [(edge: Int, need: Int)] = []
        for position in Int(components.needStart[component])..<Int(components.needStart[component + 1]) {
            let need = Int(components.needs[position])
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1])
            where components.usefulEdge[edge] {
                candidates.append((edge, need))
            }
        }
        candidates.sort { lhs, rhs in
            let left = problem.edgeScores[lhs.edge]
            let right = problem.edgeScores[rhs.edge]
            return left != right ? left > right : lhs.edge < rhs.edge
        }
        var capacityLeft = problem.offerCapacities[offer]
        for (edge, need) in candidates where capacityLeft > 0 {
            var amount = min(capacityLeft, problem.needQuantities[need])
            let household = Int(components.bindingHousehold[need])
            let local = household >= 0 ? Int(components.localHousehold[household]) : -1
            if local >= 0 { amount = min(amount, householdLeft[local]) }
            guard amount > 0 else { continue }
            units[edge] = amount
            capacityLeft -= amount
            if local >= 0 { householdLeft[local] -= amount }
        }
    }
}

/// The units array, written by several threads at once at disjoint edges.
private struct SharedUnits: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Int32>
}

/// Hands out component indices, largest first, to whichever worker asks next, and tells the
/// delivering thread which components are done.
private final class ComponentProgress: @unchecked Sendable {
    private let order: [Int]
    private var position = 0
    private var done: [Bool]
    private let condition = NSCondition()

    init(order: [Int], count: Int) {
        self.order = order
        done = [Bool](repeating: false, count: count)
    }

    func next() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        guard position < order.count else { return nil }
        position += 1
        return order[position - 1]
    }

    func finish(_ component: Int) {
        condition.lock()
        done[component] = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until `order[end − 1]` is done, then returns it with every component before it
    /// in `order`, walking down, that is done as well, in that walking order.
    func finished(endingAt end: Int) -> [Int] {
        condition.lock()
        defer { condition.unlock() }
        while !done[order[end - 1]] { condition.wait() }
        var batch: [Int] = []
        var index = end - 1
        while index >= 0, done[order[index]] {
            batch.append(order[index])
            index -= 1
        }
        return batch
    }
}
