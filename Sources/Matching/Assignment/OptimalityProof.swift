extension CostScalingFlow {
    /// Arc passes a price refinement may spend before it gives up. Successful refinements on
    /// county-sized networks take 3–6.
    static let refinementPasses = 8

    /// Price refinement (Goldberg): tries to raise prices until every residual arc has a
    /// reduced cost of at least `−tolerance`, which makes the current feasible flow
    /// `tolerance`-optimal without a single push. Once the flow has stopped changing, this
    /// skips the remaining ε-phases, which would otherwise tear the flow apart and rebuild it
    /// each time; with `tolerance` 0 it proves the flow optimal and ends the run.
    ///
    /// Label-correcting from the current prices, bounded in work: no price needs to rise by
    /// more than `nodeCount · optimalAt` when the flow is `optimalAt`-optimal. Each raised
    /// price remembers the node that raised it; a cycle among those parents is a cycle of
    /// negative length, which no prices can fix, so the attempt ends as soon as one closes
    /// (after 0.4–1.8 arc passes on the benchmark and county networks, instead of spending
    /// the whole budget). On failure the prices are put back as they were, so scaling resumes
    /// unchanged.
    func refinesPrices(scale: Int64, tolerance: Int64, optimalAt: Int64) -> Bool {
        let saved = UnsafeMutablePointer<Int64>.allocate(capacity: nodeCount)
        defer { saved.deallocate() }
        saved.update(from: price, count: nodeCount)
        let queued = UnsafeMutablePointer<Bool>.allocate(capacity: nodeCount)
        defer { queued.deallocate() }
        queued.initialize(repeating: false, count: nodeCount)
        let parent = UnsafeMutablePointer<Int32>.allocate(capacity: nodeCount)
        defer { parent.deallocate() }
        parent.initialize(repeating: -1, count: nodeCount)
        let walk = UnsafeMutablePointer<Int32>.allocate(capacity: nodeCount)
        defer { walk.deallocate() }
        var queueHead = 0
        var queueTail = 0
        var pending = 0
        func enqueue(_ node: Int) {
            guard !queued[node] else { return }
            queued[node] = true
            activeQueue[queueTail] = Int32(node)
            queueTail = queueTail + 1 == nodeCount ? 0 : queueTail + 1
            pending += 1
        }
        for node in 0..<nodeCount {
            var raised = price[node]
            var cause: Int32 = -1
            func consider(head: Int32, cost: Int32) {
                let needed = price[Int(head)] - Int64(cost) * scale - tolerance
                if needed > raised {
                    raised = needed
                    cause = head
                }
            }
            var first = Int(firstArc[node])
            if isOffer(node) {
                // Its residual reverse arcs are exactly its flow list.
                let listStart = first - flowBase
                for slot in listStart..<(listStart + Int(flowCount[node - offerNodes.lowerBound])) {
                    consider(head: flowArcs[slot].head, cost: flowArcs[slot].cost)
                }
                first = Int(firstArc[node + 1]) - 1
            }
            for arc in first..<Int(firstArc[node + 1]) where arcs[arc].residual > 0 {
                consider(head: arcs[arc].head, cost: arcs[arc].cost)
            }
            if raised > price[node] {
                price[node] = raised
                parent[node] = cause
                enqueue(node)
            }
        }
        let limit = Int64(nodeCount) * optimalAt
        var budget = Self.refinementPasses * arcCount
        // A cycle check walks every node once; after every 4 nodes' worth of arcs it costs at
        // most a quarter of the work.
        let checkEvery = 4 * nodeCount
        var nextCheck = budget - checkEvery
        while pending > 0 {
            let node = Int(activeQueue[queueHead])
            queueHead = queueHead + 1 == nodeCount ? 0 : queueHead + 1
            pending -= 1
            queued[node] = false
            let nodePrice = price[node]
            let first = Int(firstArc[node])
            let end = Int(firstArc[node + 1])
            budget -= end - first
            if budget < nextCheck {
                nextCheck = budget - checkEvery
                if parentsFormCycle(parent, walk: walk) { budget = -1 }
            }
            if budget < 0 || nodePrice - saved[node] > limit {
                price.update(from: saved, count: nodeCount)
                return false
            }
            // The arc `arc` of `node` is the reverse of a residual arc into it.
            func raise(_ arc: Int) {
                let source = Int(arcs[arc].head)
                let needed = nodePrice + Int64(arcs[arc].cost) * scale - tolerance
                if price[source] < needed {
                    price[source] = needed
                    parent[source] = Int32(node)
                    enqueue(source)
                }
            }
            if node < offerNodes.lowerBound {
                forEachResidualArcInto(supplyNode: node, raise)
                continue
            }
            let atOffer = isOffer(node)
            if atOffer { syncReverseArcs(of: node) }
            for arc in first..<end where arcs[arc].residual < arcs[arc].pairTotal { raise(arc) }
            if atOffer { clearReverseArcs(of: node) }
        }
        return true
    }

    /// Whether the parent pointers (`-1`: none) close a cycle. Each node is walked from once,
    /// `walk` marking the start it was reached from.
    func parentsFormCycle(_ parent: UnsafePointer<Int32>, walk: UnsafeMutablePointer<Int32>) -> Bool {
        walk.initialize(repeating: -1, count: nodeCount)
        for start in 0..<nodeCount where walk[start] < 0 {
            var node = start
            while node >= 0, walk[node] < 0 {
                walk[node] = Int32(start)
                node = Int(parent[node])
            }
            if node >= 0, walk[node] == Int32(start) { return true }
        }
        return false
    }
}
