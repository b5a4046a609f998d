import Foundation
import Matching
import Postgres

/// Who gave the aid.
public enum AidSource: String, Sendable, Codable, CaseIterable {
    case government, charity
}

/// One piece of aid a household received.
public struct AidEntry: Sendable, Equatable, Codable {
    public var id: Int64
    public var householdID: Int64
    public var source: AidSource
    public var categoryID: Int64
    /// Charity aid: the charity and, for aid delivered through the platform, the match.
    public var charityID: Int64?
    public var matchID: Int64?
    /// Yuan.
    public var amount: Decimal?
    public var units: Int?
    /// `yyyy-mm-dd`.
    public var givenOn: String
    /// Government programme, such as 低保金 or 临时救助金.
    public var program: String?
    /// The identifier in the source system.
    public var externalRef: String?
    public var recordedBy: Int64?
    public var recordedAt: Date

    static let columns = """
        a.id, a.household_id, a.source, a.category_id, a.charity_id, a.match_id, a.amount, a.units,
        a.given_on::text AS given_on, a.program, a.external_ref, a.recorded_by, a.recorded_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        householdID = try row.decode(Int64.self, "household_id")
        source = try row.decodeCode(AidSource.self, "source")
        categoryID = try row.decode(Int64.self, "category_id")
        charityID = try row.decode(Int64?.self, "charity_id")
        matchID = try row.decode(Int64?.self, "match_id")
        amount = try row.decode(Decimal?.self, "amount")
        units = try row.decode(Int?.self, "units")
        givenOn = try row.decode(String.self, "given_on")
        program = try row.decode(String?.self, "program")
        externalRef = try row.decode(String?.self, "external_ref")
        recordedBy = try row.decode(Int64?.self, "recorded_by")
        recordedAt = try row.decode(Date.self, "recorded_at")
    }
}

/// Government aid as a caseworker records it.
public struct GovernmentAid: Sendable, Equatable, Codable {
    public var categoryID: Int64
    /// Yuan, at most two decimals; `amount` or `units` (or both) is required.
    public var amount: Decimal?
    public var units: Int?
    /// `yyyy-mm-dd`, not after today.
    public var givenOn: String
    public var program: String?
    /// Makes recording the same aid twice a conflict instead of a second row.
    public var externalRef: String?

    public init(
        categoryID: Int64, amount: Decimal? = nil, units: Int? = nil, givenOn: String, program: String? = nil,
        externalRef: String? = nil
    ) {
        self.categoryID = categoryID
        self.amount = amount
        self.units = units
        self.givenOn = givenOn
        self.program = program
        self.externalRef = externalRef
    }

    /// The rules every government aid record meets, typed in or read from a file: by field,
    /// what is wrong. Amount or units (or both), yuan with at most two decimals, a date
    /// written `yyyy-mm-dd` no later than `today` (`yyyymmdd`), short single-line texts.
    static func problems(
        amount: Decimal?, units: Int?, givenOn: String, program: String?, externalRef: String?, today: Int
    ) -> [(field: String, reason: String)] {
        var problems: [(field: String, reason: String)] = []
        if amount == nil && units == nil { problems.append(("amount", "amount or units is required")) }
        if let amount, amount < 0 || amount >= 10_000_000_000 || amount != amount.rounded(places: 2) {
            problems.append(("amount", "must be yuan from 0 with at most two decimals"))
        }
        if let units, units < 1 { problems.append(("units", "must be a whole number of at least 1")) }
        if CivilDate(givenOn).map({ $0.number > today }) ?? true {
            problems.append(("given_on", "must be today or an earlier date written yyyy-mm-dd"))
        }
        for (field, text) in [("program", program), ("external_ref", externalRef)] {
            do {
                _ = try optionalText(text, field: field, maxLength: 200)
            } catch {
                if case .invalid(_, let reason) = error { problems.append((field, reason)) }
            }
        }
        return problems
    }
}

/// Aid households received: government aid recorded here, charity aid written by delivery
/// (``MatchRepository``). The basis of duplicate-aid checks and of the fairness factor
/// (民发〔2023〕46号: one aid record per household, no missed and no duplicate aid).
public struct AidRecordRepository: Sendable {
    private let client: PostgresClient
    private let today: @Sendable () -> Int

    /// `today` (`yyyymmdd`, default today in China) is the latest `given_on` accepted.
    public init(client: PostgresClient, today: (@Sendable () -> Int)? = nil) {
        self.client = client
        self.today = today ?? { CivilDate.today() }
    }

    /// Records government aid given to a household in the caller's region, with one audit
    /// row: the same rules as a row of an aid file (``AidRoster``). The caller must be
    /// allowed ``Action/recordAid``; a household outside their region is
    /// ``StoreError/notFound(entity:id:)``; an `external_ref` already recorded is a conflict.
    public func recordGovernmentAid(
        household: Int64, _ aid: GovernmentAid, by principal: Principal
    ) async throws -> AidEntry {
        try principal.authorize(.recordAid)
        if let problem = GovernmentAid.problems(
            amount: aid.amount, units: aid.units, givenOn: aid.givenOn, program: aid.program,
            externalRef: aid.externalRef, today: today()
        ).first {
            throw StoreError.invalid(field: problem.field, reason: problem.reason)
        }
        let scope = principal.regionLimit
        let actor = principal.actor
        let given = CivilDate(aid.givenOn)?.description ?? aid.givenOn
        let program = try optionalText(aid.program, field: "program", maxLength: 200)
        let reference = try optionalText(aid.externalRef, field: "external_ref", maxLength: 200)
        return try await client.withTransaction { connection in
            _ = try HouseholdRepository.lock(household, within: scope, on: connection)
            let category = try CategoryRepository.category(id: aid.categoryID, field: "category_id", on: connection)
            let violations: [String: StoreError] = [
                "aid_records_external_ref_key": .conflict(.taken(.externalReference, value: reference))
            ]
            let rows = try mappingViolations(violations) {
                try connection.query(
                    """
                    WITH a AS (
                        INSERT INTO aid_records (household_id, source, category_id, amount, units, given_on, program,
                                                 external_ref, recorded_by)
                        VALUES ($1, 'government', $2, $3, $4, $5::date, $6, $7, $8) RETURNING *)
                    SELECT \(AidEntry.columns) FROM a
                    """,
                    [
                        household, category.id, aid.amount, aid.units, given, program, reference,
                        actor.userID,
                    ])
            }
            let entry = try AidEntry(row: rows[0])
            try AuditTrail.record(
                on: connection, actor: actor, action: "aid.record", entityType: "aid_record",
                entityID: String(entry.id), details: ["household": household, "category": category.id])
            return entry
        }
    }

    /// The household's aid, most recent first; a household outside `scope` is
    /// ``StoreError/notFound(entity:id:)``, like a missing one.
    public func aid(ofHousehold household: Int64, within scope: RegionScope? = nil) async throws -> [AidEntry] {
        let rows = try await client.query(
            """
            SELECT h.id AS household, \(AidEntry.columns)
              FROM households h LEFT JOIN aid_records a ON a.household_id = h.id
             WHERE h.id = $1 AND ($2::text IS NULL OR h.region_code LIKE $2::text || '%')
             ORDER BY a.given_on DESC, a.id DESC
            """, [household, scope?.prefix])
        guard !rows.isEmpty else { throw StoreError.notFound(entity: .household, id: String(household)) }
        return try rows.filter { try $0.decode(Int64?.self, "id") != nil }.map(AidEntry.init(row:))
    }
}
