/// The min-cost flow network of one component, and reading the units back from its flow.
///
/// Nodes, in this order: households whose cap binds, needs, offers, and one sink. Each
/// binding household supplies min(cap, Σ its needs' quantities) and feeds its needs
/// (arc capacity q, cost 0); any other need supplies its own quantity. A need sends units
/// to an offer (capacity min(q, c), cost −score) or leaves them unserved straight to the
/// sink (capacity q, cost 0); an offer passes at most its capacity to the sink. The sink
/// demands the whole supply, so a minimum-cost flow is a maximum-score assignment.
///
/// Needs and offers are numbered in breadth-first order of the component's graph, so that
/// nodes that trade flow sit close together in memory; the order depends only on the
/// component, never on timing.
enum ComponentNetwork {
    /// Solves component `component` exactly and writes its units into `units`.
    static func solve(
        component: Int, of components: AssignmentComponents, problem: TransportationProblem,
        into units: UnsafeMutableBufferPointer<Int32>
    ) {
        let needs = components.needs[Int(components.needStart[component])..<Int(components.needStart[component + 1])]
        let offers = components.offers[
            Int(components.offerStart[component])..<Int(components.offerStart[component + 1])]
        let households = components.households[
            Int(components.householdStart[component])..<Int(components.householdStart[component + 1])]
        let (needNumber, offerNumber) = breadthFirstNumbering(
            needs: needs, offerCount: offers.count, components: components, problem: problem)
        let needBase = households.count
        let offerBase = needBase + needs.count
        let sink = offerBase + offers.count
        let nodeCount = sink + 1
        func needNode(_ need: Int) -> Int { needBase + Int(needNumber[Int(components.localNeed[need])]) }
        func offerNode(_ offer: Int) -> Int { offerBase + Int(offerNumber[Int(components.localOffer[offer])]) }

        var degree = [Int32](repeating: 0, count: nodeCount)
        for need in needs.lazy.map(Int.init) {
            let node = needNode(need)
            let household = Int(components.bindingHousehold[need])
            if household >= 0 {
                degree[Int(components.localHousehold[household])] += 1
                degree[node] += 1
            }
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1])
            where components.usefulEdge[edge] {
                degree[node] += 1
                degree[offerNode(Int(problem.edgeOffers[edge]))] += 1
            }
            degree[node] += 1
        }
        for node in offerBase..<sink { degree[node] += 1 }
        degree[sink] = Int32(needs.count + offers.count)

        var firstArc = [Int32](repeating: 0, count: nodeCount + 1)
        for node in 0..<nodeCount { firstArc[node + 1] = firstArc[node] + degree[node] }
        let network = CostScalingFlow(
            nodeCount: nodeCount, arcCount: Int(firstArc[nodeCount]), offerNodes: offerBase..<sink,
            firstArc: firstArc)
        var fill = firstArc
        func addArc(from tail: Int, to target: Int, capacity: Int32, cost: Int32) {
            let forward = Int(fill[tail])
            let backward = Int(fill[target])
            fill[tail] += 1
            fill[target] += 1
            network.arcs[forward] = FlowArc(
                head: Int32(target), pair: Int32(backward), residual: capacity, cost: cost, pairTotal: capacity)
            network.arcs[backward] = FlowArc(
                head: Int32(tail), pair: Int32(forward), residual: 0, cost: -cost, pairTotal: capacity)
        }

        var householdDemand = [Int64](repeating: 0, count: households.count)
        for need in needs.lazy.map(Int.init) {
            let node = needNode(need)
            let quantity = problem.needQuantities[need]
            let household = Int(components.bindingHousehold[need])
            if household >= 0 {
                let householdNode = Int(components.localHousehold[household])
                addArc(from: householdNode, to: node, capacity: quantity, cost: 0)
                householdDemand[householdNode] += Int64(quantity)
            } else {
                network.excess[node] = Int64(quantity)
            }
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1])
            where components.usefulEdge[edge] {
                let offer = Int(problem.edgeOffers[edge])
                addArc(
                    from: node, to: offerNode(offer), capacity: min(quantity, problem.offerCapacities[offer]),
                    cost: -Int32(problem.edgeScores[edge]))
            }
            addArc(from: node, to: sink, capacity: quantity, cost: 0)
        }
        for offer in offers.lazy.map(Int.init) {
            addArc(from: offerNode(offer), to: sink, capacity: problem.offerCapacities[offer], cost: 0)
        }
        var totalSupply: Int64 = 0
        for household in households.lazy.map(Int.init) {
            let node = Int(components.localHousehold[household])
            network.excess[node] = min(Int64(problem.householdCaps[household]), householdDemand[node])
        }
        for node in 0..<sink { totalSupply += network.excess[node] }
        network.excess[sink] = -totalSupply

        network.solve()

        for need in needs.lazy.map(Int.init) {
            let node = needNode(need)
            var arc = Int(network.firstArc[node]) + (components.bindingHousehold[need] >= 0 ? 1 : 0)
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1])
            where components.usefulEdge[edge] {
                units[edge] = network.arcs[arc].pairTotal - network.arcs[arc].residual
                arc += 1
            }
        }
    }

    /// Breadth-first numbering of the component's needs and offers (by local index), starting
    /// from its first need and restarting from the first unnumbered one.
    private static func breadthFirstNumbering(
        needs: ArraySlice<Int32>, offerCount: Int, components: AssignmentComponents,
        problem: TransportationProblem
    ) -> (needs: [Int32], offers: [Int32]) {
        var offerStart = [Int32](repeating: 0, count: offerCount + 1)
        for need in needs.lazy.map(Int.init) {
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1])
            where components.usefulEdge[edge] {
                offerStart[Int(components.localOffer[Int(problem.edgeOffers[edge])]) + 1] += 1
            }
        }
        for offer in 0..<offerCount { offerStart[offer + 1] += offerStart[offer] }
        var fill = offerStart
        var offerNeeds = [Int32](repeating: 0, count: Int(offerStart[offerCount]))
        for (local, need) in needs.lazy.map(Int.init).enumerated() {
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1])
            where components.usefulEdge[edge] {
                let offer = Int(components.localOffer[Int(problem.edgeOffers[edge])])
                offerNeeds[Int(fill[offer])] = Int32(local)
                fill[offer] += 1
            }
        }

        var needNumber = [Int32](repeating: -1, count: needs.count)
        var offerNumber = [Int32](repeating: -1, count: offerCount)
        var nextNeed: Int32 = 0
        var nextOffer: Int32 = 0
        var queue = [Int32]()
        queue.reserveCapacity(needs.count)
        for root in 0..<needs.count where needNumber[root] < 0 {
            needNumber[root] = nextNeed
            nextNeed += 1
            queue.append(Int32(root))
            var position = queue.count - 1
            while position < queue.count {
                let need = Int(needs[needs.startIndex + Int(queue[position])])
                position += 1
                for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1])
                where components.usefulEdge[edge] {
                    let offer = Int(components.localOffer[Int(problem.edgeOffers[edge])])
                    guard offerNumber[offer] < 0 else { continue }
                    offerNumber[offer] = nextOffer
                    nextOffer += 1
                    for neighbour in offerNeeds[Int(offerStart[offer])..<Int(offerStart[offer + 1])]
                    where needNumber[Int(neighbour)] < 0 {
                        needNumber[Int(neighbour)] = nextNeed
                        nextNeed += 1
                        queue.append(neighbour)
                    }
                }
            }
        }
        return (needNumber, offerNumber)
    }
}
