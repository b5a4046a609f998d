/// An instance cut into the pieces that can be solved on their own: needs and offers joined
/// by an edge that can carry value, and needs of a household whose cap can bind.
///
/// Edges that cannot add to the objective (score 0, offer without capacity, household with
/// a cap of 0) are left out, and a household whose cap covers everything its needs could
/// take is treated as no cap at all: both only make the pieces smaller, never change the
/// optimum. Components are numbered by their smallest need index and list their needs,
/// offers and households in ascending order, so the cut is the same on every run.
struct AssignmentComponents {
    /// Components ``needs`` of component `c` are `needs[needStart[c] ..< needStart[c + 1]]`.
    let needStart: [Int32]
    let needs: [Int32]
    let offerStart: [Int32]
    let offers: [Int32]
    let householdStart: [Int32]
    let households: [Int32]
    /// Useful edges in each component, the measure of its size.
    let edgeCounts: [Int]
    /// Index of each need, offer and household inside its component's list.
    let localNeed: [Int32]
    let localOffer: [Int32]
    let localHousehold: [Int32]
    /// The household of each need whose cap can bind, or -1.
    let bindingHousehold: [Int32]
    /// Whether each edge can add to the objective: positive score, an offer with capacity, a
    /// household cap above 0. Only such edges join needs and offers or enter a network.
    let usefulEdge: [Bool]

    var count: Int { edgeCounts.count }

    init(_ problem: TransportationProblem) {
        let needCount = problem.needCount
        let offerCount = problem.offerCount
        let householdCount = problem.householdIDs.count

        var usable = [Bool](repeating: true, count: needCount)
        for need in 0..<needCount {
            let household = Int(problem.needHouseholds[need])
            if household >= 0, problem.householdCaps[household] == 0 { usable[need] = false }
        }
        var useful = [Bool](repeating: false, count: problem.edgeCount)
        for need in 0..<needCount where usable[need] {
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1]) {
                useful[edge] =
                    problem.edgeScores[edge] > 0 && problem.offerCapacities[Int(problem.edgeOffers[edge])] > 0
            }
        }
        var demandWithEdges = [Int64](repeating: 0, count: householdCount)
        var hasUsefulEdge = [Bool](repeating: false, count: needCount)
        for need in 0..<needCount where usable[need] {
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1]) where useful[edge] {
                hasUsefulEdge[need] = true
                break
            }
            let household = Int(problem.needHouseholds[need])
            if household >= 0, hasUsefulEdge[need] { demandWithEdges[household] += Int64(problem.needQuantities[need]) }
        }
        var binding = [Int32](repeating: -1, count: needCount)
        for need in 0..<needCount where hasUsefulEdge[need] {
            let household = Int(problem.needHouseholds[need])
            if household >= 0, Int64(problem.householdCaps[household]) < demandWithEdges[household] {
                binding[need] = Int32(household)
            }
        }

        var sets = DisjointSets(count: needCount + offerCount)
        var firstNeedOfHousehold = [Int32](repeating: -1, count: householdCount)
        for need in 0..<needCount where hasUsefulEdge[need] {
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1])
            where useful[edge] {
                sets.union(need, needCount + Int(problem.edgeOffers[edge]))
            }
            let household = Int(binding[need])
            if household >= 0 {
                if firstNeedOfHousehold[household] < 0 {
                    firstNeedOfHousehold[household] = Int32(need)
                } else {
                    sets.union(need, Int(firstNeedOfHousehold[household]))
                }
            }
        }

        var componentOfRoot = [Int32](repeating: -1, count: needCount + offerCount)
        var needComponent = [Int32](repeating: -1, count: needCount)
        var componentCount: Int32 = 0
        for need in 0..<needCount where hasUsefulEdge[need] {
            let root = sets.find(need)
            if componentOfRoot[root] < 0 {
                componentOfRoot[root] = componentCount
                componentCount += 1
            }
            needComponent[need] = componentOfRoot[root]
        }
        var offerComponent = [Int32](repeating: -1, count: offerCount)
        for offer in 0..<offerCount { offerComponent[offer] = componentOfRoot[sets.find(needCount + offer)] }
        var householdComponent = [Int32](repeating: -1, count: householdCount)
        for household in 0..<householdCount where firstNeedOfHousehold[household] >= 0 {
            householdComponent[household] = needComponent[Int(firstNeedOfHousehold[household])]
        }

        var edgeCounts = [Int](repeating: 0, count: Int(componentCount))
        for need in 0..<needCount where hasUsefulEdge[need] {
            var count = 0
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1]) where useful[edge] {
                count += 1
            }
            edgeCounts[Int(needComponent[need])] += count
        }

        let count = Int(componentCount)
        (needStart, needs, localNeed) = Self.group(needComponent, componentCount: count)
        (offerStart, offers, localOffer) = Self.group(offerComponent, componentCount: count)
        (householdStart, households, localHousehold) = Self.group(householdComponent, componentCount: count)
        self.edgeCounts = edgeCounts
        self.bindingHousehold = binding
        usefulEdge = useful
    }

    /// Counting sort of items by component (-1: in none), keeping index order inside each.
    private static func group(
        _ componentOf: [Int32], componentCount: Int
    ) -> (start: [Int32], members: [Int32], local: [Int32]) {
        var start = [Int32](repeating: 0, count: componentCount + 1)
        for component in componentOf where component >= 0 { start[Int(component) + 1] += 1 }
        for component in 0..<componentCount { start[component + 1] += start[component] }
        var fill = start
        var members = [Int32](repeating: 0, count: Int(start[componentCount]))
        var local = [Int32](repeating: -1, count: componentOf.count)
        for (item, component) in componentOf.enumerated() where component >= 0 {
            let slot = Int(fill[Int(component)])
            members[slot] = Int32(item)
            local[item] = Int32(slot) - start[Int(component)]
            fill[Int(component)] += 1
        }
        return (start, members, local)
    }
}

/// Union–find with path halving and union by size, over `0 ..< count`.
struct DisjointSets {
    private var parent: [Int32]
    private var size: [Int32]

    init(count: Int) {
        parent = (0..<Int32(count)).map { $0 }
        size = [Int32](repeating: 1, count: count)
    }

    mutating func find(_ item: Int) -> Int {
        var node = item
        while Int(parent[node]) != node {
            let grandparent = parent[Int(parent[node])]
            parent[node] = grandparent
            node = Int(grandparent)
        }
        return node
    }

    mutating func union(_ first: Int, _ second: Int) {
        var left = find(first)
        var right = find(second)
        guard left != right else { return }
        if size[left] < size[right] { swap(&left, &right) }
        parent[right] = Int32(left)
        size[left] += size[right]
    }
}
