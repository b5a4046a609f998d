/// Random instances shaped like a province, for benchmarks and for checking the solvers at a
/// scale no hand-built test reaches.
///
/// Needs (households) and offers are points in the unit square; a share of both gathers
/// around towns, the rest is spread over the countryside. Each need is eligible for its 20–50
/// nearest offers (all of them when there are fewer than 20), with a score that falls with
/// distance, plus a per-offer quality and some noise, in millionths. Quantities are 1–3 units,
/// capacities 1–20. The same configuration always gives the same instance: the generator has
/// its own PRNG and uses only arithmetic that IEEE 754 rounds exactly (no `exp`, no `log`),
/// so the instance does not depend on the platform's maths library either.
public enum InstanceGenerator {
    /// What to generate.
    public struct Configuration: Sendable, Equatable {
        /// Number of needs, ids 1…needs (≥ 1).
        public var needs: Int
        /// Number of offers, ids 1…offers (≥ 1); by default a tenth of the needs.
        public var offers: Int
        public var seed: UInt64
        /// When true, needs come in households of 1–3 at one place, each household with a cap
        /// of 1 … its total quantity; otherwise there is no household cap.
        public var households: Bool

        public init(needs: Int, offers: Int? = nil, seed: UInt64 = 1, households: Bool = false) {
            self.needs = needs
            self.offers = offers ?? max(1, needs / 10)
            self.seed = seed
            self.households = households
        }
    }

    /// The fewest and most offers a need is eligible for.
    public static let degreeRange: ClosedRange<Int> = 20...50
    /// Units a need asks for.
    public static let quantityRange: ClosedRange<Int32> = 1...3
    /// Capacity of an offer.
    public static let capacityRange: ClosedRange<Int32> = 1...20

    /// Share of needs and offers placed around towns rather than uniformly.
    private static let townShare = 0.6
    /// Needs per town; the number of towns grows with the instance.
    private static let needsPerTown = 2_000
    /// Town spread: a town of weight w gets variance `townSpread · w / Σw`, which keeps every
    /// town's peak density at about `townShare / (2π · townSpread)` ≈ 8× the average.
    private static let townSpread = 0.012

    /// Builds the instance; `configuration.needs` and `.offers` must be at least 1.
    public static func generate(_ configuration: Configuration) -> TransportationProblem {
        precondition(configuration.needs >= 1 && configuration.offers >= 1, "needs and offers must be ≥ 1")
        var random = SplitMix64(seed: configuration.seed)
        let towns = makeTowns(count: max(1, configuration.needs / needsPerTown), random: &random)

        var offerPoints: [Point] = []
        offerPoints.reserveCapacity(configuration.offers)
        var offers: [(id: Int64, capacity: Int32)] = []
        offers.reserveCapacity(configuration.offers)
        var offerQuality: [Double] = []
        offerQuality.reserveCapacity(configuration.offers)
        for offer in 0..<configuration.offers {
            offerPoints.append(towns.place(random: &random))
            offers.append((Int64(offer + 1), random.int32(in: capacityRange)))
            offerQuality.append(random.unit())
        }
        let index = OfferGrid(points: offerPoints)
        // Proximity halves at about twice the mean spacing of offers.
        let halfScoreDistance = 2 / Double(configuration.offers).squareRoot()

        var needs: [TransportationProblem.NeedInput] = []
        needs.reserveCapacity(configuration.needs)
        var households: [(id: Int64, cap: Int32)] = []
        var edges: [TransportationProblem.Edge] = []
        edges.reserveCapacity(configuration.needs * (degreeRange.lowerBound + degreeRange.upperBound) / 2)
        var search = NearestSearch()
        var need = 0
        while need < configuration.needs {
            let point = towns.place(random: &random)
            let members = configuration.households ? min(random.int(in: 1...3), configuration.needs - need) : 1
            var householdQuantity: Int32 = 0
            for _ in 0..<members {
                let quantity = random.int32(in: quantityRange)
                householdQuantity += quantity
                let householdID = configuration.households ? Int64(households.count + 1) : nil
                needs.append(.init(id: Int64(need + 1), quantity: quantity, householdID: householdID))
                let degree = min(random.int(in: degreeRange), configuration.offers)
                for (offer, distanceSquared) in search.nearest(degree, to: point, in: index) {
                    let score = scoreMicro(
                        distanceSquared: distanceSquared, halfScoreDistance: halfScoreDistance,
                        quality: offerQuality[offer], noise: random.unit())
                    edges.append(.init(needID: Int64(need + 1), offerID: Int64(offer + 1), scoreMicro: score))
                }
                need += 1
            }
            if configuration.households {
                households.append((Int64(households.count + 1), random.int32(in: 1...householdQuantity)))
            }
        }
        do {
            return try TransportationProblem(needs: needs, offers: offers, households: households, edges: edges)
        } catch {
            preconditionFailure("generated an invalid instance: \(error)")
        }
    }

    /// A pair's score in millionths: proximity (1 at distance 0, ½ at `halfScoreDistance`)
    /// weighs 0.65, the offer's quality 0.2 and noise 0.15 (both in [0, 1)), so nearer is better
    /// but not always: the exact solver has real trade-offs to make.
    static func scoreMicro(
        distanceSquared: Double, halfScoreDistance: Double, quality: Double, noise: Double
    ) -> Int64 {
        let proximity = 1 / (1 + distanceSquared / (halfScoreDistance * halfScoreDistance))
        let score = 0.65 * proximity + 0.2 * quality + 0.15 * noise
        return min(max(Int64(score * 1_000_000), 0), TransportationProblem.maximumScore)
    }

    private static func makeTowns(count: Int, random: inout SplitMix64) -> Towns {
        var centres: [Point] = []
        var weights: [Double] = []
        for _ in 0..<count {
            centres.append(Point(x: random.unit(), y: random.unit()))
            let size = random.unit()
            weights.append(1 + 9 * size * size)  // a few large towns, many small ones
        }
        let total = weights.reduce(0, +)
        var cumulative: [Double] = []
        var running = 0.0
        for weight in weights {
            running += weight
            cumulative.append(running / total)
        }
        let spreads = weights.map { (3 * townSpread * $0 / total).squareRoot() }
        return Towns(centres: centres, cumulativeShare: cumulative, spreads: spreads)
    }
}

extension InstanceGenerator {
    struct Point {
        var x: Double
        var y: Double
    }

    /// Where people live: around a town (chosen in proportion to its weight) or anywhere.
    struct Towns {
        let centres: [Point]
        /// Ascending; the last is 1.
        let cumulativeShare: [Double]
        /// √3·σ per town: `bell()` has variance 1/3, so `spread · bell()` has variance σ².
        let spreads: [Double]

        func place(random: inout SplitMix64) -> Point {
            guard random.unit() < InstanceGenerator.townShare else {
                return Point(x: random.unit(), y: random.unit())
            }
            let pick = random.unit()
            var low = 0
            var high = cumulativeShare.count - 1
            while low < high {
                let middle = (low + high) / 2
                if cumulativeShare[middle] <= pick { low = middle + 1 } else { high = middle }
            }
            let centre = centres[low]
            return Point(
                x: Self.reflected(centre.x + spreads[low] * random.bell()),
                y: Self.reflected(centre.y + spreads[low] * random.bell()))
        }

        /// Folds a coordinate that left the square back in, so towns near the border stay round-ish.
        private static func reflected(_ value: Double) -> Double {
            let folded = value < 0 ? -value : (value >= 1 ? 2 - value : value)
            return min(max(folded, 0), 1.0.nextDown)
        }
    }

    /// Offers bucketed in a uniform grid of about three offers per cell: the spatial index that
    /// makes "the k nearest offers of a million needs" take seconds.
    struct OfferGrid {
        let side: Int
        let cellSize: Double
        /// Offers of cell `c` (row-major) are `cellStart[c] ..< cellStart[c + 1]` in the arrays below.
        let cellStart: [Int]
        let xs: [Double]
        let ys: [Double]
        let offers: [Int32]

        init(points: [Point]) {
            side = max(1, Int((Double(points.count) / 3).squareRoot()))
            cellSize = 1 / Double(side)
            var start = [Int](repeating: 0, count: side * side + 1)
            var cells: [Int] = []
            cells.reserveCapacity(points.count)
            for point in points {
                let cell = Self.cell(point.y, side: side) * side + Self.cell(point.x, side: side)
                cells.append(cell)
                start[cell + 1] += 1
            }
            for cell in 0..<side * side { start[cell + 1] += start[cell] }
            var next = start
            var xs = [Double](repeating: 0, count: points.count)
            var ys = [Double](repeating: 0, count: points.count)
            var offers = [Int32](repeating: 0, count: points.count)
            for (offer, cell) in cells.enumerated() {
                let slot = next[cell]
                next[cell] += 1
                xs[slot] = points[offer].x
                ys[slot] = points[offer].y
                offers[slot] = Int32(offer)
            }
            (cellStart, self.xs, self.ys, self.offers) = (start, xs, ys, offers)
        }

        static func cell(_ coordinate: Double, side: Int) -> Int { min(Int(coordinate * Double(side)), side - 1) }
    }

    /// The k nearest offers of a point, by growing rings of grid cells around it, keeping the
    /// best k in a max-heap; buffers are reused from one need to the next.
    struct NearestSearch {
        private var heap: [(distanceSquared: Double, offer: Int32)] = []

        /// The `count` nearest offers (offer index, squared distance), by ascending offer index.
        mutating func nearest(
            _ count: Int, to point: Point, in grid: OfferGrid
        ) -> [(offer: Int, distanceSquared: Double)] {
            heap.removeAll(keepingCapacity: true)
            let (column, row) = (OfferGrid.cell(point.x, side: grid.side), OfferGrid.cell(point.y, side: grid.side))
            var ring = 0
            while true {
                Self.forEachCell(inRing: ring, column: column, row: row, side: grid.side) { cellColumn, cellRow in
                    if heap.count == count, gapSquared(point, cellColumn, cellRow, grid) >= heap[0].distanceSquared {
                        return
                    }
                    let cell = cellRow * grid.side + cellColumn
                    for slot in grid.cellStart[cell]..<grid.cellStart[cell + 1] {
                        let (dx, dy) = (grid.xs[slot] - point.x, grid.ys[slot] - point.y)
                        let distanceSquared = dx * dx + dy * dy
                        if heap.count < count || distanceSquared < heap[0].distanceSquared {
                            offer((distanceSquared, grid.offers[slot]), keeping: count)
                        }
                    }
                }
                // Every offer outside the rings searched so far is at least `reach` away.
                let cell = grid.cellSize
                let reach = min(
                    column - ring > 0 ? point.x - Double(column - ring) * cell : .infinity,
                    column + ring < grid.side - 1 ? Double(column + ring + 1) * cell - point.x : .infinity,
                    row - ring > 0 ? point.y - Double(row - ring) * cell : .infinity,
                    row + ring < grid.side - 1 ? Double(row + ring + 1) * cell - point.y : .infinity)
                if reach == .infinity || (heap.count == count && heap[0].distanceSquared <= reach * reach) { break }
                ring += 1
            }
            return heap.map { (Int($0.offer), $0.distanceSquared) }.sorted { $0.offer < $1.offer }
        }

        /// Calls `body` with each cell at Chebyshev distance `ring` from (column, row), clipped to the grid.
        private static func forEachCell(
            inRing ring: Int, column: Int, row: Int, side: Int, _ body: (Int, Int) -> Void
        ) {
            guard ring > 0 else { return body(column, row) }
            for cellColumn in max(0, column - ring)...min(side - 1, column + ring) {
                if row - ring >= 0 { body(cellColumn, row - ring) }
                if row + ring < side { body(cellColumn, row + ring) }
            }
            for cellRow in max(0, row - ring + 1)...min(side - 1, row + ring - 1) {
                if column - ring >= 0 { body(column - ring, cellRow) }
                if column + ring < side { body(column + ring, cellRow) }
            }
        }

        private func gapSquared(_ point: Point, _ column: Int, _ row: Int, _ grid: OfferGrid) -> Double {
            let (left, bottom) = (Double(column) * grid.cellSize, Double(row) * grid.cellSize)
            let dx = max(left - point.x, 0, point.x - (left + grid.cellSize))
            let dy = max(bottom - point.y, 0, point.y - (bottom + grid.cellSize))
            return dx * dx + dy * dy
        }

        /// Adds `candidate`, which the caller found nearer than the farthest kept, dropping the
        /// farthest once `limit` are kept (a max-heap on distance).
        private mutating func offer(_ candidate: (distanceSquared: Double, offer: Int32), keeping limit: Int) {
            if heap.count < limit {
                heap.append(candidate)
                var child = heap.count - 1
                while child > 0, heap[(child - 1) / 2].distanceSquared < heap[child].distanceSquared {
                    heap.swapAt(child, (child - 1) / 2)
                    child = (child - 1) / 2
                }
                return
            }
            heap[0] = candidate
            var parent = 0
            while true {
                var largest = parent
                for child in 2 * parent + 1...2 * parent + 2
                where child < heap.count && heap[child].distanceSquared > heap[largest].distanceSquared {
                    largest = child
                }
                guard largest != parent else { return }
                heap.swapAt(parent, largest)
                parent = largest
            }
        }
    }
}
