extension CostScalingFlow {
    /// Tries to raise prices until no residual arc has a negative reduced cost, which proves
    /// the current flow optimal (Goldberg's early termination: once the flow is optimal, the
    /// remaining ε-phases would only refine prices). Label-correcting, bounded in work; on
    /// failure the prices are put back as they were, so scaling resumes unchanged.
    func provesOptimality(scale: Int64, epsilon: Int64) -> Bool {
        let saved = UnsafeMutablePointer<Int64>.allocate(capacity: nodeCount)
        defer { saved.deallocate() }
        saved.update(from: price, count: nodeCount)
        let queued = UnsafeMutablePointer<Bool>.allocate(capacity: nodeCount)
        defer { queued.deallocate() }
        queued.initialize(repeating: false, count: nodeCount)
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
            var first = Int(firstArc[node])
            if isOffer(node) {
                // Its residual reverse arcs are exactly its flow list.
                let listStart = first - flowBase
                for slot in listStart..<(listStart + Int(flowCount[node - offerNodes.lowerBound])) {
                    let entry = flowArcs[slot]
                    raised = max(raised, price[Int(entry.head)] - Int64(entry.cost) * scale)
                }
                first = Int(firstArc[node + 1]) - 1
            }
            for arc in first..<Int(firstArc[node + 1]) where arcs[arc].residual > 0 {
                raised = max(raised, price[Int(arcs[arc].head)] - Int64(arcs[arc].cost) * scale)
            }
            if raised > price[node] {
                price[node] = raised
                enqueue(node)
            }
        }
        let limit = Int64(nodeCount) * epsilon
        var budget = 2 * arcCount
        while pending > 0 {
            let node = Int(activeQueue[queueHead])
            queueHead = queueHead + 1 == nodeCount ? 0 : queueHead + 1
            pending -= 1
            queued[node] = false
            let nodePrice = price[node]
            let first = Int(firstArc[node])
            let end = Int(firstArc[node + 1])
            budget -= end - first
            if budget < 0 || nodePrice - saved[node] > limit {
                price.update(from: saved, count: nodeCount)
                return false
            }
            let atOffer = isOffer(node)
            if atOffer { syncReverseArcs(of: node) }
            defer { if atOffer { clearReverseArcs(of: node) } }
            for arc in first..<end {
                let entering = arcs[arc]
                guard entering.residual < entering.pairTotal else { continue }
                let source = Int(entering.head)
                let needed = nodePrice + Int64(entering.cost) * scale
                if price[source] < needed {
                    price[source] = needed
                    enqueue(source)
                }
            }
        }
        return true
    }
}
