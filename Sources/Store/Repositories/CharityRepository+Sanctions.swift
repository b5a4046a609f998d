import Foundation
import Matching
import Postgres

/// A coordinator's suspension of a charity inside their region: while it is in force the
/// charity's offers do not serve the households there (runs, candidate lists, approvals and
/// acceptances refuse the pair), its live matches there are taken over (``Takeover``), and
/// everywhere else the charity carries on.
public struct RegionalSuspension: Sendable, Equatable, Codable {
    public var region: String
    public var reason: String
    public var suspendedAt: Date
}

extension CharityRepository {
    /// Suspends the charity as far as `principal` reaches: an administrator everywhere (its
    /// status becomes `suspended`), a coordinator only inside their region, and only a
    /// charity at work there (else it reads as missing). The reason is shown to the charity
    /// and kept in the audit trail.
    public func suspend(
        charity id: Int64, by principal: Principal, reason: String, idempotency: IdempotencyClaim? = nil
    ) async throws -> CharityRecord {
        try principal.authorize(.suspendCharity)
        guard let scope = principal.regionLimit else {
            return try await suspend(charity: id, by: principal.actor, reason: reason, idempotency: idempotency)
        }
        let reason = try requiredText(reason, field: "reason", maxLength: 500)
        return try await client.withTransaction { connection in
            try idempotency?.begin(on: connection)
            let record = try Self.lockAtWork(id, in: scope, on: connection)
            do {
                try connection.query(
                    """
                    INSERT INTO charity_suspensions (charity_id, region_prefix, reason, suspended_by)
                    VALUES ($1, $2, $3, $4)
                    """, [id, scope.prefix, reason, principal.userID])
            } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                throw StoreError.invalidTransition(
                    entity: .charity, id: String(id), from: "suspended in region \(scope.prefix)",
                    action: "suspended there again")
            }
            try AuditTrail.record(
                on: connection, actor: principal.actor, action: "charity.suspend", entityType: "charity",
                entityID: String(id), reason: reason, details: ["region": scope.prefix])
            try Takeover.start(
                on: connection, charity: id, cause: .regionalSuspension, within: scope, by: principal.actor)
            try idempotency?.complete(.init(entity: .charity, id: id, created: false), on: connection)
            return record
        }
    }

    /// Bans the charity everywhere until `until` (nil: for good): an administrator's power.
    public func ban(
        charity id: Int64, until: Date?, by principal: Principal, reason: String, idempotency: IdempotencyClaim? = nil
    ) async throws -> CharityRecord {
        try principal.authorize(.banCharity)
        return try await ban(charity: id, until: until, by: principal.actor, reason: reason, idempotency: idempotency)
    }

    /// Lifts what `principal` may lift: an administrator a suspension or ban everywhere and
    /// every regional suspension, a coordinator the suspensions in force inside their region.
    /// Nothing to lift is ``StoreError/invalidTransition(entity:id:from:action:)``. A
    /// `reason`, if given, is kept in the audit trail.
    public func reinstate(
        charity id: Int64, by principal: Principal, reason: String? = nil, idempotency: IdempotencyClaim? = nil
    ) async throws -> CharityRecord {
        try principal.authorize(.reinstateCharity)
        let reason = try optionalText(reason, field: "reason", maxLength: 500)
        let scope = principal.regionLimit
        return try await client.withTransaction { connection in
            try idempotency?.begin(on: connection)
            let record =
                try scope.map { try Self.lockAtWork(id, in: $0, on: connection) }
                ?? Self.lockAtWork(id, in: nil, on: connection)
            let lifted = try connection.query(
                """
                UPDATE charity_suspensions SET lifted_at = now(), lifted_by = $3
                 WHERE charity_id = $1 AND lifted_at IS NULL AND ($2::text IS NULL OR region_prefix LIKE $2::text || '%')
                RETURNING region_prefix
                """, [id, scope?.prefix, principal.userID]
            ).map { try $0.decode(String.self, "region_prefix") }
            var current = record
            if scope == nil, record.status != .active {
                current = try CharityRecord(
                    row: try connection.query(
                        """
                        UPDATE charities SET status = 'active', banned_until = NULL, status_reason = NULL,
                               version = version + 1
                         WHERE id = $1 RETURNING \(CharityRecord.columns)
                        """, [id])[0])
            } else if lifted.isEmpty {
                throw StoreError.invalidTransition(
                    entity: .charity, id: String(id),
                    from: scope.map { "not suspended in region \($0.prefix)" } ?? record.status.rawValue,
                    action: "reinstated")
            }
            try AuditTrail.record(
                on: connection, actor: principal.actor, action: "charity.reinstate", entityType: "charity",
                entityID: String(id), reason: reason,
                details: [
                    "from": record.status.rawValue, "to": current.status.rawValue,
                    "regions": lifted.joined(separator: ","),
                ])
            try idempotency?.complete(.init(entity: .charity, id: id, created: false), on: connection)
            return current
        }
    }

    /// The charity if `principal` may take `action` (a suspension or a reinstatement) on
    /// it: an administrator any, a coordinator one at work in their region; else nil, as a
    /// missing one.
    public func charity(
        id: Int64, sanctionableBy principal: Principal, for action: Action
    ) async throws -> CharityRecord? {
        try principal.authorize(action)
        return try await RegionalCharities(client: client).charity(id: id, within: principal.regionLimit)
    }

    /// The regional suspensions of the charity in force inside `scope` (nil: everywhere).
    public func suspensions(of id: Int64, within scope: RegionScope?) async throws -> [RegionalSuspension] {
        try await client.query(
            """
            SELECT region_prefix, reason, suspended_at FROM charity_suspensions
             WHERE charity_id = $1 AND lifted_at IS NULL
               AND ($2::text IS NULL OR region_prefix LIKE $2::text || '%' OR $2::text LIKE region_prefix || '%')
             ORDER BY region_prefix
            """, [id, scope?.prefix]
        ).map {
            RegionalSuspension(
                region: try $0.decode(String.self, "region_prefix"), reason: try $0.decode(String.self, "reason"),
                suspendedAt: try $0.decode(Date.self, "suspended_at"))
        }
    }

    /// The charity locked for update if it is at work in `scope` (nil: anywhere), else
    /// ``StoreError/notFound(entity:id:)`` as if it did not exist.
    private static func lockAtWork(
        _ id: Int64, in scope: RegionScope?, on connection: PostgresConnection
    ) throws
        -> CharityRecord
    {
        let rows = try connection.query(
            """
            SELECT \(CharityRecord.columns) FROM charities c
             WHERE c.id = $2 AND (\(RegionalCharities.atWork)) FOR UPDATE OF c
            """, [scope?.prefix, id])
        guard let row = rows.first else { throw StoreError.notFound(entity: .charity, id: String(id)) }
        return try CharityRecord(row: row)
    }
}
