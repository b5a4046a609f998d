import Foundation
import Matching
import Postgres

/// What households need: recorded and corrected by caseworkers, read within their region,
/// cancelled when no longer wanted.
///
/// A need belongs to its household's region: a need outside the caller's scope is treated
/// exactly like a missing one. Every write is one transaction with one `audit_log` row for
/// the need; cancelling also cancels its live matches through the match lifecycle.
public struct NeedRepository: Sendable {
    let client: PostgresClient
    private let today: @Sendable () -> Int

    /// `today` (`yyyymmdd`, default today in China) is the earliest `needed_by` accepted.
    public init(client: PostgresClient, today: (@Sendable () -> Int)? = nil) {
        self.client = client
        self.today = today ?? { CivilDate.today() }
    }

    /// Records a need of `household` in a level-2 category. A household that already has an
    /// open or matched need in that category is a ``StoreError/conflict(_:)``, as in the roll
    /// import: the existing need is updated instead.
    public func record(
        household: Int64, category: Int64, _ details: NeedDetails, within scope: RegionScope? = nil,
        by actor: Actor, idempotency: IdempotencyClaim? = nil
    ) async throws -> NeedRecord {
        let today = self.today()
        return try await client.withTransaction { connection in
            try idempotency?.begin(on: connection)
            let members = try HouseholdRepository.lock(household, within: scope, on: connection).members
            let category = try CategoryRepository.category(id: category, field: "category_id", on: connection)
            let details = try details.validated(category: category, members: members, today: today)
            let open = try connection.query(
                """
                SELECT id FROM needs WHERE household_id = $1 AND category_id = $2 AND status IN ('open', 'matched')
                """, [household, category.id])
            if let existing = open.first {
                throw StoreError.conflict(
                    .needAlreadyOpen(
                        household: household, need: try existing.decode(Int64.self, "id"), category: category.code))
            }
            let rows = try connection.query(
                """
                WITH n AS (
                    INSERT INTO needs (household_id, category_id, quantity, unit, urgency, emergency, needed_by,
                                       description, recorded_by)
                    VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, $9) RETURNING *)
                SELECT \(NeedRecord.columns) FROM n
                """,
                [
                    household, category.id, details.quantity, details.unit, details.urgency, details.isEmergency,
                    details.neededBy, details.description, actor.userID,
                ])
            let record = try NeedRecord(row: rows[0])
            try AuditTrail.record(
                on: connection, actor: actor, action: "need.record", entityType: "need", entityID: String(record.id),
                details: ["household": household, "category": category.id, "quantity": Int64(details.quantity)])
            try idempotency?.complete(.init(entity: .need, id: record.id, created: true), on: connection)
            return record
        }
    }

    /// The need, or nil when it does not exist or its household lies outside `scope`.
    public func need(id: Int64, within scope: RegionScope? = nil) async throws -> NeedRecord? {
        try await client.query(
            """
            SELECT \(NeedRecord.columns) FROM needs n JOIN households h ON h.id = n.household_id
             WHERE n.id = $1 AND ($2::text IS NULL OR h.region_code LIKE $2::text || '%')
            """, [id, scope?.prefix]
        ).first.map(NeedRecord.init(row:))
    }

    /// Needs of households inside `scope`, by id, optionally of one status, category or household.
    public func list(
        within scope: RegionScope?, status: NeedStatus? = nil, category: Int64? = nil, household: Int64? = nil,
        page: PageRequest<Int64> = PageRequest()
    ) async throws -> Page<NeedRecord, Int64> {
        let limit = try page.validatedLimit()
        let rows = try await client.query(
            """
            SELECT \(NeedRecord.columns) FROM needs n JOIN households h ON h.id = n.household_id
             WHERE ($1::text IS NULL OR h.region_code LIKE $1::text || '%')
               AND ($2::text IS NULL OR n.status = $2::text) AND ($3::bigint IS NULL OR n.category_id = $3::bigint)
               AND ($4::bigint IS NULL OR n.household_id = $4::bigint) AND n.id > $5
             ORDER BY n.id LIMIT $6
            """, [scope?.prefix, status?.rawValue, category, household, page.after ?? 0, limit + 1])
        return Page(fetched: try rows.map(NeedRecord.init(row:)), limit: limit) { $0.id }
    }

    /// Replaces the details of an open need still at `ifVersion` (nil: whatever it is at). The
    /// quantity may not drop below what is delivered or reserved for it.
    public func update(
        need id: Int64, _ details: NeedDetails, ifVersion: Int?, within scope: RegionScope? = nil, by actor: Actor
    ) async throws -> NeedRecord {
        let today = self.today()
        return try await client.withTransaction { connection in
            let current = try Self.lock(id, within: scope, on: connection)
            try checkVersion(ifVersion, current: current.version, entity: .need, id: id)
            guard current.status == .open else {
                throw StoreError.invalidTransition(
                    entity: .need, id: String(id), from: current.status.rawValue, action: "updated")
            }
            let category = try CategoryRepository.category(
                id: current.categoryID, field: "category_id", on: connection)
            let members = try connection.query(
                "SELECT members FROM households WHERE id = $1", [current.householdID])[0].decode(Int.self, "members")
            let details = try details.validated(category: category, members: members, today: today)
            let committed =
                try connection.query(
                    """
                    SELECT coalesce(sum(units), 0) AS units FROM matches
                     WHERE need_id = $1 AND status IN ('approved', 'accepted')
                    """, [id])[0].decode(Int.self, "units") + current.fulfilledQuantity
            guard details.quantity >= committed else {
                throw StoreError.conflict(.belowCommitted(.need, id: id, units: committed))
            }
            try connection.query(
                """
                UPDATE needs SET quantity = $2, unit = $3, urgency = $4, emergency = $5, needed_by = $6::date,
                       description = $7, version = version + 1
                 WHERE id = $1
                """,
                [
                    id, details.quantity, details.unit, details.urgency, details.isEmergency, details.neededBy,
                    details.description,
                ])
            try MatchRepository.refreshStatus(ofNeed: id, on: connection)
            try AuditTrail.record(
                on: connection, actor: actor, action: "need.update", entityType: "need", entityID: String(id),
                details: ["from_version": current.version])
            return try Self.read(id, on: connection)
        }
    }

    /// Cancels an open or matched need and, in the same transaction, its live matches
    /// (reason code `need_cancelled`), releasing the units they reserved. `reason` is one of
    /// ``DecisionReasons/cancel``; `other` needs a `note`, which the audit row keeps.
    public func cancel(
        need id: Int64, within scope: RegionScope? = nil, by actor: Actor, reason: String, note: String? = nil,
        idempotency: IdempotencyClaim? = nil
    )
        async throws -> NeedRecord
    {
        let note = try DecisionReasons.validated(
            code: reason, note: note, allowed: DecisionReasons.cancel, required: true, action: "cancel a need")
        return try await client.withTransaction { connection in
            try idempotency?.begin(on: connection)
            let current = try Self.lock(id, within: scope, on: connection)
            guard current.status == .open || current.status == .matched else {
                throw StoreError.invalidTransition(
                    entity: .need, id: String(id), from: current.status.rawValue, action: "cancelled")
            }
            let cancelled = try MatchRepository.cancelLiveMatches(
                ofNeed: id, reasonCode: "need_cancelled", on: connection, by: actor)
            try connection.query(
                """
                UPDATE needs SET status = 'cancelled', closed_at = now(), version = version + 1 WHERE id = $1
                """, [id])
            try AuditTrail.record(
                on: connection, actor: actor, action: "need.cancel", entityType: "need", entityID: String(id),
                reason: reason, details: NeedCancellation(cancelledMatches: cancelled.count, note: note))
            try idempotency?.complete(.init(entity: .need, id: id, created: false), on: connection)
            return try Self.read(id, on: connection)
        }
    }

    /// Locks the need's live matches and then the need, the order match transitions take
    /// them in (match → offer → need), so a write here and a concurrent approval queue up
    /// instead of deadlocking. Missing and out of scope are both ``StoreError/notFound(entity:id:)``.
    private static func lock(
        _ id: Int64, within scope: RegionScope?, on connection: PostgresConnection
    ) throws
        -> NeedRecord
    {
        try connection.query(
            """
            SELECT id FROM matches WHERE need_id = $1 AND status IN ('proposed', 'approved', 'accepted')
             ORDER BY id FOR UPDATE
            """, [id])
        let rows = try connection.query(
            """
            SELECT \(NeedRecord.columns) FROM needs n JOIN households h ON h.id = n.household_id
             WHERE n.id = $1 AND ($2::text IS NULL OR h.region_code LIKE $2::text || '%')
               FOR NO KEY UPDATE OF n
            """, [id, scope?.prefix])
        guard let row = rows.first else { throw StoreError.notFound(entity: .need, id: String(id)) }
        return try NeedRecord(row: row)
    }

    private static func read(_ id: Int64, on connection: PostgresConnection) throws -> NeedRecord {
        try NeedRecord(row: try connection.query("SELECT \(NeedRecord.columns) FROM needs n WHERE n.id = $1", [id])[0])
    }
}

/// What a need's cancellation adds to its audit row.
private struct NeedCancellation: Encodable {
    let cancelledMatches: Int
    let note: String?

    enum CodingKeys: String, CodingKey {
        case cancelledMatches = "cancelled_matches"
        case note
    }
}
