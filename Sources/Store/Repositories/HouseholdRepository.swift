import Foundation
import Matching
import Postgres

/// Assisted households: registration one at a time (the roll import does many), reads
/// restricted to a caller's region, and consent (民发〔2023〕46号: consent before sharing).
///
/// A household outside the caller's scope is treated exactly like one that does not exist,
/// so a caseworker cannot probe for households elsewhere. Every write is one transaction
/// with one `audit_log` row for the household; withdrawing consent also cancels the
/// household's live matches through the match lifecycle, each with its own audit row.
public struct HouseholdRepository: Sendable {
    let client: PostgresClient
    private let sealer: IDNumberSealer
    let today: @Sendable () -> Int

    /// `sealer` must use the pepper every import used, or duplicates go unnoticed; `today`
    /// (`yyyymmdd`, default today in China) bounds birth and consent dates.
    public init(client: PostgresClient, sealer: IDNumberSealer, today: (@Sendable () -> Int)? = nil) {
        self.client = client
        self.sealer = sealer
        self.today = today ?? { CivilDate.today() }
    }

    /// Registers one household by the roll's rules. A region outside `scope` or unknown is
    /// invalid; a case number or ID number already registered is a ``StoreError/conflict(_:)``.
    public func register(
        _ registration: HouseholdRegistration, within scope: RegionScope? = nil, by actor: Actor,
        idempotency: IdempotencyClaim? = nil
    ) async throws -> HouseholdRecord {
        let entry: HouseholdRoster.Entry
        switch HouseholdRoster.entry(values: registration.rosterValues, sealer: sealer, today: today()) {
        case .success(let valid): entry = valid
        case .failure(let list):
            let first = list.problems.first
            throw StoreError.invalid(field: first?.column ?? "household", reason: first?.reason ?? "is not valid")
        }
        if let scope, !scope.contains(entry.region) {
            throw StoreError.invalid(field: "region_code", reason: "\(entry.region) is outside your region (\(scope))")
        }
        let violations: [String: StoreError] = [
            "households_case_number_key": .conflict(.taken(.caseNumber, value: entry.caseNumber)),
            "households_id_number_hmac_key": .conflict(.taken(.idNumber, value: nil)),
            "households_region_code_fkey": .invalid(
                field: "region_code", reason: "unknown region code \(entry.region)"),
        ]
        return try await client.withTransaction { connection in
            try idempotency?.begin(on: connection)
            let rows = try mappingViolations(violations) {
                try connection.query(
                    """
                    WITH h AS (
                        INSERT INTO households (case_number, region_code, members, member_birth_dates,
                                                assistance_statuses, vulnerability_flags, per_capita_income, latitude,
                                                longitude, id_number_hmac, id_number_last4, contact_name,
                                                contact_phone, address, consent_given_at, consent_scope, created_by)
                        VALUES ($1, $2, $3, $4::date[], $5::text[], $6::text[], $7, $8, $9, $10, $11, $12, $13, $14,
                                $15::timestamptz, $16, $17)
                        RETURNING *)
                    SELECT \(HouseholdRecord.columns) FROM h
                    """,
                    [
                        entry.caseNumber, entry.region.digits, entry.members, entry.memberBirthDates,
                        entry.statuses.map(\.rawValue), entry.flags.map(\.rawValue), entry.perCapitaIncome,
                        entry.location?.latitude, entry.location?.longitude, entry.idNumber.hmac,
                        entry.idNumber.lastFour, entry.headName, entry.contactPhone, entry.address,
                        entry.consent?.givenAt, entry.consent?.scope, actor.userID,
                    ])
            }
            let record = try HouseholdRecord(row: rows[0])
            try AuditTrail.record(
                on: connection, actor: actor, action: "household.register", entityType: "household",
                entityID: String(record.id), details: ["region": record.regionCode])
            try idempotency?.complete(.init(entity: .household, id: record.id, created: true), on: connection)
            return record
        }
    }

    /// The household, or nil when it does not exist or lies outside `scope`.
    public func household(id: Int64, within scope: RegionScope? = nil) async throws -> HouseholdRecord? {
        try await client.query(
            """
            SELECT \(HouseholdRecord.columns) FROM households h
             WHERE h.id = $1 AND ($2::text IS NULL OR h.region_code LIKE $2::text || '%')
            """, [id, scope?.prefix]
        ).first.map(HouseholdRecord.init(row:))
    }

    /// Households inside `scope` (nil: all), by id.
    public func list(
        within scope: RegionScope?, page: PageRequest<Int64> = PageRequest()
    ) async throws
        -> Page<HouseholdRecord, Int64>
    {
        let limit = try page.validatedLimit()
        let rows = try await client.query(
            """
            SELECT \(HouseholdRecord.columns) FROM households h
             WHERE ($1::text IS NULL OR h.region_code LIKE $1::text || '%') AND h.id > $2
             ORDER BY h.id LIMIT $3
            """, [scope?.prefix, page.after ?? 0, limit + 1])
        return Page(fetched: try rows.map(HouseholdRecord.init(row:)), limit: limit) { $0.id }
    }

    /// Records consent given now to share what `consentScope` says; renewing consent after a
    /// withdrawal starts it afresh.
    public func recordConsent(
        household id: Int64, scope consentScope: String, within scope: RegionScope? = nil, by actor: Actor,
        idempotency: IdempotencyClaim? = nil
    ) async throws -> HouseholdRecord {
        let consentScope = try requiredText(consentScope, field: "consent_scope", maxLength: 500)
        return try await client.withTransaction { connection in
            try idempotency?.begin(on: connection)
            _ = try Self.lock(id, within: scope, on: connection)
            let rows = try connection.query(
                """
                WITH h AS (
                    UPDATE households SET consent_given_at = now(), consent_scope = $2, consent_withdrawn_at = NULL,
                           version = version + 1
                     WHERE id = $1 RETURNING *)
                SELECT \(HouseholdRecord.columns) FROM h
                """, [id, consentScope])
            try AuditTrail.record(
                on: connection, actor: actor, action: "household.consent_record", entityType: "household",
                entityID: String(id), details: ["scope": consentScope])
            try idempotency?.complete(.init(entity: .household, id: id, created: false), on: connection)
            return try HouseholdRecord(row: rows[0])
        }
    }

    /// Withdraws consent now and cancels the household's live matches (reason code
    /// `consent_withdrawn`), releasing the units they reserved, in the same transaction.
    public func withdrawConsent(
        household id: Int64, within scope: RegionScope? = nil, by actor: Actor, idempotency: IdempotencyClaim? = nil
    ) async throws
        -> ConsentWithdrawal
    {
        try await client.withTransaction { connection in
            try idempotency?.begin(on: connection)
            let current = try Self.lock(id, within: scope, on: connection)
            guard current.hasConsent else {
                throw StoreError.invalidTransition(
                    entity: .household, id: String(id),
                    from: current.consentGivenAt == nil ? "without consent" : "withdrawn",
                    action: "withdrawn from consent")
            }
            let rows = try connection.query(
                """
                WITH h AS (
                    UPDATE households SET consent_withdrawn_at = greatest(now(), consent_given_at),
                           version = version + 1
                     WHERE id = $1 RETURNING *)
                SELECT \(HouseholdRecord.columns) FROM h
                """, [id])
            let cancelled = try MatchRepository.cancelLiveMatches(
                ofHousehold: id, reasonCode: "consent_withdrawn", on: connection, by: actor)
            try AuditTrail.record(
                on: connection, actor: actor, action: "household.consent_withdraw", entityType: "household",
                entityID: String(id), details: ["cancelled_matches": cancelled.count])
            try idempotency?.complete(.init(entity: .household, id: id, created: false), on: connection)
            return ConsentWithdrawal(household: try HouseholdRecord(row: rows[0]), cancelledMatches: cancelled)
        }
    }

    /// Locks the household for a write; missing and out of scope are both ``StoreError/notFound(entity:id:)``.
    static func lock(
        _ id: Int64, within scope: RegionScope?, on connection: PostgresConnection
    ) throws
        -> HouseholdRecord
    {
        let rows = try connection.query(
            """
            SELECT \(HouseholdRecord.columns) FROM households h
             WHERE h.id = $1 AND ($2::text IS NULL OR h.region_code LIKE $2::text || '%')
               FOR NO KEY UPDATE
            """, [id, scope?.prefix])
        guard let row = rows.first else { throw StoreError.notFound(entity: .household, id: String(id)) }
        return try HouseholdRecord(row: row)
    }
}
