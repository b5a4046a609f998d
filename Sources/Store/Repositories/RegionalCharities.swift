import Foundation
import Matching
import Postgres

/// The charities at work in a region: those with an offer whose service area overlaps it,
/// or with a match for a household inside it. A coordinator watches and sanctions these,
/// not every organisation in the country.
///
/// A service area overlaps the region when one prefix contains the other (an offer for the
/// whole city serves each of its townships, and a township offer serves its county), the
/// same rule the overview uses for the offers serving a region.
public struct RegionalCharities: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// The charities at work in `scope` (nil: every charity), by id, a page at a time.
    public func list(
        within scope: RegionScope?, page: PageRequest<Int64> = PageRequest()
    ) async throws -> Page<CharityRecord, Int64> {
        let limit = try page.validatedLimit()
        let rows = try await client.query(
            """
            SELECT \(CharityRecord.columns) FROM charities c
             WHERE c.id > $2 AND (\(Self.atWork))
             ORDER BY c.id LIMIT $3
            """, [scope?.prefix, page.after ?? 0, limit + 1])
        return Page(fetched: try rows.map(CharityRecord.init(row:)), limit: limit) { $0.id }
    }

    /// The charity if it is at work in `scope` (nil: anywhere), else nil: a charity outside
    /// reads like a missing one.
    public func charity(id: Int64, within scope: RegionScope?) async throws -> CharityRecord? {
        try await client.query(
            "SELECT \(CharityRecord.columns) FROM charities c WHERE c.id = $2 AND (\(Self.atWork))",
            [scope?.prefix, id]
        ).first.map(CharityRecord.init(row:))
    }

    /// The names of the charities at work in `scope`, by name: the choices of a filter.
    public func names(within scope: RegionScope?) async throws -> [CharityName] {
        try await client.query(
            "SELECT c.id, c.name FROM charities c WHERE \(Self.atWork) ORDER BY c.name, c.id", [scope?.prefix]
        ).map { CharityName(id: try $0.decode(Int64.self, "id"), name: try $0.decode(String.self, "name")) }
    }

    /// Whether charity `c` is at work in the region whose prefix is `$1` (NULL: everywhere).
    /// The charities are gathered from the region's offers and matches once, so the cost
    /// follows the region's size, not the number of charities or of their matches elsewhere.
    static let atWork = """
        $1::text IS NULL OR c.id IN (
            SELECT o.charity_id FROM offers o, unnest(o.service_region_prefixes) p
             WHERE starts_with(p, $1::text) OR starts_with($1::text, p)
            UNION
            SELECT o.charity_id FROM households h
              JOIN needs n ON n.household_id = h.id
              JOIN matches m ON m.need_id = n.id
              JOIN offers o ON o.id = m.offer_id
             WHERE h.region_code LIKE $1::text || '%')
        """
}
