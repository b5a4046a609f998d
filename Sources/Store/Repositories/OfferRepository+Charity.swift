import Foundation
import Matching
import Postgres

/// How a charity's offers stand, for the head of its list.
public struct OfferTotals: Sendable, Equatable {
    /// Offers by status; a status without offers is absent.
    public var byStatus: [OfferStatus: Int]
    /// Units of the open and paused offers: in all, and reserved by live or delivered matches.
    public var capacity: Int
    public var allocated: Int

    /// Offers of every status.
    public var count: Int { byStatus.values.reduce(0, +) }
}

/// One page of a charity's offers, with whether there are offers before and after it.
public struct OfferPage: Sendable {
    public var items: [OfferRecord]
    /// The `before` cursor of the previous page, when there is one.
    public var previousCursor: Int64?
    /// The `after` cursor of the next page, when there is one.
    public var nextCursor: Int64?
}

extension OfferRepository {
    /// The counts and units of `charity`'s offers.
    public func totals(charity: Int64) async throws -> OfferTotals {
        let rows = try await client.query(
            """
            SELECT status, count(*)::bigint AS offers,
                   coalesce(sum(capacity) FILTER (WHERE status <> 'closed'), 0)::bigint AS capacity,
                   coalesce(sum(allocated) FILTER (WHERE status <> 'closed'), 0)::bigint AS allocated
              FROM offers WHERE charity_id = $1 GROUP BY status
            """, [charity])
        var totals = OfferTotals(byStatus: [:], capacity: 0, allocated: 0)
        for row in rows {
            totals.byStatus[try row.decodeCode(OfferStatus.self, "status")] = try row.decode(Int.self, "offers")
            totals.capacity += try row.decode(Int.self, "capacity")
            totals.allocated += try row.decode(Int.self, "allocated")
        }
        return totals
    }

    /// `charity`'s offers by id, optionally of one status, `limit` at a time: after `after`,
    /// or the page just before `before` (for a "previous" link), or the first page.
    public func page(
        charity: Int64, status: OfferStatus? = nil, after: Int64? = nil, before: Int64? = nil, limit: Int = 50
    ) async throws -> OfferPage {
        let limit = try PageRequest<Int64>(after: nil, limit: limit).validatedLimit()
        let backwards = before != nil && after == nil
        let rows = try await client.query(
            """
            SELECT \(OfferRecord.columns) FROM offers o
             WHERE o.charity_id = $1 AND ($2::text IS NULL OR o.status = $2::text)
               AND ($3::bigint IS NULL OR o.id > $3::bigint) AND ($4::bigint IS NULL OR o.id < $4::bigint)
             ORDER BY CASE WHEN $5::boolean THEN -o.id ELSE o.id END LIMIT $6
            """, [charity, status?.rawValue, backwards ? nil : after, backwards ? before : nil, backwards, limit + 1])
        var items = try rows.map(OfferRecord.init(row:))
        let more = items.count > limit
        if more { items.removeLast() }
        if backwards { items.reverse() }
        guard let first = items.first, let last = items.last else {
            return OfferPage(items: [], previousCursor: nil, nextCursor: nil)
        }
        var earlier = backwards && more
        if !backwards, after != nil { earlier = try await exists(charity, status, below: first.id) }
        let later = backwards || more
        return OfferPage(
            items: items, previousCursor: earlier ? first.id : nil, nextCursor: later ? last.id : nil)
    }

    private func exists(_ charity: Int64, _ status: OfferStatus?, below id: Int64) async throws -> Bool {
        try await client.query(
            """
            SELECT EXISTS (SELECT 1 FROM offers WHERE charity_id = $1 AND ($2::text IS NULL OR status = $2::text)
                                                  AND id < $3) AS e
            """, [charity, status?.rawValue, id])[0].decode(Bool.self, "e")
    }
}

extension RegionRepository {
    /// Every county and township (区县, 乡镇/街道) on the map, by code, at most `limit`: what a
    /// charity picks its offers' service areas from (a county serves all its townships).
    public func serviceAreas(limit: Int = 500) async throws -> [RegionRecord] {
        try await client.query(
            "SELECT \(RegionRecord.columns) FROM regions WHERE level IN (3, 4) ORDER BY code LIMIT $1", [limit]
        ).map(RegionRecord.init(row:))
    }
}
