import Foundation
import Matching
import Postgres

/// Charities: registration by an admin, their profile, the exit and ban mechanism
/// (退出/禁入) and their record of service.
///
/// Every write locks the charity's row, checks the caller's version and the status rule,
/// updates, and appends exactly one `audit_log` row, all in one transaction.
public struct CharityRepository: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Registers an organisation. The credit code must pass GB 32100 (its check character
    /// and the digits of its registration area); a code already registered is a
    /// ``StoreError/conflict(_:)``.
    public func register(
        _ profile: CharityProfile, creditCode: String, by actor: Actor, idempotency: IdempotencyClaim? = nil
    ) async throws
        -> CharityRecord
    {
        let code: CreditCode
        do {
            code = try CreditCode(creditCode.trimmingBlanks())
        } catch {
            throw StoreError.invalid(field: "credit_code", reason: error.description)
        }
        let profile = try Self.validated(profile)
        return try await client.withTransaction { connection in
            try idempotency?.begin(on: connection)
            let rows = try mappingViolations(Self.violations(creditCode: code.value)) {
                try connection.query(
                    """
                    INSERT INTO charities (name, credit_code, kind, region_code, contact_name, contact_phone)
                    VALUES ($1, $2, $3, $4, $5, $6)
                    RETURNING \(CharityRecord.columns)
                    """,
                    [
                        profile.name, code.value, profile.kind.rawValue, profile.regionCode, profile.contactName,
                        profile.contactPhone,
                    ])
            }
            let record = try CharityRecord(row: rows[0])
            try AuditTrail.record(
                on: connection, actor: actor, action: "charity.register", entityType: "charity",
                entityID: String(record.id), details: ["credit_code": code.value])
            try idempotency?.complete(.init(entity: .charity, id: record.id, created: true), on: connection)
            return record
        }
    }

    /// The charity, or nil.
    public func charity(id: Int64) async throws -> CharityRecord? {
        try await client.query("SELECT \(CharityRecord.columns) FROM charities WHERE id = $1", [id])
            .first.map(CharityRecord.init(row:))
    }

    /// Charities by id, optionally of one status.
    public func list(
        status: CharityStatus? = nil, page: PageRequest<Int64> = PageRequest()
    ) async throws
        -> Page<CharityRecord, Int64>
    {
        let limit = try page.validatedLimit()
        let rows = try await client.query(
            """
            SELECT \(CharityRecord.columns) FROM charities
             WHERE ($1::text IS NULL OR status = $1::text) AND id > $2 ORDER BY id LIMIT $3
            """,
            [status?.rawValue, page.after ?? 0, limit + 1])
        return Page(fetched: try rows.map(CharityRecord.init(row:)), limit: limit) { $0.id }
    }

    /// Replaces the profile if the charity is still at `ifVersion` (nil: whatever it is at).
    public func updateProfile(
        charity id: Int64, _ profile: CharityProfile, ifVersion: Int?, by actor: Actor
    ) async throws -> CharityRecord {
        let profile = try Self.validated(profile)
        return try await change(id, action: "update", ifVersion: ifVersion, by: actor) { current, connection in
            try mappingViolations(Self.violations(creditCode: current.creditCode)) {
                try connection.query(
                    """
                    UPDATE charities SET name = $2, kind = $3, region_code = $4, contact_name = $5, contact_phone = $6,
                           version = version + 1
                     WHERE id = $1
                    RETURNING \(CharityRecord.columns)
                    """,
                    [
                        id, profile.name, profile.kind.rawValue, profile.regionCode, profile.contactName,
                        profile.contactPhone,
                    ])
            }
        }
    }

    /// Suspends an active charity: it gets no new matches until reinstated.
    public func suspend(
        charity id: Int64, by actor: Actor, reason: String, idempotency: IdempotencyClaim? = nil
    ) async throws -> CharityRecord {
        let reason = try requiredText(reason, field: "reason", maxLength: 500)
        return try await change(
            id, action: "suspend", reason: reason, from: [.active], by: actor, idempotency: idempotency
        ) { _, connection in
            let rows = try connection.query(
                """
                UPDATE charities SET status = 'suspended', banned_until = NULL, status_reason = $2,
                       version = version + 1
                 WHERE id = $1 RETURNING \(CharityRecord.columns)
                """, [id, reason])
            try Takeover.start(on: connection, charity: id, cause: .suspended, by: actor)
            return rows
        }
    }

    /// Bans an active or suspended charity until `until` (nil: for good, 禁入, stored as a
    /// ban without an end).
    public func ban(
        charity id: Int64, until: Date?, by actor: Actor, reason: String, idempotency: IdempotencyClaim? = nil
    ) async throws
        -> CharityRecord
    {
        let reason = try requiredText(reason, field: "reason", maxLength: 500)
        if let until, until <= Date() { throw StoreError.invalid(field: "until", reason: "must be in the future") }
        return try await change(
            id, action: "ban", reason: reason, from: [.active, .suspended], by: actor, idempotency: idempotency
        ) { _, connection in
            let rows = try connection.query(
                """
                UPDATE charities SET status = 'banned', banned_until = $2::timestamptz, status_reason = $3,
                       version = version + 1
                 WHERE id = $1 RETURNING \(CharityRecord.columns)
                """, [id, until, reason] as [(any PostgresEncodable)?])
            try Takeover.start(on: connection, charity: id, cause: .banned, by: actor)
            return rows
        }
    }

    /// Lifts a suspension or a ban.
    public func reinstate(charity id: Int64, by actor: Actor) async throws -> CharityRecord {
        try await change(id, action: "reinstate", from: [.suspended, .banned], by: actor) { _, connection in
            try connection.query(
                """
                UPDATE charities SET status = 'active', banned_until = NULL, status_reason = NULL,
                       version = version + 1
                 WHERE id = $1 RETURNING \(CharityRecord.columns)
                """, [id])
        }
    }

    /// Delivered units, declines, satisfaction and open offers of one charity, counted from
    /// the match and feedback rows themselves.
    public func standing(of id: Int64) async throws -> CharityPerformance {
        let rows = try await client.query(
            """
            SELECT c.id,
                   (SELECT count(*) FROM matches m JOIN offers o ON o.id = m.offer_id
                     WHERE o.charity_id = c.id AND m.status = 'delivered') AS delivered,
                   (SELECT coalesce(sum(coalesce(m.delivered_units, m.units)), 0) FROM matches m
                      JOIN offers o ON o.id = m.offer_id
                     WHERE o.charity_id = c.id AND m.status = 'delivered') AS delivered_units,
                   (SELECT count(*) FROM matches m JOIN offers o ON o.id = m.offer_id
                     WHERE o.charity_id = c.id AND m.status = 'declined') AS declined,
                   s.average, s.count AS rated,
                   (SELECT count(*) FROM offers o WHERE o.charity_id = c.id AND o.status = 'open') AS open_offers,
                   r.confirmed, r.confirmed_units, r.disputed, k.open AS open_complaints, k.total AS complaints
              FROM charities c
              CROSS JOIN LATERAL (
                    SELECT avg(f.satisfaction)::float8 AS average, count(f.id) AS count
                      FROM feedback f JOIN matches m ON m.id = f.match_id JOIN offers o ON o.id = m.offer_id
                     WHERE o.charity_id = c.id) s
              CROSS JOIN LATERAL (
                    SELECT count(*) FILTER (WHERE m.receipt_status = 'confirmed') AS confirmed,
                           coalesce(sum(coalesce(m.delivered_units, m.units))
                                    FILTER (WHERE m.receipt_status = 'confirmed'), 0) AS confirmed_units,
                           count(*) FILTER (WHERE m.receipt_status = 'disputed') AS disputed
                      FROM matches m JOIN offers o ON o.id = m.offer_id
                     WHERE o.charity_id = c.id AND m.status = 'delivered') r
              CROSS JOIN LATERAL (
                    SELECT count(*) FILTER (WHERE k.status = 'open') AS open, count(*) AS total
                      FROM complaints k WHERE k.charity_id = c.id) k
             WHERE c.id = $1
            """, [id])
        guard let row = rows.first else { throw StoreError.notFound(entity: .charity, id: String(id)) }
        return CharityPerformance(
            charityID: id, deliveredMatches: try row.decode(Int.self, "delivered"),
            deliveredUnits: try row.decode(Int.self, "delivered_units"),
            declinedMatches: try row.decode(Int.self, "declined"),
            satisfactionAverage: try row.decode(Double?.self, "average"),
            satisfactionCount: try row.decode(
                Int.self, "rated"),
            openOffers: try row.decode(Int.self, "open_offers"),
            confirmedMatches: try row.decode(Int.self, "confirmed"),
            confirmedUnits: try row.decode(Int.self, "confirmed_units"),
            disputedMatches: try row.decode(Int.self, "disputed"),
            complaints: ComplaintCount(
                open: try row.decode(Int.self, "open_complaints"), total: try row.decode(Int.self, "complaints")))
    }

    /// The one write path: lock, check version and status, run `update`, audit.
    private func change(
        _ id: Int64, action: String, reason: String? = nil, from allowed: Set<CharityStatus>? = nil,
        ifVersion: Int? = nil, by actor: Actor, idempotency: IdempotencyClaim? = nil,
        _ update: @escaping @Sendable (CharityRecord, PostgresConnection) throws -> PostgresRows
    ) async throws -> CharityRecord {
        try await client.withTransaction { connection in
            try idempotency?.begin(on: connection)
            let locked = try connection.query(
                "SELECT \(CharityRecord.columns) FROM charities WHERE id = $1 FOR UPDATE", [id])
            guard let row = locked.first else { throw StoreError.notFound(entity: .charity, id: String(id)) }
            let current = try CharityRecord(row: row)
            try checkVersion(ifVersion, current: current.version, entity: .charity, id: id)
            if let allowed, !allowed.contains(current.status) {
                throw StoreError.invalidTransition(
                    entity: .charity, id: String(id), from: current.status.rawValue, action: Self.participle(action))
            }
            let record = try CharityRecord(row: try update(current, connection)[0])
            try AuditTrail.record(
                on: connection, actor: actor, action: "charity.\(action)", entityType: "charity",
                entityID: String(id), reason: reason,
                details: ["from": current.status.rawValue, "to": record.status.rawValue])
            try idempotency?.complete(.init(entity: .charity, id: id, created: false), on: connection)
            return record
        }
    }

    private static func participle(_ action: String) -> String {
        switch action {
        case "suspend": "suspended"
        case "ban": "banned"
        case "reinstate": "reinstated"
        default: "updated"
        }
    }

    private static func validated(_ profile: CharityProfile) throws(StoreError) -> CharityProfile {
        var profile = profile
        profile.name = try requiredText(profile.name, field: "name")
        profile.contactName = try optionalText(profile.contactName, field: "contact_name", maxLength: 100)
        profile.contactPhone = try optionalText(profile.contactPhone, field: "contact_phone", maxLength: 40)
        if let phone = profile.contactPhone, !HouseholdRoster.isPhoneNumber(phone) {
            throw .invalid(field: "contact_phone", reason: "is not a phone number (digits, spaces, +, -, parentheses)")
        }
        if let region = profile.regionCode, RegionCode(region) == nil {
            throw .invalid(field: "region_code", reason: "\(region) is not a 12-digit region code")
        }
        return profile
    }

    private static func violations(creditCode: String) -> [String: StoreError] {
        [
            "charities_credit_code_key": .conflict(.taken(.creditCode, value: creditCode)),
            "charities_credit_code_format": .invalid(
                field: "credit_code", reason: "characters 3–8 must be digits (the registration area code)"),
            "charities_credit_code_valid": .invalid(
                field: "credit_code", reason: "fails its check character (GB 32100)"),
            "charities_region_code_fkey": .invalid(field: "region_code", reason: "unknown region code"),
        ]
    }
}
