/// The offer side of the cost-scaling flow: offers keep the few arcs that carry flow in a
/// list of their own, so discharging one never scans its hundreds of idle arcs.
extension CostScalingFlow {
    /// Discharges an offer as `discharge` does a need, scanning only its arc to the sink
    /// (position 0) and its flow list (position `k ≥ 1` is entry `k − 1`).
    func dischargeOffer(_ node: Int, epsilon: Int64, scale: Int64) {
        var nodeExcess = excess[node]
        var nodePrice = price[node]
        var position = Int(currentArc[node])
        let sinkArc = Int(firstArc[node + 1]) - 1
        let listStart = Int(firstArc[node]) - flowBase - 1
        let local = node - offerNodes.lowerBound
        while true {
            while position <= Int(flowCount[local]) {
                if position == 0 {
                    let capacity = arcs[sinkArc].residual
                    if capacity > 0, nodePrice - price[sink] < 0 {
                        let amount = Int32(truncatingIfNeeded: min(nodeExcess, Int64(capacity)))
                        push(amount, along: sinkArc, from: node, to: sink)
                        nodeExcess -= Int64(amount)
                        if nodeExcess == 0 { break }
                    }
                    position += 1
                    continue
                }
                let entry = flowArcs[listStart + position]
                let target = Int(entry.head)
                if Int64(entry.cost) * scale + nodePrice - price[target] < 0 {
                    let forward = Int(entry.forward)
                    let before = arcs[forward].residual
                    let capacity = arcs[forward].pairTotal - before
                    let amount = Int32(truncatingIfNeeded: min(nodeExcess, Int64(capacity)))
                    arcs[forward].residual = before + amount
                    if before == 0 { relabelBest[target] = -1 }
                    addExcess(Int64(amount), to: target)
                    nodeExcess -= Int64(amount)
                    if amount == capacity {
                        removeFlowArc(atSlot: listStart + position, offer: node)
                        if nodeExcess == 0 { break }
                        continue
                    }
                    if nodeExcess == 0 { break }
                }
                position += 1
            }
            if nodeExcess == 0 { break }
            var best = arcs[sinkArc].residual > 0 ? price[sink] : Int64.min
            var bestPosition = 0
            let count = Int(flowCount[local])
            if count > 0 {
                for candidate in 1...count {
                    let entry = flowArcs[listStart + candidate]
                    let value = price[Int(entry.head)] - Int64(entry.cost) * scale
                    if value > best {
                        best = value
                        bestPosition = candidate
                    }
                }
            }
            nodePrice = best - epsilon
            relabelsSinceUpdate += 1
            position = bestPosition
        }
        excess[node] = 0
        price[node] = nodePrice
        currentArc[node] = Int32(position)
    }
}

extension CostScalingFlow {
    /// Calls `body` with every arc of supply-side `node` (a household or a need) whose pair,
    /// the arc into `node`, is residual: its arcs to households and the sink, which lead and
    /// close its list, by their residuals; its arcs to offers by ``flowBits``, since an arc
    /// to an offer is residual back into the need exactly while it carries flow.
    @inline(__always)
    func forEachResidualArcInto(supplyNode node: Int, _ body: (Int) -> Void) {
        var first = Int(firstArc[node])
        var end = Int(firstArc[node + 1])
        while first < end, !isOffer(Int(arcs[first].head)) {
            if arcs[first].residual < arcs[first].pairTotal { body(first) }
            first += 1
        }
        while end > first, !isOffer(Int(arcs[end - 1].head)) {
            end -= 1
            if arcs[end].residual < arcs[end].pairTotal { body(end) }
        }
        guard first < end else { return }
        for word in (first >> 6)...((end - 1) >> 6) {
            var bits = flowBits[word]
            if word == first >> 6 { bits &= ~0 << UInt64(first & 63) }
            if word == (end - 1) >> 6 { bits &= ~0 >> UInt64(63 - ((end - 1) & 63)) }
            while bits != 0 {
                body(word << 6 + bits.trailingZeroBitCount)
                bits &= bits - 1
            }
        }
    }

    /// The reverse arcs of need–offer pairs keep no residual of their own (it stays 0): the
    /// need's arc holds the pair's state. Scans that read the reverse arcs of `offer`
    /// bracket themselves with `syncReverseArcs(of:)` and `clearReverseArcs(of:)`, which
    /// write the true residual into the reverse arcs in its flow list and put back the 0s.
    @inline(__always)
    func syncReverseArcs(of offer: Int) {
        let listStart = Int(firstArc[offer]) - flowBase
        for slot in listStart..<(listStart + Int(flowCount[offer - offerNodes.lowerBound])) {
            let entry = flowArcs[slot]
            let forward = arcs[Int(entry.forward)]
            arcs[Int(entry.arc)].residual = forward.pairTotal - forward.residual
        }
    }

    @inline(__always)
    func clearReverseArcs(of offer: Int) {
        let listStart = Int(firstArc[offer]) - flowBase
        for slot in listStart..<(listStart + Int(flowCount[offer - offerNodes.lowerBound])) {
            arcs[Int(flowArcs[slot].arc)].residual = 0
        }
    }
}
