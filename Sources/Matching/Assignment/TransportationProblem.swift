/// The assignment instance: needs with quantities, offers with remaining capacities, an
/// optional per-household cap, and the eligible pairs with their scores in millionths.
///
/// Stored in a canonical form (needs, offers and households sorted by id; edges grouped by
/// need in offer-id order, compressed-row layout), so the solvers see the same instance
/// whatever order the input came in: that is what makes their output deterministic.
/// Scores are integers (millionths of a point) so "optimal" is exact, not "within 1e-9".
public struct TransportationProblem: Sendable, Equatable {
    /// Need ids, ascending.
    public let needIDs: [Int64]
    /// Units each need asks for (≥ 1), parallel to ``needIDs``.
    public let needQuantities: [Int32]
    /// Index into ``householdIDs`` of each need's household, or -1 when no cap applies.
    public let needHouseholds: [Int32]
    /// Offer ids, ascending.
    public let offerIDs: [Int64]
    /// Remaining capacity of each offer (≥ 0), parallel to ``offerIDs``.
    public let offerCapacities: [Int32]
    /// Household ids, ascending; empty when no household cap applies.
    public let householdIDs: [Int64]
    /// Units a household may receive in this run, parallel to ``householdIDs``.
    public let householdCaps: [Int32]
    /// Edges of need `n` are `edgeStart[n] ..< edgeStart[n + 1]`.
    public let edgeStart: [Int32]
    /// Offer index of each edge.
    public let edgeOffers: [Int32]
    /// Score of each edge in millionths, 0 … 1,000,000.
    public let edgeScores: [Int64]

    /// The highest score an edge may carry: 1.000000.
    public static let maximumScore: Int64 = 1_000_000

    /// One eligible pair as given by a caller, before canonical ordering.
    public struct Edge: Sendable, Equatable {
        public var needID: Int64
        public var offerID: Int64
        public var scoreMicro: Int64

        public init(needID: Int64, offerID: Int64, scoreMicro: Int64) {
            self.needID = needID
            self.offerID = offerID
            self.scoreMicro = scoreMicro
        }
    }

    /// What is wrong with an instance; `index` is the 0-based position in the input array
    /// it concerns, so a file reader can turn it into a line number.
    public enum Problem: Error, Sendable, Equatable {
        case duplicateNeed(index: Int, id: Int64)
        case duplicateOffer(index: Int, id: Int64)
        case duplicateHousehold(index: Int, id: Int64)
        case quantityNotPositive(index: Int, id: Int64)
        case capacityNegative(index: Int, id: Int64)
        case householdCapNegative(index: Int, id: Int64)
        case unknownHousehold(needIndex: Int, householdID: Int64)
        case unknownNeed(edgeIndex: Int, needID: Int64)
        case unknownOffer(edgeIndex: Int, offerID: Int64)
        case duplicatePair(edgeIndex: Int, needID: Int64, offerID: Int64)
        case scoreOutOfRange(edgeIndex: Int, scoreMicro: Int64)
    }

    /// A need as given: id, quantity and, when a household cap applies, its household.
    public struct NeedInput: Sendable, Equatable {
        public var id: Int64
        public var quantity: Int32
        public var householdID: Int64?

        public init(id: Int64, quantity: Int32, householdID: Int64? = nil) {
            self.id = id
            self.quantity = quantity
            self.householdID = householdID
        }
    }

    /// Validates and canonicalises an instance given in any order.
    public init(
        needs: [NeedInput],
        offers: [(id: Int64, capacity: Int32)],
        households: [(id: Int64, cap: Int32)] = [],
        edges: [Edge]
    ) throws(Problem) {
        let (sortedHouseholds, householdIndex) = try Self.checkedHouseholds(households)

        var needIndex: [Int64: Int32] = [:]
        needIndex.reserveCapacity(needs.count)
        for (index, need) in needs.enumerated() {
            guard need.quantity > 0 else { throw .quantityNotPositive(index: index, id: need.id) }
            if let household = need.householdID, householdIndex[household] == nil {
                throw .unknownHousehold(needIndex: index, householdID: household)
            }
            guard needIndex.updateValue(0, forKey: need.id) == nil else {
                throw .duplicateNeed(index: index, id: need.id)
            }
        }
        let sortedNeeds = needs.sorted { $0.id < $1.id }
        for (position, need) in sortedNeeds.enumerated() { needIndex[need.id] = Int32(position) }

        let (sortedOffers, offerIndex) = try Self.sortedByID(
            offers, id: { $0.id }, amount: { $0.capacity }, negative: Problem.capacityNegative,
            repeated: Problem.duplicateOffer)

        let needPosition = IDIndex(sortedIDs: sortedNeeds.map(\.id), fallback: needIndex)
        let offerPosition = IDIndex(sortedIDs: sortedOffers.map(\.id), fallback: offerIndex)
        var inputNeeds = [Int32](repeating: 0, count: edges.count)
        var inputOffers = [Int32](repeating: 0, count: edges.count)
        var start = [Int32](repeating: 0, count: sortedNeeds.count + 1)
        for (index, edge) in edges.enumerated() {
            guard let need = needPosition[edge.needID] else {
                throw .unknownNeed(edgeIndex: index, needID: edge.needID)
            }
            guard let offer = offerPosition[edge.offerID] else {
                throw .unknownOffer(edgeIndex: index, offerID: edge.offerID)
            }
            guard (0...Self.maximumScore).contains(edge.scoreMicro) else {
                throw .scoreOutOfRange(edgeIndex: index, scoreMicro: edge.scoreMicro)
            }
            inputNeeds[index] = need
            inputOffers[index] = offer
            start[Int(need) + 1] += 1
        }
        for need in 0..<sortedNeeds.count { start[need + 1] += start[need] }
        // A counting sort by need, then each need's few edges by offer: linear, where one
        // global sort of tens of millions of edges would dominate loading an instance.
        var cursor = start
        var order = [Int32](repeating: 0, count: edges.count)
        for index in 0..<edges.count {
            let need = Int(inputNeeds[index])
            order[Int(cursor[need])] = Int32(index)
            cursor[need] += 1
        }
        for need in 0..<sortedNeeds.count {
            let range = Int(start[need])..<Int(start[need + 1])
            order[range].sort { (inputOffers[Int($0)], $0) < (inputOffers[Int($1)], $1) }
            for position in range.dropFirst()
            where inputOffers[Int(order[position])] == inputOffers[Int(order[position - 1])] {
                let duplicate = edges[Int(order[position])]
                throw .duplicatePair(
                    edgeIndex: Int(order[position]), needID: duplicate.needID, offerID: duplicate.offerID)
            }
        }

        needIDs = sortedNeeds.map(\.id)
        needQuantities = sortedNeeds.map(\.quantity)
        needHouseholds = sortedNeeds.map { need in need.householdID.flatMap { householdIndex[$0] } ?? -1 }
        offerIDs = sortedOffers.map(\.id)
        offerCapacities = sortedOffers.map(\.capacity)
        householdIDs = sortedHouseholds.map(\.id)
        householdCaps = sortedHouseholds.map(\.cap)
        edgeStart = start
        edgeOffers = order.map { inputOffers[Int($0)] }
        edgeScores = order.map { edges[Int($0)].scoreMicro }
    }

    /// The households sorted by id and each id's position among them; caps must not be
    /// negative and ids not repeat.
    static func checkedHouseholds(
        _ households: [(id: Int64, cap: Int32)]
    ) throws(Problem) -> (sorted: [(id: Int64, cap: Int32)], position: [Int64: Int32]) {
        try sortedByID(
            households, id: { $0.id }, amount: { $0.cap }, negative: Problem.householdCapNegative,
            repeated: Problem.duplicateHousehold)
    }

    /// Rows with an id and an amount that must not be negative (offers and their capacities,
    /// households and their caps), sorted by id, with each id's position among them. The
    /// first negative amount or repeated id is reported with its index in the input.
    private static func sortedByID<Row>(
        _ rows: [Row], id: (Row) -> Int64, amount: (Row) -> Int32, negative: (_ index: Int, _ id: Int64) -> Problem,
        repeated: (_ index: Int, _ id: Int64) -> Problem
    ) throws(Problem) -> (sorted: [Row], position: [Int64: Int32]) {
        var position: [Int64: Int32] = [:]
        position.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            guard amount(row) >= 0 else { throw negative(index, id(row)) }
            guard position.updateValue(0, forKey: id(row)) == nil else { throw repeated(index, id(row)) }
        }
        let sorted = rows.sorted { id($0) < id($1) }
        for (index, row) in sorted.enumerated() { position[id(row)] = Int32(index) }
        return (sorted, position)
    }

    /// Arrays already in canonical form and checked by the caller.
    init(
        needIDs: [Int64], needQuantities: [Int32], needHouseholds: [Int32], offerIDs: [Int64],
        offerCapacities: [Int32], householdIDs: [Int64], householdCaps: [Int32], edgeStart: [Int32],
        edgeOffers: [Int32], edgeScores: [Int64]
    ) {
        self.needIDs = needIDs
        self.needQuantities = needQuantities
        self.needHouseholds = needHouseholds
        self.offerIDs = offerIDs
        self.offerCapacities = offerCapacities
        self.householdIDs = householdIDs
        self.householdCaps = householdCaps
        self.edgeStart = edgeStart
        self.edgeOffers = edgeOffers
        self.edgeScores = edgeScores
    }

    public var needCount: Int { needIDs.count }
    public var offerCount: Int { offerIDs.count }
    public var edgeCount: Int { edgeOffers.count }

    /// The need index of every edge, the inverse of ``edgeStart``.
    public func edgeNeeds() -> [Int32] {
        var needs = [Int32](repeating: 0, count: edgeCount)
        for need in 0..<needCount {
            for edge in Int(edgeStart[need])..<Int(edgeStart[need + 1]) { needs[edge] = Int32(need) }
        }
        return needs
    }
}

/// Units placed on edges; the solvers' common answer.
public struct Assignment: Sendable, Equatable {
    /// Units on each edge of the problem, parallel to `edgeOffers` (0 for unused edges).
    public var units: [Int32]
    /// Σ units · score over all edges, in millionths.
    public var objectiveMicro: Int64
    /// Σ units.
    public var totalUnits: Int

    public init(problem: TransportationProblem, units: [Int32]) {
        self.units = units
        var objective: Int64 = 0
        var total = 0
        for edge in 0..<units.count where units[edge] > 0 {
            objective += Int64(units[edge]) * problem.edgeScores[edge]
            total += Int(units[edge])
        }
        objectiveMicro = objective
        totalUnits = total
    }

    /// Every way the assignment breaks the instance's limits, empty when it is feasible.
    public func violations(of problem: TransportationProblem) -> [String] {
        var problems: [String] = []
        guard units.count == problem.edgeCount else {
            return ["units has \(units.count) entries for \(problem.edgeCount) edges"]
        }
        var offerLoad = [Int64](repeating: 0, count: problem.offerCount)
        var householdLoad = [Int64](repeating: 0, count: problem.householdIDs.count)
        for need in 0..<problem.needCount {
            var served: Int64 = 0
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1]) {
                let value = Int64(units[edge])
                if value < 0 { problems.append("negative units on edge \(edge)") }
                served += value
                offerLoad[Int(problem.edgeOffers[edge])] += value
            }
            if served > Int64(problem.needQuantities[need]) {
                problems.append("need \(problem.needIDs[need]) gets \(served) > \(problem.needQuantities[need])")
            }
            let household = Int(problem.needHouseholds[need])
            if household >= 0 { householdLoad[household] += served }
        }
        for offer in 0..<problem.offerCount where offerLoad[offer] > Int64(problem.offerCapacities[offer]) {
            problems.append(
                "offer \(problem.offerIDs[offer]) gives \(offerLoad[offer]) > \(problem.offerCapacities[offer])")
        }
        for household in 0..<householdLoad.count
        where householdLoad[household] > Int64(problem.householdCaps[household]) {
            problems.append("household \(problem.householdIDs[household]) gets \(householdLoad[household]) > cap")
        }
        return problems
    }
}

/// Positions of ids in their sorted order: an offset when the ids form one dense range (as in
/// generated and exported instances), the dictionary otherwise.
private struct IDIndex {
    private let first: Int64
    private let count: Int64
    private let isDense: Bool
    private let positions: [Int64: Int32]

    init(sortedIDs: [Int64], fallback: [Int64: Int32]) {
        let first = sortedIDs.first ?? 0
        let count = Int64(sortedIDs.count)
        let isDense = sortedIDs.last.map { $0 &- first == count - 1 } ?? true
        self.first = first
        self.count = count
        self.isDense = isDense
        positions = isDense ? [:] : fallback
    }

    subscript(id: Int64) -> Int32? {
        guard isDense else { return positions[id] }
        let offset = id &- first
        return offset >= 0 && offset < count ? Int32(offset) : nil
    }
}
