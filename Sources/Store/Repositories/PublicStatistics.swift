import Foundation
import Matching
import Postgres

/// The public's view of a region (公示): counts and sums over needs, deliveries and
/// ratings, never a household, rounded and with small counts suppressed as ``PublicStats``
/// describes, so that no withheld figure can be worked out by subtracting published ones.
///
/// Only a county or a wider region can be asked for: below a county the numbers get small
/// enough to point at households even with suppression. All figures are read in one
/// snapshot, so they agree with each other.
public struct PublicStatistics: Sendable {
    /// Counts below this are not shown, nor anything computed from them. It sits half a
    /// ``roundingBase`` above a multiple of it, so every published figure stands for a full
    /// band of ten values (20 for 15–24, 30 for 25–34…); see ``PublicStats`` for why.
    public static let minimumCount = 15
    /// Every published count and sum is rounded to the nearest multiple of this, halves up.
    public static let roundingBase = 10

    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// The figures of `region`, a 2, 4 or 6 digit scope (province, prefecture or county);
    /// a township or village is ``StoreError/invalid(field:reason:)`` naming `region`, and a
    /// region that is not on the map is ``StoreError/notFound(entity:id:)``.
    public func stats(region: RegionScope) async throws -> PublicStats {
        guard region.level <= .county else {
            throw StoreError.invalid(
                field: "region",
                reason:
                    "must be a county or a wider region (2, 4 or 6 digits); figures below a county are not published")
        }
        let code = region.prefix + String(repeating: "0", count: 12 - region.prefix.count)
        return try await client.withTransaction(isolation: .repeatableRead) { connection in
            let place = try connection.query("SELECT name, now() AS at FROM regions WHERE code = $1", [code])
            guard let row = place.first else { throw StoreError.notFound(entity: .region, id: region.prefix) }
            let (total, byCategory) = try Self.needFigures(in: region, on: connection)
            return PublicStats(
                region: region.prefix, regionName: try row.decode(String.self, "name"),
                generatedAt: try row.decode(Date.self, "at"), minimumCount: Self.minimumCount,
                roundingBase: Self.roundingBase,
                needs: .init(
                    recorded: Self.shown(total.needs), open: Self.shown(total.open),
                    fulfilled: Self.shown(total.fulfilled)),
                deliveredMatches: Self.shown(total.matches),
                unitsDelivered: Self.shown(total.units, basis: total.matches),
                byCategory: try Self.categories(on: connection).map { category in
                    Self.figures(of: category, byCategory[category.id] ?? NeedCounts())
                },
                byCharity: try Self.charities(in: region, on: connection))
        }
    }

    /// A category's figures: all withheld when it has fewer than ``minimumCount`` needs.
    private static func figures(
        of category: (id: Int64, code: String, name: String, nameEn: String), _ counts: NeedCounts
    ) -> PublicStats.CategoryFigures {
        let enough = counts.needs >= minimumCount
        return PublicStats.CategoryFigures(
            categoryCode: category.code, categoryName: category.name, categoryNameEn: category.nameEn,
            needs: shown(counts.needs), needsServed: enough ? shown(counts.fulfilled) : nil,
            unitsDelivered: enough ? shown(counts.units, basis: counts.matches) : nil)
    }

    /// `value` rounded to ``roundingBase`` when `basis` (the count it was computed from; the
    /// value itself for a count) reaches ``minimumCount``, else nil.
    static func shown(_ value: Int, basis: Int) -> Int? {
        basis >= minimumCount ? (value + roundingBase / 2) / roundingBase * roundingBase : nil
    }

    static func shown(_ count: Int) -> Int? { shown(count, basis: count) }

    /// Needs by status and their deliveries, for one category or all.
    private struct NeedCounts {
        var needs = 0
        var open = 0
        var fulfilled = 0
        var matches = 0
        var units = 0
    }

    /// The region's needs counted in one pass, per category and in total.
    private static func needFigures(
        in region: RegionScope, on connection: PostgresConnection
    ) throws -> (total: NeedCounts, byCategory: [Int64: NeedCounts]) {
        let rows = try connection.query(
            """
            WITH scoped AS (
                SELECT n.id, n.category_id, n.status FROM needs n JOIN households h ON h.id = n.household_id
                 WHERE h.region_code LIKE $1 || '%'),
            delivered AS (
                SELECT m.need_id, count(*) AS matches, sum(coalesce(m.delivered_units, m.units)) AS units FROM matches m
                 WHERE m.status = 'delivered' GROUP BY m.need_id)
            SELECT s.category_id, count(*) AS needs, count(*) FILTER (WHERE s.status IN ('open', 'matched')) AS open,
                   count(*) FILTER (WHERE s.status = 'fulfilled') AS fulfilled,
                   coalesce(sum(d.matches), 0)::bigint AS matches, coalesce(sum(d.units), 0)::bigint AS units
              FROM scoped s LEFT JOIN delivered d ON d.need_id = s.id
             GROUP BY ROLLUP (s.category_id)
            """, [region.prefix])
        var total = NeedCounts()
        var byCategory: [Int64: NeedCounts] = [:]
        for row in rows {
            let counts = NeedCounts(
                needs: try row.decode(Int.self, "needs"), open: try row.decode(Int.self, "open"),
                fulfilled: try row.decode(Int.self, "fulfilled"), matches: try row.decode(Int.self, "matches"),
                units: try row.decode(Int.self, "units"))
            if let category = try row.decode(Int64?.self, "category_id") {
                byCategory[category] = counts
            } else {
                total = counts
            }
        }
        return (total, byCategory)
    }

    /// Every level-2 category in the taxonomy's order.
    private static func categories(
        on connection: PostgresConnection
    ) throws -> [(id: Int64, code: String, name: String, nameEn: String)] {
        try connection.query(
            """
            SELECT c.id, c.code, c.name_zh, c.name_en FROM categories c JOIN categories g ON g.id = c.parent_id
             ORDER BY g.sort_order, c.sort_order, c.id
            """
        ).map { row in
            (
                try row.decode(Int64.self, "id"), try row.decode(String.self, "code"),
                try row.decode(String.self, "name_zh"), try row.decode(String.self, "name_en")
            )
        }
    }

    /// The charities whose delivered matches in the region reach ``minimumCount``; a smaller
    /// one is left out rather than listed with nulls, since a row's presence would say "at
    /// least one", which is enough to pin a hidden cell when the rows are added up.
    private static func charities(
        in region: RegionScope, on connection: PostgresConnection
    ) throws -> [PublicStats.CharityFigures] {
        try connection.query(
            """
            SELECT ch.id, ch.name, count(*) AS delivered,
                   sum(coalesce(m.delivered_units, m.units)) AS units, count(f.id) AS rated,
                   round(avg(f.satisfaction), 2)::float8 AS average,
                   count(*) FILTER (WHERE m.receipt_status = 'confirmed') AS confirmed,
                   (SELECT count(*) FROM complaints k
                     WHERE k.charity_id = ch.id AND k.status = 'open' AND k.region_code LIKE $1 || '%') AS open_complaints,
                   (SELECT count(*) FROM complaints k
                     WHERE k.charity_id = ch.id AND k.region_code LIKE $1 || '%') AS complaints
              FROM matches m
              JOIN needs n ON n.id = m.need_id
              JOIN households h ON h.id = n.household_id
              JOIN offers o ON o.id = m.offer_id
              JOIN charities ch ON ch.id = o.charity_id
              LEFT JOIN feedback f ON f.match_id = m.id
             WHERE m.status = 'delivered' AND h.region_code LIKE $1 || '%'
             GROUP BY ch.id, ch.name
            HAVING count(*) >= $2
             ORDER BY ch.id
            """, [region.prefix, minimumCount]
        ).map { row in
            let delivered = try row.decode(Int.self, "delivered")
            let rated = try row.decode(Int.self, "rated")
            return PublicStats.CharityFigures(
                charityID: try row.decode(Int64.self, "id"), charityName: try row.decode(String.self, "name"),
                deliveredMatches: shown(delivered),
                deliveredUnits: shown(try row.decode(Int.self, "units"), basis: delivered),
                satisfactionAverage: rated >= minimumCount ? try row.decode(Double?.self, "average") : nil,
                satisfactionCount: shown(rated), confirmedMatches: shown(try row.decode(Int.self, "confirmed")),
                complaintsOpen: shown(try row.decode(Int.self, "open_complaints")),
                complaintsTotal: shown(try row.decode(Int.self, "complaints")))
        }
    }
}
