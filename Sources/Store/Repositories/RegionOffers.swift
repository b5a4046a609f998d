import Foundation
import Matching
import Postgres

/// The offers a coordinator watches: those whose service area reaches the region (a listed
/// region that contains it or lies inside it, or a circle around a place in it), with the
/// charity's name, what is left after pending proposals, filtered, searched, sorted and
/// counted. Read-only: the charities change their own offers.
public struct RegionOfferQuery: Sendable, Equatable {
    public enum Order: String, Sendable, CaseIterable {
        case newest
        /// Most units left first.
        case remaining
        /// The window that closes first, first.
        case expiry
    }

    public var scope: RegionScope?
    public var status: OfferStatus?
    public var category: Int64?
    public var charity: Int64?
    /// Text in the offer's title or the charity's name, or an offer id.
    public var search: String?
    public var order: Order
    public var offset: Int
    public var limit: Int

    public init(
        scope: RegionScope?, status: OfferStatus? = nil, category: Int64? = nil, charity: Int64? = nil,
        search: String? = nil, order: Order = .newest, offset: Int = 0, limit: Int = 50
    ) {
        self.scope = scope
        self.status = status
        self.category = category
        self.charity = charity
        self.search = search
        self.order = order
        self.offset = offset
        self.limit = limit
    }
}

/// An offer as the coordinator's list shows it.
public struct RegionOfferRow: Sendable {
    public var offer: OfferRecord
    public var charityName: String
    /// Units neither allocated nor held by proposals waiting for review.
    public var free: Int
}

extension OfferRepository {
    /// The offers `query` selects, one page of them, and how many there are in all.
    public func regionOffers(_ query: RegionOfferQuery) async throws -> (rows: [RegionOfferRow], total: Int) {
        guard (1...PageRequest<Int64>.maximumLimit).contains(query.limit), query.offset >= 0 else {
            throw StoreError.invalid(field: "limit", reason: "must be between 1 and \(PageRequest<Int64>.maximumLimit)")
        }
        let search = query.search?.trimmingCharacters(in: .whitespaces)
        let ordering =
            switch query.order {
            case .newest: "o.id DESC"
            case .remaining: "free DESC, o.id"
            case .expiry: "o.available_until NULLS LAST, o.id"
            }
        let rows = try await client.query(
            """
            WITH reaching AS (
                SELECT o.id FROM offers o
                 WHERE $1::text IS NULL
                    OR EXISTS (SELECT 1 FROM unnest(o.service_region_prefixes) p
                                WHERE starts_with(p, $1::text) OR starts_with($1::text, p))
                    OR (o.radius_km IS NOT NULL
                        AND EXISTS (SELECT 1 FROM regions r
                                     WHERE r.code LIKE $1::text || '%' AND r.centroid_lat IS NOT NULL
                                       AND 2 * 6371.0088 * asin(least(1, sqrt(
                                               sin(radians(r.centroid_lat - o.center_lat) / 2) ^ 2
                                               + cos(radians(r.centroid_lat)) * cos(radians(o.center_lat))
                                                 * sin(radians(r.centroid_lon - o.center_lon) / 2) ^ 2)))
                                           <= o.radius_km))
            ), chosen AS MATERIALIZED (
                SELECT \(OfferRecord.columns), c.name AS charity_name,
                       o.capacity - o.allocated - coalesce((SELECT sum(m.units) FROM matches m
                                                             WHERE m.offer_id = o.id AND m.status = 'proposed'), 0)
                           AS free
                  FROM offers o JOIN charities c ON c.id = o.charity_id
                 WHERE o.id IN (SELECT id FROM reaching)
                   AND ($2::text IS NULL OR o.status = $2::text)
                   AND ($3::bigint IS NULL OR o.category_id IN (SELECT k.id FROM categories k
                                                                WHERE k.id = $3::bigint OR k.parent_id = $3::bigint))
                   AND ($4::bigint IS NULL OR o.charity_id = $4::bigint)
                   AND ($5::text IS NULL OR o.id = $6::bigint OR strpos(lower(o.title), lower($5::text)) > 0
                        OR strpos(lower(c.name), lower($5::text)) > 0)
            )
            SELECT o.*, (SELECT count(*) FROM chosen) AS total FROM chosen o
             ORDER BY \(ordering) LIMIT $7 OFFSET $8
            """,
            [
                query.scope?.prefix, query.status?.rawValue, query.category, query.charity,
                search.flatMap { $0.isEmpty ? nil : $0 }, Int64(search ?? "") ?? -1, query.limit, query.offset,
            ])
        let total = try rows.first.map { Int(try $0.decode(Int64.self, "total")) } ?? 0
        return (
            try rows.map { row in
                RegionOfferRow(
                    offer: try OfferRecord(row: row), charityName: try row.decode(String.self, "charity_name"),
                    free: Int(try row.decode(Int64.self, "free")))
            }, total
        )
    }
}
