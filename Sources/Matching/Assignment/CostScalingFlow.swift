/// One arc of the residual network. `pairTotal` is the capacity the arc shares with its
/// reverse, so the reverse's residual is `pairTotal − residual` without touching it.
struct FlowArc {
    var head: Int32
    var pair: Int32
    var residual: Int32
    var cost: Int32
    var pairTotal: Int32
}

/// An offer's arc back to a need that sends it flow, with what scanning it reads.
struct FlowEntry {
    var arc: Int32
    var head: Int32
    var cost: Int32
    /// The need's arc to the offer, whose residual is the truth for the pair.
    var forward: Int32
}

/// Minimum-cost flow by Goldberg's cost-scaling push–relabel method, on a residual network
/// in compressed-row form with paired arcs, tuned for assignment networks.
///
/// Costs are integers; they are multiplied by `nodeCount + 1` so that a flow that is
/// ε-optimal at ε = 1 is optimal for the original costs (ε < 1/n suffices). Phases divide ε
/// by ``scalingFactor``; each saturates the arcs of negative reduced cost and pushes the
/// excess along admissible arcs (FIFO order, global price updates). Once ε is below one
/// unit of cost the flow usually stops changing: ``refinesPrices(scale:tolerance:optimalAt:)``
/// then skips the phases left and proves the flow optimal. Every step is a fixed function
/// of the arrays, so the result depends on nothing but the network.
///
/// Node layout: supply-side nodes first, then the offer nodes `offerNodes`, then the sink
/// (the last node). Each offer's arcs are the reverses of the arcs entering it, then its arc
/// to the sink. An offer's residual arcs back to needs are the few that carry flow among
/// hundreds, so each offer keeps them in a list of its own and never scans the rest.
/// A need–offer pair's state lives in the need's arc alone (its reverse's residual field
/// stays 0, see ``syncReverseArcs(of:)``), so a push from a need never touches the offer's
/// far-away half of the array. An offer a need's push leaves with excess is discharged at
/// once (a double push, as in Goldberg and Kennedy's assignment codes): it turns away the
/// units it values least while its data is still in cache (10,000 needs: 0.082 → 0.074 s;
/// 100,000: −3 %; a 100,000-need county: 5.1 → 4.7 s).
///
/// The caller fills ``firstArc``, ``arcs`` and the node supplies in ``excess`` (summing to
/// zero, with a feasible flow existing), then calls ``solve()``; afterwards the flow on a
/// forward arc is `pairTotal − residual`.
final class CostScalingFlow {
    let nodeCount: Int
    let arcCount: Int
    let offerNodes: Range<Int>
    var sink: Int { nodeCount - 1 }
    /// Arcs leaving node `v` are `firstArc[v] ..< firstArc[v + 1]`.
    let firstArc: UnsafeMutablePointer<Int32>
    let arcs: UnsafeMutablePointer<FlowArc>
    /// Supply before ``solve()``, imbalance while it runs, zero after.
    let excess: UnsafeMutablePointer<Int64>
    /// Node prices; the reduced cost of `u → v` is `cost·scale + price[u] − price[v]`.
    let price: UnsafeMutablePointer<Int64>
    /// Where each node's scan for an admissible arc resumes (for offers: a list position,
    /// 0 standing for the sink arc).
    let currentArc: UnsafeMutablePointer<Int32>
    let activeQueue: UnsafeMutablePointer<Int32>
    /// The offers' flow lists: entry `k` of offer `o` is `flowArcs[firstArc[o] − flowBase + k]`
    /// for `k < flowCount[o − offerNodes.lowerBound]`.
    let flowArcs: UnsafeMutablePointer<FlowEntry>
    let flowCount: UnsafeMutablePointer<Int32>
    let flowBase: Int
    /// Bit `a` is set while a need's arc `a` to an offer carries flow, that is while its
    /// reverse is in the offer's flow list: a scan for the arcs into a need reads a word of
    /// these bits instead of dozens of idle arcs.
    let flowBits: UnsafeMutablePointer<UInt64>
    /// Each node's best arc at its last full relabel scan (-1: none known), and the best value
    /// any other arc had then. Prices only fall during a phase, so that value stays an upper
    /// bound for the other arcs until one of them becomes residual again; while the best
    /// arc still beats it, a relabel needs no scan.
    let relabelBest: UnsafeMutablePointer<Int32>
    let relabelSecond: UnsafeMutablePointer<Int64>
    /// Work space of the global price update.
    let rank: UnsafeMutablePointer<Int32>
    let bucketHead: UnsafeMutablePointer<Int32>
    let bucketNext: UnsafeMutablePointer<Int32>
    let bucketPrevious: UnsafeMutablePointer<Int32>
    var relabelsSinceUpdate = 0
    private var queueHead = 0
    private var queueTail = 0
    private var queued = 0
    /// The need being discharged: an offer it pushes to is discharged at once (a double
    /// push), and what that offer sends back to the need stays with its running discharge.
    private var discharging = -1

    /// How much ε shrinks from one phase to the next (8–16 work about equally well here).
    static let scalingFactor: Int64 = 12
    /// Relabels per node between two global price updates: 2 on networks up to 20 M arcs, 4
    /// above, where a global update costs more against the relabels it saves (100,000-need
    /// province instances: 2.6 s at 2, 3.0 s at 4; the million-need county's largest
    /// component, 53 M arcs: 52–65 s at 4, 69–83 s at 2).
    var relabelsPerUpdate: Int { arcCount > 20_000_000 ? 4 : 2 }

    init(nodeCount: Int, arcCount: Int, offerNodes: Range<Int>, firstArc: [Int32]) {
        self.nodeCount = nodeCount
        self.arcCount = arcCount
        self.offerNodes = offerNodes
        self.firstArc = .allocate(capacity: nodeCount + 1)
        self.firstArc.initialize(from: firstArc, count: nodeCount + 1)
        arcs = .allocate(capacity: arcCount)
        excess = .allocate(capacity: nodeCount)
        excess.initialize(repeating: 0, count: nodeCount)
        price = .allocate(capacity: nodeCount)
        price.initialize(repeating: 0, count: nodeCount)
        currentArc = .allocate(capacity: nodeCount)
        activeQueue = .allocate(capacity: nodeCount)
        flowBase = Int(firstArc[offerNodes.lowerBound])
        let flowLength = Int(firstArc[offerNodes.upperBound]) - flowBase
        flowArcs = .allocate(capacity: flowLength)
        flowCount = .allocate(capacity: offerNodes.count)
        flowCount.initialize(repeating: 0, count: offerNodes.count)
        flowBits = .allocate(capacity: arcCount / 64 + 1)
        flowBits.initialize(repeating: 0, count: arcCount / 64 + 1)
        relabelBest = .allocate(capacity: nodeCount)
        relabelSecond = .allocate(capacity: nodeCount)
        rank = .allocate(capacity: nodeCount)
        bucketHead = .allocate(capacity: nodeCount + 1)
        bucketNext = .allocate(capacity: nodeCount)
        bucketPrevious = .allocate(capacity: nodeCount)
    }

    deinit {
        for buffer in [firstArc, currentArc, activeQueue, flowCount, rank, bucketHead, bucketNext] {
            buffer.deallocate()
        }
        bucketPrevious.deallocate()
        relabelBest.deallocate()
        relabelSecond.deallocate()
        flowArcs.deallocate()
        flowBits.deallocate()
        arcs.deallocate()
        excess.deallocate()
        price.deallocate()
    }

    /// Runs the ε-scaling phases until the flow is optimal.
    ///
    /// Starts from the zero flow with each supply-side node priced at the best it could earn,
    /// which is 0-optimal (no residual arc has negative reduced cost), so the first phase
    /// has no arc to saturate and works like an auction at a coarse bid increment.
    func solve() {
        let scale = Int64(nodeCount + 1)
        var epsilon: Int64 = 0
        for arc in 0..<arcCount { epsilon = max(epsilon, -Int64(arcs[arc].cost) * scale) }
        for node in stride(from: offerNodes.lowerBound - 1, through: 0, by: -1) {
            var best: Int64 = 0
            for arc in Int(firstArc[node])..<Int(firstArc[node + 1]) where arcs[arc].residual > 0 {
                best = max(best, price[Int(arcs[arc].head)] - Int64(arcs[arc].cost) * scale)
            }
            price[node] = best
        }
        // The ε for which the current flow is known to be ε-optimal; nil until a phase has
        // made the flow feasible.
        var optimalAt: Int64?
        repeat {
            epsilon = max(1, epsilon / Self.scalingFactor)
            // Refinement is tried only below one unit of the original costs, where the flow
            // has usually settled; above it, it nearly always fails and wastes its passes.
            if let known = optimalAt, epsilon <= scale,
                refinesPrices(scale: scale, tolerance: epsilon, optimalAt: known)
            {
                if refinesPrices(scale: scale, tolerance: 0, optimalAt: epsilon) { return }
                optimalAt = epsilon
                continue
            }
            refine(epsilon: epsilon, scale: scale)
            optimalAt = epsilon
        } while epsilon > 1
    }

    @inline(__always)
    func isOffer(_ node: Int) -> Bool { offerNodes.contains(node) }

    @inline(__always)
    private func enqueue(_ node: Int) {
        activeQueue[queueTail] = Int32(node)
        queueTail += 1
        if queueTail == nodeCount { queueTail = 0 }
        queued += 1
    }

    /// Records that the reverse arc `reverse` of `offer` now carries flow back to `need`.
    @inline(__always)
    func addFlowArc(_ reverse: Int, forward: Int, offer: Int, need: Int, cost: Int32) {
        let local = offer - offerNodes.lowerBound
        let slot = Int(firstArc[offer]) - flowBase + Int(flowCount[local])
        flowArcs[slot] = FlowEntry(arc: Int32(reverse), head: Int32(need), cost: cost, forward: Int32(forward))
        flowCount[local] += 1
        flowBits[forward >> 6] |= 1 << UInt64(forward & 63)
    }

    /// Drops the entry at `slot` of `offer`'s flow list; the last entry takes its place.
    @inline(__always)
    func removeFlowArc(atSlot slot: Int, offer: Int) {
        let forward = Int(flowArcs[slot].forward)
        flowBits[forward >> 6] &= ~(1 << UInt64(forward & 63))
        let local = offer - offerNodes.lowerBound
        flowCount[local] -= 1
        let moved = flowArcs[Int(firstArc[offer]) - flowBase + Int(flowCount[local])]
        flowArcs[slot] = moved
    }

    /// Moves `amount` along `arc` from `tail` to `target`, for an arc that is not part of a
    /// need–offer pair (those keep their residual on the need's side only: the offer's
    /// reverse arc holds a stale value and its residual is `pairTotal − forward residual`).
    @inline(__always)
    func push(_ amount: Int32, along arc: Int, from tail: Int, to target: Int) {
        arcs[arc].residual -= amount
        let reverse = Int(arcs[arc].pair)
        let before = arcs[reverse].residual
        arcs[reverse].residual = before + amount
        if before == 0, !isOffer(target) { relabelBest[target] = -1 }
        addExcess(Int64(amount), to: target)
    }

    /// Moves `amount` along a need's arc to an offer, whose residual before is `capacity`:
    /// the pair's state only, the caller settles the offer's excess.
    @inline(__always)
    func pushToOffer(_ amount: Int32, along arc: Int, capacity: Int32, from need: Int, to offer: Int) {
        arcs[arc].residual = capacity - amount
        if capacity == arcs[arc].pairTotal {
            addFlowArc(Int(arcs[arc].pair), forward: arc, offer: offer, need: need, cost: -arcs[arc].cost)
        }
    }

    @inline(__always)
    func addExcess(_ amount: Int64, to target: Int) {
        let targetExcess = excess[target]
        excess[target] = targetExcess + amount
        if targetExcess <= 0, targetExcess + amount > 0, target != discharging { enqueue(target) }
    }

    /// Turns an ε·α-optimal flow into an ε-optimal one: saturate every arc of negative
    /// reduced cost, then push the resulting excesses to deficits along admissible arcs.
    private func refine(epsilon: Int64, scale: Int64) {
        saturateNegativeArcs(scale: scale)
        relabelBest.initialize(repeating: -1, count: nodeCount)
        queueHead = 0
        queueTail = 0
        queued = 0
        for node in 0..<nodeCount where excess[node] > 0 { enqueue(node) }
        relabelsSinceUpdate = 0
        globalUpdate(epsilon: epsilon, scale: scale)
        while queued > 0 {
            let node = Int(activeQueue[queueHead])
            queueHead += 1
            if queueHead == nodeCount { queueHead = 0 }
            queued -= 1
            if relabelsSinceUpdate >= relabelsPerUpdate * nodeCount {
                relabelsSinceUpdate = 0
                globalUpdate(epsilon: epsilon, scale: scale)
            }
            if isOffer(node) {
                dischargeOffer(node, epsilon: epsilon, scale: scale)
            } else {
                discharge(node, epsilon: epsilon, scale: scale)
            }
        }
    }

    private func saturateNegativeArcs(scale: Int64) {
        for node in 0..<nodeCount {
            let nodePrice = price[node]
            var first = Int(firstArc[node])
            if isOffer(node) {
                let listStart = first - flowBase
                var slot = listStart
                while slot < listStart + Int(flowCount[node - offerNodes.lowerBound]) {
                    let entry = flowArcs[slot]
                    let target = Int(entry.head)
                    guard Int64(entry.cost) * scale + nodePrice - price[target] < 0 else {
                        slot += 1
                        continue
                    }
                    let forward = Int(entry.forward)
                    let total = arcs[forward].pairTotal
                    let amount = total - arcs[forward].residual
                    arcs[forward].residual = total
                    excess[node] -= Int64(amount)
                    excess[target] += Int64(amount)
                    removeFlowArc(atSlot: slot, offer: node)
                }
                currentArc[node] = 0
                first = Int(firstArc[node + 1]) - 1
            } else {
                currentArc[node] = Int32(first)
            }
            for arc in first..<Int(firstArc[node + 1]) {
                let capacity = arcs[arc].residual
                guard capacity > 0 else { continue }
                let target = Int(arcs[arc].head)
                guard Int64(arcs[arc].cost) * scale + nodePrice - price[target] < 0 else { continue }
                arcs[arc].residual = 0
                let reverse = Int(arcs[arc].pair)
                if node < offerNodes.lowerBound, isOffer(target) {
                    if capacity == arcs[arc].pairTotal {
                        addFlowArc(reverse, forward: arc, offer: target, need: node, cost: -arcs[arc].cost)
                    }
                } else {
                    arcs[reverse].residual += capacity
                }
                excess[node] -= Int64(capacity)
                excess[target] += Int64(capacity)
            }
        }
    }

    /// Pushes all of a node's excess along admissible arcs of its full arc list,
    /// relabelling it whenever none is left.
    private func discharge(_ node: Int, epsilon: Int64, scale: Int64) {
        var nodeExcess = excess[node]
        var nodePrice = price[node]
        var arc = Int(currentArc[node])
        let first = Int(firstArc[node])
        let end = Int(firstArc[node + 1])
        let isNeedSide = node < offerNodes.lowerBound
        discharging = node
        defer { discharging = -1 }
        while true {
            while arc < end {
                let capacity = arcs[arc].residual
                if capacity > 0 {
                    let target = Int(arcs[arc].head)
                    if Int64(arcs[arc].cost) * scale + nodePrice - price[target] < 0 {
                        let amount = Int32(truncatingIfNeeded: min(nodeExcess, Int64(capacity)))
                        nodeExcess -= Int64(amount)
                        if isNeedSide, isOffer(target) {
                            pushToOffer(amount, along: arc, capacity: capacity, from: node, to: target)
                            let offerExcess = excess[target]
                            excess[target] = offerExcess + Int64(amount)
                            if offerExcess <= 0, offerExcess + Int64(amount) > 0 {
                                excess[node] = nodeExcess
                                price[node] = nodePrice
                                dischargeOffer(target, epsilon: epsilon, scale: scale)
                                nodeExcess = excess[node]
                            }
                        } else {
                            push(amount, along: arc, from: node, to: target)
                        }
                        if nodeExcess == 0 { break }
                    }
                }
                arc += 1
            }
            if nodeExcess == 0 { break }
            relabelsSinceUpdate += 1
            let cached = Int(relabelBest[node])
            if cached >= 0, arcs[cached].residual > 0 {
                let value = price[Int(arcs[cached].head)] - Int64(arcs[cached].cost) * scale
                if value >= relabelSecond[node] {
                    nodePrice = value - epsilon
                    arc = cached
                    continue
                }
            }
            var best = Int64.min
            var second = Int64.min
            var bestArc = first
            for candidate in first..<end where arcs[candidate].residual > 0 {
                let value = price[Int(arcs[candidate].head)] - Int64(arcs[candidate].cost) * scale
                if value > best {
                    second = best
                    best = value
                    bestArc = candidate
                } else if value > second {
                    second = value
                }
            }
            relabelBest[node] = Int32(bestArc)
            relabelSecond[node] = second
            nodePrice = best - epsilon
            arc = bestArc
        }
        excess[node] = 0
        price[node] = nodePrice
        currentArc[node] = Int32(arc)
    }
}
