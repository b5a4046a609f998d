import Foundation
import Matching
import Postgres

/// Offers: what charities can give, posted and managed by the charity's staff.
///
/// A caller acting for one charity passes its id as `charity`; another charity's offer then
/// looks exactly like a missing one. Every write locks the offer, checks the caller's
/// version, and writes one `audit_log` row in the same transaction. Capacity is guarded by
/// the same row lock approvals take, so a capacity cut and an approval cannot cross.
public struct OfferRepository: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Posts an open offer of an active charity in `category`.
    public func create(
        charity: Int64, category: Int64, _ terms: OfferTerms, by actor: Actor, idempotency: IdempotencyClaim? = nil
    ) async throws
        -> OfferRecord
    {
        try await client.withTransaction { connection in
            try idempotency?.begin(on: connection)
            let standing = try connection.query("SELECT status FROM charities WHERE id = $1 FOR KEY SHARE", [charity])
            guard let status = try standing.first?.decode(String.self, "status") else {
                throw StoreError.notFound(entity: .charity, id: String(charity))
            }
            guard status == CharityStatus.active.rawValue else {
                throw StoreError.conflict(.notActive(.charity, id: charity, status: status))
            }
            let category = try CategoryRepository.category(id: category, field: "category_id", on: connection)
            let terms = try terms.validated(category: category)
            let rows = try mappingViolations(Self.violations) {
                try connection.query(
                    """
                    WITH o AS (
                        INSERT INTO offers (charity_id, category_id, title, description, capacity, unit, unit_value,
                                            service_region_prefixes, center_lat, center_lon, radius_km,
                                            eligible_statuses, required_flags, min_age, max_age, min_household_size,
                                            max_household_size, available_from, available_until, created_by)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text[], $9, $10, $11, $12::text[], $13::text[], $14,
                                $15, $16, $17, coalesce($18::timestamptz, now()), $19, $20)
                        RETURNING *)
                    SELECT \(OfferRecord.columns) FROM o
                    """, [charity, category.id] + Self.parameters(terms) + [actor.userID])
            }
            let record = try OfferRecord(row: rows[0])
            try AuditTrail.record(
                on: connection, actor: actor, action: "offer.create", entityType: "offer",
                entityID: String(record.id),
                details: ["charity": charity, "category": category.id, "capacity": Int64(terms.capacity)])
            try idempotency?.complete(.init(entity: .offer, id: record.id, created: true), on: connection)
            return record
        }
    }

    /// The offer, or nil when it does not exist or belongs to a charity other than `charity`.
    public func offer(id: Int64, charity: Int64? = nil) async throws -> OfferRecord? {
        try await client.query(
            """
            SELECT \(OfferRecord.columns) FROM offers o WHERE o.id = $1 AND ($2::bigint IS NULL OR o.charity_id = $2::bigint)
            """, [id, charity]
        ).first.map(OfferRecord.init(row:))
    }

    /// Offers by id: of one charity, and/or those serving somewhere inside `serving` (one of
    /// their region prefixes covers the scope or lies inside it; offers defined only by a
    /// circle are not found this way), optionally of one status.
    public func list(
        charity: Int64? = nil, serving scope: RegionScope? = nil, status: OfferStatus? = nil,
        page: PageRequest<Int64> = PageRequest()
    ) async throws -> Page<OfferRecord, Int64> {
        let limit = try page.validatedLimit()
        let rows = try await client.query(
            """
            SELECT \(OfferRecord.columns) FROM offers o
             WHERE ($1::bigint IS NULL OR o.charity_id = $1::bigint)
               AND ($2::text IS NULL OR EXISTS (
                       SELECT 1 FROM unnest(o.service_region_prefixes) AS p
                        WHERE starts_with(p, $2::text) OR starts_with($2::text, p)))
               AND ($3::text IS NULL OR o.status = $3::text) AND o.id > $4
             ORDER BY o.id LIMIT $5
            """, [charity, scope?.prefix, status?.rawValue, page.after ?? 0, limit + 1])
        return Page(fetched: try rows.map(OfferRecord.init(row:)), limit: limit) { $0.id }
    }

    /// Replaces the terms of an offer that is not closed and still at `ifVersion` (nil:
    /// whatever it is at). Capacity below the units already allocated is a ``StoreError/conflict(_:)``.
    public func update(
        offer id: Int64, _ terms: OfferTerms, ifVersion: Int?, charity: Int64? = nil, by actor: Actor
    ) async throws -> OfferRecord {
        try await client.withTransaction { connection in
            let current = try Self.lock(id, charity: charity, on: connection)
            try checkVersion(ifVersion, current: current.version, entity: .offer, id: id)
            guard current.status != .closed else {
                throw StoreError.invalidTransition(entity: .offer, id: String(id), from: "closed", action: "updated")
            }
            let category = try CategoryRepository.category(
                id: current.categoryID, field: "category_id", on: connection)
            let terms = try terms.validated(category: category)
            guard terms.capacity >= current.allocated else {
                throw StoreError.conflict(.belowCommitted(.offer, id: id, units: current.allocated))
            }
            let rows = try mappingViolations(Self.violations) {
                try connection.query(
                    """
                    WITH o AS (
                        UPDATE offers SET title = $2, description = $3, capacity = $4, unit = $5, unit_value = $6,
                               service_region_prefixes = $7::text[], center_lat = $8, center_lon = $9,
                               radius_km = $10, eligible_statuses = $11::text[], required_flags = $12::text[],
                               min_age = $13, max_age = $14, min_household_size = $15, max_household_size = $16,
                               available_from = coalesce($17::timestamptz, available_from), available_until = $18,
                               version = version + 1
                         WHERE id = $1
                        RETURNING *)
                    SELECT \(OfferRecord.columns) FROM o
                    """, [id] + Self.parameters(terms))
            }
            try AuditTrail.record(
                on: connection, actor: actor, action: "offer.update", entityType: "offer", entityID: String(id),
                details: ["from_version": current.version])
            return try OfferRecord(row: rows[0])
        }
    }

    /// Closes the offer for good: it takes no new matches, and those it still holds (not yet
    /// delivered) are taken over at once (``Takeover``) so their households are re-matched.
    public func close(
        offer id: Int64, charity: Int64? = nil, by actor: Actor, idempotency: IdempotencyClaim? = nil
    ) async throws -> OfferRecord {
        try await move(
            id, to: .closed, from: [.open, .paused], action: "close", charity: charity, by: actor,
            idempotency: idempotency)
    }

    /// Stops new matches on an open offer until it is resumed.
    public func pause(
        offer id: Int64, charity: Int64? = nil, by actor: Actor, idempotency: IdempotencyClaim? = nil
    ) async throws -> OfferRecord {
        try await move(
            id, to: .paused, from: [.open], action: "pause", charity: charity, by: actor, idempotency: idempotency)
    }

    /// Opens a paused offer again.
    public func resume(
        offer id: Int64, charity: Int64? = nil, by actor: Actor, idempotency: IdempotencyClaim? = nil
    ) async throws -> OfferRecord {
        try await move(
            id, to: .open, from: [.paused], action: "resume", charity: charity, by: actor, idempotency: idempotency)
    }

    private func move(
        _ id: Int64, to target: OfferStatus, from allowed: Set<OfferStatus>, action: String, charity: Int64?,
        by actor: Actor, idempotency: IdempotencyClaim?
    ) async throws -> OfferRecord {
        try await client.withTransaction { connection in
            try idempotency?.begin(on: connection)
            if target == .closed {
                // A close takes its matches over: lock them before the offer, the order
                // approvals take them in (match, then offer), so the two never deadlock.
                try connection.query(
                    """
                    SELECT m.id FROM matches m JOIN offers o ON o.id = m.offer_id
                     WHERE o.id = $1 AND ($2::bigint IS NULL OR o.charity_id = $2::bigint)
                       AND m.status IN ('proposed', 'approved', 'accepted')
                     ORDER BY m.id FOR UPDATE OF m
                    """, [id, charity])
            }
            let current = try Self.lock(id, charity: charity, on: connection)
            guard allowed.contains(current.status) else {
                throw StoreError.invalidTransition(
                    entity: .offer, id: String(id), from: current.status.rawValue, action: "\(action)d")
            }
            let rows = try connection.query(
                """
                WITH o AS (UPDATE offers SET status = $2, version = version + 1 WHERE id = $1 RETURNING *)
                SELECT \(OfferRecord.columns) FROM o
                """, [id, target.rawValue])
            try AuditTrail.record(
                on: connection, actor: actor, action: "offer.\(action)", entityType: "offer", entityID: String(id),
                details: ["from": current.status.rawValue, "to": target.rawValue])
            if target == .closed {
                try Takeover.start(
                    on: connection, charity: current.charityID, cause: .offerClosed, offer: id, by: actor)
            }
            try idempotency?.complete(.init(entity: .offer, id: id, created: false), on: connection)
            return try OfferRecord(row: rows[0])
        }
    }

    /// Locks the offer; missing and foreign are both ``StoreError/notFound(entity:id:)``.
    private static func lock(_ id: Int64, charity: Int64?, on connection: PostgresConnection) throws -> OfferRecord {
        let rows = try connection.query(
            """
            SELECT \(OfferRecord.columns) FROM offers o
             WHERE o.id = $1 AND ($2::bigint IS NULL OR o.charity_id = $2::bigint) FOR UPDATE
            """, [id, charity])
        guard let row = rows.first else { throw StoreError.notFound(entity: .offer, id: String(id)) }
        return try OfferRecord(row: row)
    }

    /// `$n` parameters of the terms, in the column order both statements use.
    private static func parameters(_ terms: OfferTerms) -> [(any PostgresEncodable)?] {
        [
            terms.title, terms.description, terms.capacity, terms.unit, terms.unitValue, terms.serviceRegionPrefixes,
            terms.serviceCircle?.center.latitude, terms.serviceCircle?.center.longitude,
            terms.serviceCircle?.radiusKilometres, terms.eligibleStatuses.map(\.rawValue),
            terms.requiredFlags.map(\.rawValue), terms.memberAges?.lowerBound, terms.memberAges?.upperBound,
            terms.householdSize?.lowerBound, terms.householdSize?.upperBound, terms.availableFrom,
            terms.availableUntil,
        ]
    }

    /// The database's last word on what validation let through.
    private static let violations: [String: StoreError] = [
        "offers_allocated_within_capacity": .conflict(.belowCommitted(.offer, id: nil, units: nil)),
        "offers_validity_order": .invalid(field: "available_until", reason: "must be after available_from"),
        "offers_region_prefixes_valid": .invalid(field: "service_region_prefixes", reason: "is not a region prefix"),
    ]
}
