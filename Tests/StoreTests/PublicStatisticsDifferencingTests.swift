import Foundation
import Matching
import Postgres
import Store
import TestSupport
import Testing

/// The attack of issue 13, finding 8, tried on every level and every table of seeded data:
/// subtracting published figures from each other must never give a withheld cell's value.
///
/// Four seeded counties of different sizes in two prefectures of one province, with part of
/// their needs delivered and rated. Each published figure is read as the band of true values
/// it stands for (20 → 15–24), each withheld count as 0–14 and each withheld sum as "0 or
/// more"; for every additive relation — a region and its parts, a total and its rows — the
/// test narrows every withheld cell as far as the other bands allow and requires at least two
/// values to remain.
@Suite("Public statistics: differencing")
struct PublicStatisticsDifferencingTests {
    /// One figure as the public sees it: the band of true values it allows.
    private struct Band {
        var low: Int
        var high: Int
        var isWithheld: Bool
        /// Far above any sum of the seeded data, yet safe to add up.
        static let unbounded = 1_000_000_000

        /// `published` read as a count (withheld: 0–14) or as a sum (withheld: 0 or more).
        init(_ published: Int?, isSum: Bool = false) {
            let base = PublicStatistics.roundingBase
            if let published {
                #expect(published % base == 0 && published >= PublicStatistics.minimumCount, "\(published) is shown")
                low = max(PublicStatistics.minimumCount, published - base / 2)
                high = published + base / 2 - 1
                isWithheld = false
            } else {
                low = 0
                high = isSum ? Self.unbounded : PublicStatistics.minimumCount - 1
                isWithheld = true
            }
        }
    }

    /// What the walk saw, so the test can show it was not vacuous.
    private struct Tally {
        var relations = 0
        var withheldCells = 0
        /// Withheld cells that were the only withheld part of their relation: exactly the cells
        /// plain suppression gave away by one subtraction.
        var loneWithheldCells = 0
    }

    private static let counties = [
        ("320508000000", 400), ("320509000000", 40), ("320583000000", 120), ("320102000000", 25),
    ]
    private static let levels: [String: [String]] = [
        "32": ["3201", "3205"], "3201": ["320102"], "3205": ["320508", "320509", "320583"],
    ]

    @Test func noWithheldCellIsRecoveredBySubtractingPublishedFigures() async throws {
        try await TestDatabase.with(label: "stats_differencing") { database in
            try await database.withClient(options: .init(maxConnections: 4)) { client in
                _ = try await Migrator(client: client, logger: TestDatabase.logger)
                    .migrate(try Migration.load(from: RepositoryLayout.migrations))
                for (index, (code, households)) in Self.counties.enumerated() {
                    let county = try #require(RegionCode(code))
                    let plan = CountySeed.Plan(
                        households: households, charities: 6, offers: households / 4, seed: UInt64(11 + index),
                        county: county, asOf: SeededCounty.asOf)
                    _ = try await CountySeed(client: client, sealer: try SeededCounty.sealer).run(plan)
                }
                try await client.withConnection { connection in try connection.executeScript(Self.deliveries) }
                let statistics = PublicStatistics(client: client)
                var figures: [String: PublicStats] = [:]
                for prefix in Set(Self.levels.keys).union(Self.levels.values.joined()) {
                    figures[prefix] = try await statistics.stats(region: try #require(RegionScope(prefix: prefix)))
                }
                var tally = Tally()
                for stats in figures.values { Self.checkTables(of: stats, &tally) }
                for (parent, children) in Self.levels {
                    let parts = try children.map { try #require(figures[$0]) }
                    Self.checkRegion(try #require(figures[parent]), against: parts, &tally)
                }
                // The walk met the cells plain suppression gave away, and many relations.
                #expect(tally.relations > 250)
                #expect(tally.loneWithheldCells > 10)
                #expect(tally.withheldCells > tally.loneWithheldCells)
            }
        }
    }

    /// Two thirds of the open needs delivered in full on some offer of their category, spread
    /// over the charities, and half of those deliveries rated.
    private static let deliveries = """
        WITH chosen AS (
            SELECT n.id AS need_id, n.quantity, o.id AS offer_id
              FROM needs n
             CROSS JOIN LATERAL (
                   SELECT o.id FROM offers o WHERE o.category_id = n.category_id
                    ORDER BY (o.id * 7919 + n.id * 104729) % 1009, o.id LIMIT 1) o
             WHERE n.status = 'open' AND n.id % 3 <> 0),
        delivered AS (
            INSERT INTO matches (need_id, offer_id, units, status, decided_at)
            SELECT need_id, offer_id, quantity, 'delivered', now() FROM chosen RETURNING need_id)
        UPDATE needs SET status = 'fulfilled', fulfilled_quantity = quantity, closed_at = now()
         WHERE id IN (SELECT need_id FROM delivered);
        INSERT INTO feedback (match_id, satisfaction)
        SELECT id, 1 + id % 5 FROM matches WHERE status = 'delivered' AND id % 2 = 0;
        """

    /// Totals against their rows within one region's figures.
    private static func checkTables(of stats: PublicStats, _ tally: inout Tally) {
        let categories = stats.byCategory
        check(total: Band(stats.needs.recorded), parts: categories.map { Band($0.needs) }, &tally)
        // A category's served count is withheld with its needs, so it is at most 14 then too.
        check(total: Band(stats.needs.fulfilled), parts: categories.map { Band($0.needsServed) }, &tally)
        check(
            total: Band(stats.unitsDelivered, isSum: true),
            parts: categories.map { Band($0.unitsDelivered, isSum: true) }, &tally)
        // Charities left out delivered 0–14 each, and nobody outside knows how many there are:
        // one withheld rest with no upper bound stands for all of them.
        check(
            total: Band(stats.deliveredMatches),
            parts: stats.byCharity.map { Band($0.deliveredMatches) } + [Band(nil, isSum: true)], &tally)
        check(
            total: Band(stats.unitsDelivered, isSum: true),
            parts: stats.byCharity.map { Band($0.deliveredUnits, isSum: true) } + [Band(nil, isSum: true)], &tally)
    }

    /// Every figure of a region against the same figure of its parts.
    private static func checkRegion(_ parent: PublicStats, against parts: [PublicStats], _ tally: inout Tally) {
        let counts: [(PublicStats) -> Int?] = [
            \.needs.recorded, \.needs.open, \.needs.fulfilled, \.deliveredMatches,
        ]
        for figure in counts {
            check(total: Band(figure(parent)), parts: parts.map { Band(figure($0)) }, &tally)
        }
        check(
            total: Band(parent.unitsDelivered, isSum: true), parts: parts.map { Band($0.unitsDelivered, isSum: true) },
            &tally)
        for (index, category) in parent.byCategory.enumerated() {
            let rows = parts.map { $0.byCategory[index] }
            #expect(rows.allSatisfy { $0.categoryCode == category.categoryCode })
            check(total: Band(category.needs), parts: rows.map { Band($0.needs) }, &tally)
            check(total: Band(category.needsServed), parts: rows.map { Band($0.needsServed) }, &tally)
            check(
                total: Band(category.unitsDelivered, isSum: true),
                parts: rows.map { Band($0.unitsDelivered, isSum: true) }, &tally)
        }
        let charityIDs = Set(([parent] + parts).flatMap { $0.byCharity.map(\.charityID) })
        for charity in charityIDs.sorted() {
            let row = { (stats: PublicStats) in stats.byCharity.first { $0.charityID == charity } }
            check(
                total: Band(row(parent)?.deliveredMatches), parts: parts.map { Band(row($0)?.deliveredMatches) }, &tally
            )
            check(
                total: Band(row(parent)?.deliveredUnits, isSum: true),
                parts: parts.map { Band(row($0)?.deliveredUnits, isSum: true) }, &tally)
            check(
                total: Band(row(parent)?.satisfactionCount), parts: parts.map { Band(row($0)?.satisfactionCount) },
                &tally)
        }
    }

    /// `total = Σ parts`: each withheld cell (a part, or the total) narrowed by the others'
    /// bands must keep at least two values, and the bands must be consistent.
    private static func check(total: Band, parts: [Band], _ tally: inout Tally) {
        tally.relations += 1
        let lows = parts.reduce(0) { $0 + $1.low }
        let highs = parts.reduce(0) { $0 + $1.high }
        let withheld = parts.filter(\.isWithheld).count
        for (index, part) in parts.enumerated() where part.isWithheld {
            let others = (low: lows - part.low, high: highs - part.high)
            let low = max(part.low, total.low - others.high)
            let high = min(part.high, total.high - others.low)
            #expect(low <= high, "relation \(index) of \(parts.count) parts is inconsistent")
            #expect(high - low >= 1, "a withheld part is pinned to \(low) by \(parts.count - 1) others")
            tally.withheldCells += 1
            if withheld == 1 && !total.isWithheld { tally.loneWithheldCells += 1 }
        }
        if total.isWithheld && withheld < parts.count {
            Issue.record("a withheld total has a published part")
        }
    }
}
