import Foundation
import Matching
import Postgres

/// An audit row with who acted: the account's login, name and role (nil for the system).
public struct AuditLine: Sendable, Equatable, Codable {
    public var entry: AuditEntry
    public var actorLogin: String?
    public var actorRole: UserRole?
    /// The person's name, as the trail reads in sentences.
    public var actorName: String?
}

/// The audit trail as a coordinator may read it: only rows about the region's own entities.
///
/// A row belongs to a region when its entity lies inside: a household, need, match or aid
/// record of a household there, a matching run over a region inside it, or the region
/// itself. Rows about entities without a place (charities, offers, accounts, tokens,
/// imports) show only when the reader wrote them; weight policies show to everyone, since
/// every region's runs use them. Without a scope (an admin) every row shows.
///
/// A page reads the trail newest first and checks each row's entity by its primary key, so
/// it costs the rows passed over: about a page for a county of a county-sized trail, more
/// for a township whose rows are a small share. The trail holds decisions, not data (a run
/// writes one row, not one per proposal), so it stays far smaller than the matches.
public struct ScopedAuditLog: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Rows passing `filter` inside `scope` (nil: all), newest first; `reader` is the user
    /// reading, whose own rows about place-less entities are included.
    public func list(
        _ filter: AuditFilter, within scope: RegionScope?, reader: Int64?, page: PageRequest<Int64> = PageRequest()
    ) async throws -> Page<AuditLine, Int64> {
        let limit = try page.validatedLimit()
        if let prefix = filter.actionPrefix,
            prefix.isEmpty || !prefix.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || "._".contains($0)) })
        {
            throw StoreError.invalid(
                field: "action", reason: "must be a dotted lower-case action such as match.approve")
        }
        if let from = filter.from, let until = filter.until, until <= from {
            throw StoreError.invalid(field: "until", reason: "must be after the start of the range")
        }
        let rows = try await client.query(
            """
            SELECT a.id, a.at, a.actor_user_id, a.action, a.entity_type, a.entity_id, a.reason, a.details,
                   u.login AS actor_login, u.role AS actor_role, u.name AS actor_name
              FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
             WHERE ($1::text IS NULL OR a.entity_type = $1::text)
               AND ($2::text IS NULL OR a.action = $2::text OR starts_with(a.action, $2::text || '.'))
               AND ($3::timestamptz IS NULL OR a.at >= $3::timestamptz)
               AND ($4::timestamptz IS NULL OR a.at < $4::timestamptz)
               AND ($5::bigint IS NULL OR a.id < $5::bigint)
               AND ($6::text IS NULL OR \(Self.inRegion))
             ORDER BY a.id DESC LIMIT $8
            """,
            [
                filter.entityType, filter.actionPrefix, filter.from, filter.until, page.after, scope?.prefix, reader,
                limit + 1,
            ])
        return Page(
            fetched: try rows.map { row in
                AuditLine(
                    entry: try AuditEntry(row: row), actorLogin: try row.decode(String?.self, "actor_login"),
                    actorRole: try row.decode(String?.self, "actor_role").flatMap(UserRole.init(rawValue:)),
                    actorName: try row.decode(String?.self, "actor_name"))
            }, limit: limit
        ) { $0.entry.id }
    }

    /// Whether row `a` is about an entity inside the region prefix `$6`, or is `$7`'s own
    /// row about an entity without a place. A CASE, so an id is cast only once it is known
    /// to be digits.
    private static let inRegion = """
        CASE
            WHEN a.entity_type = 'region' THEN starts_with(a.entity_id, $6::text)
            WHEN a.entity_type = 'weight_policy' THEN true
            WHEN a.entity_type NOT IN ('household', 'need', 'match', 'aid_record', 'match_run')
                THEN coalesce(a.actor_user_id = $7::bigint, false)
            WHEN a.entity_id !~ '^[0-9]{1,18}$' THEN false
            WHEN a.entity_type = 'household' THEN EXISTS (
                SELECT 1 FROM households h WHERE h.id = a.entity_id::bigint AND h.region_code LIKE $6::text || '%')
            WHEN a.entity_type = 'need' THEN EXISTS (
                SELECT 1 FROM needs n JOIN households h ON h.id = n.household_id
                 WHERE n.id = a.entity_id::bigint AND h.region_code LIKE $6::text || '%')
            WHEN a.entity_type = 'match' THEN EXISTS (
                SELECT 1 FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                 WHERE m.id = a.entity_id::bigint AND h.region_code LIKE $6::text || '%')
            WHEN a.entity_type = 'aid_record' THEN EXISTS (
                SELECT 1 FROM aid_records r JOIN households h ON h.id = r.household_id
                 WHERE r.id = a.entity_id::bigint AND h.region_code LIKE $6::text || '%')
            ELSE EXISTS (
                SELECT 1 FROM match_runs r WHERE r.id = a.entity_id::bigint AND r.region_code LIKE $6::text || '%')
        END
        """
}
