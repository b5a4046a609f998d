extension CostScalingFlow {
    /// Goldberg's global price update: lowers every node's price by ε times its distance to
    /// the nearest deficit, where a residual arc counts ⌊reduced cost / ε⌋ + 1 (0 when
    /// admissible). This keeps the flow ε-optimal and leaves every active node an admissible
    /// path to a deficit, which saves most of the relabels a price war would take.
    ///
    /// Distances come from a bucket-based Dijkstra search backwards from the deficits, which
    /// stops once every active node is reached; the rest take the level reached.
    func globalUpdate(epsilon: Int64, scale: Int64) {
        let limit = nodeCount
        let unreached = Int32.max
        for bucket in 0...limit { bucketHead[bucket] = -1 }
        var activeLeft = 0
        for node in 0..<nodeCount {
            rank[node] = unreached
            if excess[node] > 0 { activeLeft += 1 }
        }
        for node in 0..<nodeCount where excess[node] < 0 { insert(node, into: 0) }
        var level = 0
        search: while level <= limit, activeLeft > 0 {
            while bucketHead[level] >= 0 {
                let node = Int(bucketHead[level])
                removeFromBucket(node)
                rank[node] = -1 - Int32(level)
                if excess[node] > 0 {
                    activeLeft -= 1
                    if activeLeft == 0 { break search }
                }
                let nodePrice = price[node]
                // The arc `arc` of `node` is the reverse of a residual arc into it.
                func relax(_ arc: Int) {
                    let source = Int(arcs[arc].head)
                    let current = rank[source]
                    guard current >= 0 else { return }
                    // Only a rank below `bound` helps; most arcs fail that test, which
                    // saves their division.
                    let bound = min(Int(current), limit + 1)
                    let reduced = price[source] - nodePrice - Int64(arcs[arc].cost) * scale
                    let candidate: Int
                    if reduced < 0 {
                        candidate = level
                    } else if reduced < Int64(bound - level - 1) * epsilon {
                        candidate = level + Int(reduced / epsilon) + 1
                    } else {
                        return
                    }
                    if candidate < bound {
                        if current != unreached { removeFromBucket(source) }
                        insert(source, into: candidate)
                    }
                }
                if node < offerNodes.lowerBound {
                    forEachResidualArcInto(supplyNode: node, relax)
                    continue
                }
                let atOffer = isOffer(node)
                if atOffer { syncReverseArcs(of: node) }
                for arc in Int(firstArc[node])..<Int(firstArc[node + 1])
                where arcs[arc].residual < arcs[arc].pairTotal {
                    relax(arc)
                }
                if atOffer { clearReverseArcs(of: node) }
            }
            level += 1
        }
        let unsettledDistance = Int64(min(level, limit))
        for node in 0..<nodeCount {
            let settled = rank[node]
            price[node] -= epsilon * (settled < 0 ? Int64(-1 - settled) : unsettledDistance)
            currentArc[node] = isOffer(node) ? 0 : firstArc[node]
        }
    }

    private func insert(_ node: Int, into bucket: Int) {
        let first = bucketHead[bucket]
        bucketNext[node] = first
        bucketPrevious[node] = -1
        if first >= 0 { bucketPrevious[Int(first)] = Int32(node) }
        bucketHead[bucket] = Int32(node)
        rank[node] = Int32(bucket)
    }

    private func removeFromBucket(_ node: Int) {
        let next = bucketNext[node]
        let previous = bucketPrevious[node]
        if previous >= 0 { bucketNext[Int(previous)] = next } else { bucketHead[Int(rank[node])] = next }
        if next >= 0 { bucketPrevious[Int(next)] = previous }
    }
}
