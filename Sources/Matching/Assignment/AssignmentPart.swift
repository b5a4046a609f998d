/// A finished piece of an assignment: some needs and the units on their edges, final while
/// the rest of the problem may still be being solved (see
/// ``ExactAssigner/assign(_:parallelism:delivering:)``).
public struct AssignmentPart: Sendable {
    /// Need indices of the problem; the units on each one's edges follow in ``units`` in
    /// the same order.
    public let needs: [Int32]
    /// Units on the edges of ``needs``, need after need, each need's edges in edge order.
    public let units: [Int32]

    /// The whole of `assignment` as one part.
    public init(wholeOf assignment: Assignment, problem: TransportationProblem) {
        needs = (0..<Int32(problem.needCount)).map { $0 }
        units = assignment.units
    }

    /// The needs of `batch`'s components, read from the solvers' shared units.
    init(
        components batch: [Int], of components: AssignmentComponents, problem: TransportationProblem,
        units shared: UnsafeMutableBufferPointer<Int32>
    ) {
        var needs: [Int32] = []
        var units: [Int32] = []
        for component in batch {
            for need in components.needs[
                Int(components.needStart[component])..<Int(components.needStart[component + 1])]
            {
                needs.append(need)
                units.append(
                    contentsOf: shared[Int(problem.edgeStart[Int(need)])..<Int(problem.edgeStart[Int(need) + 1])])
            }
        }
        self.needs = needs
        self.units = units
    }

    /// Calls `body` with every need of the part, each edge of it and the units on that edge,
    /// for the edges that carry units.
    public func forEachChosenEdge(
        in problem: TransportationProblem, _ body: (_ need: Int, _ edge: Int, _ units: Int32) throws -> Void
    ) rethrows {
        var position = 0
        for need in needs.lazy.map(Int.init) {
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1]) {
                if units[position] > 0 { try body(need, edge, units[position]) }
                position += 1
            }
        }
    }
}
