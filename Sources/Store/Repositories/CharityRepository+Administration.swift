import Foundation
import Postgres

/// An administrator's register of charities, checked against the access policy first.
extension CharityRepository {
    /// Registers a charity on an administrator's behalf; see ``register(_:creditCode:by:idempotency:)``.
    public func register(
        _ profile: CharityProfile, creditCode: String, by principal: Principal
    ) async throws -> CharityRecord {
        try principal.authorize(.registerCharity)
        return try await register(profile, creditCode: creditCode, by: principal.actor)
    }

    /// Every charity by name, optionally of one status, with the total: the administrator's
    /// register (coordinators see only those at work in their region, through
    /// ``RegionalCharities``).
    public func allCharities(
        status: CharityStatus? = nil, offset: Int = 0, limit: Int = 25, by principal: Principal
    ) async throws -> CountedPage<CharityRecord> {
        try principal.authorize(.registerCharity)
        let (offset, limit) = try CountedPage<CharityRecord>.validated(offset: offset, limit: limit)
        let rows = try await client.query(
            """
            SELECT \(CharityRecord.columns), count(*) OVER () AS total FROM charities
             WHERE $1::text IS NULL OR status = $1::text ORDER BY name, id OFFSET $2 LIMIT $3
            """, [status?.rawValue, offset, limit])
        var total = try rows.first?.decode(Int.self, "total")
        if total == nil { total = try await count(status: status) }
        return CountedPage(
            items: try rows.map(CharityRecord.init(row:)), total: total ?? 0, offset: offset, limit: limit)
    }

    /// Charities of a status (all: nil), for a page past the end, which has no rows to count on.
    private func count(status: CharityStatus?) async throws -> Int {
        try await client.query(
            "SELECT count(*) AS n FROM charities WHERE $1::text IS NULL OR status = $1::text", [status?.rawValue]
        )[0].decode(Int.self, "n")
    }
}
