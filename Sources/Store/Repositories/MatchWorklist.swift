import Foundation
import Matching
import Postgres

/// A coordinator's working list of matches: the proposals to review across every run, or
/// the approved, accepted, delivered and soon-expiring matches to follow, narrowed by the
/// filters the pages offer, sorted, counted and read a page at a time in both directions.
///
/// Unlike the API's keyset lists this one pages by position: the pages sort by score or
/// date and show "page 3 of 12", and a coordinator's region holds thousands of matches, not
/// millions, so counting and skipping stay cheap (the region's matches are found through
/// its households, as ``MatchSelection`` does for a township).
public struct MatchWorklistQuery: Sendable, Equatable {
    /// How the rows are ordered.
    public enum Order: String, Sendable, CaseIterable {
        /// Oldest first, by id: the order proposals were made.
        case oldest
        case newest
        /// Highest score first.
        case score
        /// The hold that lapses first, first.
        case expiry
    }

    /// Status, run, hand-made, category, charity and region (the caller's reach).
    public var filter: MatchFilter
    /// Only matches in one of these statuses (nil: as ``MatchFilter/status`` says).
    public var statuses: [MatchStatus]?
    /// Only matches whose hold lapses before this instant (and has not yet).
    public var holdLapsesBefore: Date?
    public var scoreMicro: ClosedRange<Int64>?
    /// Made at or after `createdFrom` and before `createdBefore`.
    public var createdFrom: Date?
    public var createdBefore: Date?
    /// Text found in the household's case number, the offer's title or the charity's name,
    /// or a match or need id.
    public var search: String?
    public var order: Order
    public var offset: Int
    public var limit: Int

    public init(
        filter: MatchFilter, statuses: [MatchStatus]? = nil, holdLapsesBefore: Date? = nil,
        scoreMicro: ClosedRange<Int64>? = nil, createdFrom: Date? = nil, createdBefore: Date? = nil,
        search: String? = nil, order: Order = .oldest, offset: Int = 0, limit: Int = 50
    ) {
        self.filter = filter
        self.statuses = statuses
        self.holdLapsesBefore = holdLapsesBefore
        self.scoreMicro = scoreMicro
        self.createdFrom = createdFrom
        self.createdBefore = createdBefore
        self.search = search
        self.order = order
        self.offset = offset
        self.limit = limit
    }
}

/// One page of a worklist and the number of matches on all its pages.
public struct MatchWorklistPage: Sendable {
    public var rows: [MatchReviewRow]
    public var total: Int
}

extension MatchRepository {
    /// The matches `query` selects, its page of them with their need, place and offer.
    public func worklist(_ query: MatchWorklistQuery, now: Date = Date()) async throws -> MatchWorklistPage {
        guard (1...PageRequest<Int64>.maximumLimit).contains(query.limit) else {
            throw StoreError.invalid(field: "limit", reason: "must be between 1 and \(PageRequest<Int64>.maximumLimit)")
        }
        guard query.offset >= 0 else { throw StoreError.invalid(field: "offset", reason: "must not be negative") }
        var selection = MatchSelection(query.filter)
        var conditions = selection.conditions
        if let statuses = query.statuses {
            conditions += " AND m.status = ANY(\(selection.bind(statuses.map(\.rawValue)))::text[])"
        }
        if let lapse = query.holdLapsesBefore {
            conditions +=
                " AND m.hold_expires_at > \(selection.bind(now)) AND m.hold_expires_at < \(selection.bind(lapse))"
        }
        if let score = query.scoreMicro {
            let low = selection.bind(score.lowerBound), high = selection.bind(score.upperBound)
            conditions += " AND m.score_micro BETWEEN \(low) AND \(high)"
        }
        if let from = query.createdFrom { conditions += " AND m.created_at >= \(selection.bind(from))" }
        if let before = query.createdBefore { conditions += " AND m.created_at < \(selection.bind(before))" }
        if let search = query.search.map({ $0.trimmingCharacters(in: .whitespaces) }), !search.isEmpty {
            let text = selection.bind(search)
            let id = selection.bind(Int64(search) ?? -1)
            conditions += """
                 AND (m.id = \(id) OR m.need_id = \(id)
                      OR EXISTS (SELECT 1 FROM needs sn JOIN households sh ON sh.id = sn.household_id
                                  WHERE sn.id = m.need_id AND strpos(sh.case_number, \(text)) > 0)
                      OR EXISTS (SELECT 1 FROM offers so JOIN charities sc ON sc.id = so.charity_id
                                  WHERE so.id = m.offer_id
                                    AND (strpos(lower(so.title), lower(\(text))) > 0
                                         OR strpos(lower(sc.name), lower(\(text))) > 0)))
                """
        }
        let chosen =
            "SELECT m.id, m.score_micro, m.created_at, m.hold_expires_at FROM \(selection.tables) "
            + "WHERE true\(conditions)"
        func ordering(_ table: String) -> String {
            switch query.order {
            case .oldest: "\(table)id"
            case .newest: "\(table)id DESC"
            case .score: "\(table)score_micro DESC NULLS LAST, \(table)id"
            case .expiry: "\(table)hold_expires_at NULLS LAST, \(table)id"
            }
        }
        let limit = selection.bind(query.limit)
        let offset = selection.bind(query.offset)
        let rows = try await client.query(
            """
            WITH chosen AS MATERIALIZED (\(chosen)),
                 picked AS (SELECT id FROM chosen ORDER BY \(ordering("")) LIMIT \(limit) OFFSET \(offset))
            SELECT m.*, n.category_id, n.urgency, n.emergency, n.household_id, h.case_number,
                   h.region_code AS household_region, t.name AS township_name, o.title AS offer_title,
                   c.id AS charity_id, c.name AS charity_name, (SELECT count(*) FROM chosen) AS total
              FROM (SELECT \(MatchRecord.columns) FROM matches WHERE id IN (SELECT id FROM picked)) m
              JOIN needs n ON n.id = m.need_id
              JOIN households h ON h.id = n.household_id
              JOIN offers o ON o.id = m.offer_id
              JOIN charities c ON c.id = o.charity_id
              LEFT JOIN regions t ON t.code = left(h.region_code, 9) || '000'
             ORDER BY \(ordering("m."))
            """, selection.parameters)
        var total = try rows.first.map { Int(try $0.decode(Int64.self, "total")) }
        if total == nil {
            // A page past the end: count without fetching, so the pages still say how many there are.
            total = Int(
                try await client.query(
                    "WITH chosen AS (\(chosen)) SELECT count(*) AS total FROM chosen",
                    Array(selection.parameters.dropLast(2)))[0].decode(Int64.self, "total"))
        }
        return MatchWorklistPage(rows: try rows.map(MatchReviewRow.init(row:)), total: total ?? 0)
    }

    /// The runs that still have proposals waiting in `scope`, newest first, with how many:
    /// the choices of the review's run filter.
    public func runsWithProposals(within scope: RegionScope?) async throws -> [(run: Int64, waiting: Int)] {
        try await client.query(
            """
            SELECT m.run_id, count(*) AS waiting
              FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
             WHERE m.status = 'proposed' AND m.run_id IS NOT NULL AND h.region_code LIKE $1 || '%'
             GROUP BY m.run_id ORDER BY m.run_id DESC
            """, [scope?.prefix ?? ""]
        ).map { (try $0.decode(Int64.self, "run_id"), Int(try $0.decode(Int64.self, "waiting"))) }
    }
}
