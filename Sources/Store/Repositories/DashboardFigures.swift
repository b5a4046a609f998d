import Foundation
import Matching
import Postgres

/// What a coordinator's overview shows for a region: where needs stand, how much of the
/// offers is used, where needs go unmet (the resource-gap map), the weekly flow of
/// matches, and how satisfied households are with each charity.
public struct OverviewFigures: Sendable, Equatable {
    /// Unmet open needs of one township in one category, the units they still lack, and the
    /// units that open offers able to serve that township in that category still have.
    ///
    /// Supply is what could reach the township, not a share of it: an offer serving the whole
    /// county counts in each of its townships, so supply does not add up across rows.
    public struct GapCell: Sendable, Equatable {
        public var townshipCode: String
        public var townshipName: String
        public var categoryID: Int64
        public var categoryCode: String
        public var unmetNeeds: Int
        public var unmetUnits: Int
        public var supplyUnits: Int
    }

    /// Matches proposed and delivered in one week (starting Monday, `yyyy-mm-dd`).
    public struct Week: Sendable, Equatable {
        public var start: String
        public var proposed: Int
        public var delivered: Int
    }

    /// One charity's delivered matches in the region and the households' mean satisfaction.
    public struct CharitySatisfaction: Sendable, Equatable {
        public var charityID: Int64
        public var charityName: String
        public var delivered: Int
        public var satisfactionAverage: Double?
        public var satisfactionCount: Int
    }

    public var openNeeds: Int
    /// Open needs with no live match (proposed, approved or accepted).
    public var unmetNeeds: Int
    public var matchesByStatus: [MatchStatus: Int]
    /// Units allocated and offered by open offers serving the region.
    public var allocatedUnits: Int
    public var capacityUnits: Int
    public var gaps: [GapCell]
    public var weeks: [Week]
    public var charities: [CharitySatisfaction]
}

/// The aggregates of the dashboard's overview, computed in SQL over one region.
public struct DashboardFigures: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// The overview of `scope` (nil: everywhere), with `weeks` weeks of history up to `now`.
    public func overview(
        within scope: RegionScope?, weeks: Int = 12, now: Date = Date()
    ) async throws
        -> OverviewFigures
    {
        let prefix = scope?.prefix ?? ""
        return try await client.withConnection { connection in
            let needs = try connection.query(
                """
                SELECT count(*) FILTER (WHERE n.status = 'open') AS open,
                       count(*) FILTER (WHERE n.status = 'open' AND NOT EXISTS (
                           SELECT 1 FROM matches m WHERE m.need_id = n.id
                              AND m.status IN ('proposed', 'approved', 'accepted'))) AS unmet
                  FROM needs n JOIN households h ON h.id = n.household_id
                 WHERE h.region_code LIKE $1 || '%'
                """, [prefix])[0]
            var byStatus: [MatchStatus: Int] = [:]
            for row in try connection.query(
                """
                SELECT m.status, count(*) AS count
                  FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                 WHERE h.region_code LIKE $1 || '%' GROUP BY m.status
                """, [prefix])
            {
                byStatus[try row.decodeCode(MatchStatus.self, "status")] = try row.decode(Int.self, "count")
            }
            let capacity = try connection.query(
                """
                SELECT coalesce(sum(o.allocated), 0)::bigint AS allocated, coalesce(sum(o.capacity), 0)::bigint AS capacity
                  FROM offers o
                 WHERE o.status = 'open' AND ($1 = '' OR EXISTS (
                       SELECT 1 FROM unnest(o.service_region_prefixes) p
                        WHERE starts_with(p, $1) OR starts_with($1, p)))
                """, [prefix])[0]
            return OverviewFigures(
                openNeeds: try needs.decode(Int.self, "open"), unmetNeeds: try needs.decode(Int.self, "unmet"),
                matchesByStatus: byStatus, allocatedUnits: try capacity.decode(Int.self, "allocated"),
                capacityUnits: try capacity.decode(Int.self, "capacity"),
                gaps: try Self.gaps(prefix, on: connection), weeks: try Self.weeks(prefix, weeks, now, on: connection),
                charities: try Self.charities(prefix, on: connection))
        }
    }

    private static func gaps(_ prefix: String, on connection: PostgresConnection) throws -> [OverviewFigures.GapCell] {
        try connection.query(
            """
            WITH unmet AS (
                SELECT left(h.region_code, 9) || '000' AS township, n.category_id, count(*) AS needs,
                       sum(n.quantity - n.fulfilled_quantity - coalesce(live.units, 0))::bigint AS units
                  FROM needs n
                  JOIN households h ON h.id = n.household_id
                  LEFT JOIN LATERAL (SELECT sum(m.units) AS units FROM matches m
                                      WHERE m.need_id = n.id AND m.status IN ('proposed', 'approved', 'accepted')) live
                         ON true
                 WHERE h.region_code LIKE $1 || '%' AND n.status = 'open'
                   AND n.quantity - n.fulfilled_quantity - coalesce(live.units, 0) > 0
                 GROUP BY 1, 2
            ), supply AS (
                SELECT o.id, o.category_id, o.service_region_prefixes, o.center_lat, o.center_lon, o.radius_km,
                       o.capacity - o.allocated - coalesce((SELECT sum(m.units) FROM matches m
                                                             WHERE m.offer_id = o.id AND m.status = 'proposed'), 0)
                           AS free
                  FROM offers o JOIN charities ch ON ch.id = o.charity_id
                 WHERE o.status = 'open' AND ch.status = 'active' AND o.available_from <= now()
                   AND (o.available_until IS NULL OR o.available_until > now())
            )
            SELECT u.township, t.name AS township_name, c.id AS category_id, c.code AS category,
                   u.needs AS unmet, u.units AS unmet_units,
                   (SELECT coalesce(sum(greatest(s.free, 0)), 0) FROM supply s
                     WHERE (s.category_id = c.id OR s.category_id = c.parent_id)
                       AND (EXISTS (SELECT 1 FROM unnest(s.service_region_prefixes) p
                                     WHERE starts_with(u.township, p) OR starts_with(p, left(u.township, 9)))
                            OR (s.radius_km IS NOT NULL AND t.centroid_lat IS NOT NULL
                                AND 2 * 6371.0088 * asin(least(1, sqrt(
                                        sin(radians(t.centroid_lat - s.center_lat) / 2) ^ 2
                                        + cos(radians(t.centroid_lat)) * cos(radians(s.center_lat))
                                          * sin(radians(t.centroid_lon - s.center_lon) / 2) ^ 2))) <= s.radius_km))
                   )::bigint AS supply_units
              FROM unmet u
              JOIN regions t ON t.code = u.township
              JOIN categories c ON c.id = u.category_id
             ORDER BY u.township, c.code
            """, [prefix]
        ).map { row in
            OverviewFigures.GapCell(
                townshipCode: try row.decode(String.self, "township"),
                townshipName: try row.decode(String.self, "township_name"),
                categoryID: try row.decode(Int64.self, "category_id"),
                categoryCode: try row.decode(String.self, "category"), unmetNeeds: try row.decode(Int.self, "unmet"),
                unmetUnits: try row.decode(Int.self, "unmet_units"),
                supplyUnits: try row.decode(Int.self, "supply_units"))
        }
    }

    private static func weeks(
        _ prefix: String, _ count: Int, _ now: Date, on connection: PostgresConnection
    ) throws -> [OverviewFigures.Week] {
        try connection.query(
            """
            WITH span AS (
                SELECT generate_series(date_trunc('week', $2::timestamptz) - make_interval(weeks => $3::integer - 1),
                                       date_trunc('week', $2::timestamptz), interval '1 week') AS start)
            SELECT to_char(s.start, 'YYYY-MM-DD') AS start,
                   count(m.id) FILTER (WHERE date_trunc('week', m.created_at) = s.start) AS proposed,
                   count(m.id) FILTER (WHERE m.status = 'delivered' AND date_trunc('week', m.decided_at) = s.start)
                       AS delivered
              FROM span s
              LEFT JOIN (SELECT m.id, m.created_at, m.decided_at, m.status
                           FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                          WHERE h.region_code LIKE $1 || '%'
                            AND m.created_at >= $2::timestamptz - make_interval(weeks => $3::integer + 1)) m
                     ON date_trunc('week', m.created_at) = s.start OR date_trunc('week', m.decided_at) = s.start
             GROUP BY s.start ORDER BY s.start
            """, [prefix, now, count]
        ).map { row in
            OverviewFigures.Week(
                start: try row.decode(String.self, "start"), proposed: try row.decode(Int.self, "proposed"),
                delivered: try row.decode(Int.self, "delivered"))
        }
    }

    private static func charities(
        _ prefix: String, on connection: PostgresConnection
    ) throws -> [OverviewFigures.CharitySatisfaction] {
        try connection.query(
            """
            SELECT ch.id, ch.name, count(m.id) AS delivered, avg(f.satisfaction)::float8 AS average,
                   count(f.id) AS ratings
              FROM matches m
              JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
              JOIN offers o ON o.id = m.offer_id JOIN charities ch ON ch.id = o.charity_id
              LEFT JOIN feedback f ON f.match_id = m.id
             WHERE h.region_code LIKE $1 || '%' AND m.status = 'delivered'
             GROUP BY ch.id, ch.name
             ORDER BY count(m.id) DESC, ch.id
             LIMIT 15
            """, [prefix]
        ).map { row in
            OverviewFigures.CharitySatisfaction(
                charityID: try row.decode(Int64.self, "id"), charityName: try row.decode(String.self, "name"),
                delivered: try row.decode(Int.self, "delivered"),
                satisfactionAverage: try row.decode(Double?.self, "average"),
                satisfactionCount: try row.decode(Int.self, "ratings"))
        }
    }
}
