import Crypto
import Foundation
import Logging
import Matching
import Postgres

/// Imports a caseworker's household and needs files into the database, in one transaction
/// per file.
///
/// Every problem is reported, those the rosters find in the file and those only the
/// database can tell (an unknown region or category, a household already registered). In
/// ``ImportMode/allOrNothing`` a single problem means nothing is written, so a file is
/// either in or out; ``ImportMode/partial`` writes the valid rows and reports the rest. A
/// write that loses a race with another import (the same ID number or case number
/// committed meanwhile) becomes a problem on its line, never a crash. One `audit_log` row
/// records each import that wrote, in the same transaction.
public struct RosterImporter: Sendable {
    /// Who imports, how, and within which region.
    public struct Options: Sendable {
        public var mode: ImportMode
        /// The caller's region; households outside it are refused, needs of households
        /// outside it are treated as unknown. Nil for an unrestricted caller.
        public var scope: RegionScope?
        public var actor: Actor
        /// `yyyymmdd`; nil means today in China Standard Time. Birth and consent dates
        /// may not be after it, `needed_by` not before it.
        public var today: Int?

        public init(
            mode: ImportMode = .allOrNothing, scope: RegionScope? = nil, actor: Actor = .system, today: Int? = nil
        ) {
            self.mode = mode
            self.scope = scope
            self.actor = actor
            self.today = today
        }
    }

    /// Where an import reads its file: the next piece, or nil at the end. Pieces are read
    /// and checked one at a time, so the file never exists as a whole in memory.
    public typealias Pieces = () async throws -> [UInt8]?

    /// Thrown inside the transaction to roll back an all-or-nothing import whose inserts
    /// met rows committed by a concurrent import.
    struct RolledBack: Error {
        let problems: ProblemLog
    }

    /// What a transaction did.
    struct Outcome: Sendable {
        var imported: Int
        var problems: ProblemLog
    }

    let client: PostgresClient
    let logger: Logger

    /// An importer writing through `client`; `logger` gets counts, never row data.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Imports a household file (see the README's "CSV import" for its columns), sealing ID
    /// numbers with `sealer`, whose pepper must be the one every other import used, or
    /// duplicates go unnoticed.
    ///
    /// Throws only when the database fails or a concurrent change cannot be reported per
    /// row (``StoreError/conflict(_:)``); every problem with the file is in the report.
    public func importHouseholds(
        csv: [UInt8],
        sealer: IDNumberSealer,
        options: Options = Options()
    ) async throws -> ImportReport {
        try await importHouseholds(reading: Self.once(csv), sealer: sealer, options: options)
    }

    /// Imports a household file read piece by piece from `next`.
    public func importHouseholds(
        reading next: Pieces,
        sealer: IDNumberSealer,
        options: Options = Options()
    ) async throws -> ImportReport {
        var reading = HouseholdRoster(sealer: sealer, today: options.today ?? CivilDate.today())
        let fileDigest = try await Self.readAll(next) { reading.read($0) }
        reading.finish()
        let roster = reading
        let report = ImportReport(
            kind: "households", mode: options.mode, rowsRead: roster.rowsRead, imported: 0,
            problems: roster.problemLog)
        guard !roster.isUnreadable else { return finish(report) }
        let outcome = try await run { connection in
            var problems = roster.problemLog
            let entries = try Self.householdsFitting(
                roster.entries, scope: options.scope, on: connection, problems: &problems)
            if options.mode == .allOrNothing && !problems.isEmpty { return Outcome(imported: 0, problems: problems) }
            var imported = 0
            for entry in entries {
                if try Self.insert(entry, actor: options.actor, on: connection) {
                    imported += 1
                } else {
                    problems += try Self.concurrentDuplicate(entry, on: connection)
                }
            }
            if options.mode == .allOrNothing && imported < entries.count { throw RolledBack(problems: problems) }
            try Self.audit(
                "household.import", mode: options.mode, rowsRead: roster.rowsRead, imported: imported,
                problems: problems.count, fileDigest: fileDigest, actor: options.actor, on: connection)
            return Outcome(imported: imported, problems: problems)
        }
        return finish(
            ImportReport(
                kind: "households", mode: options.mode, rowsRead: roster.rowsRead, imported: outcome.imported,
                problems: outcome.problems))
    }

    /// Runs `body` in a transaction; an all-or-nothing rollback becomes its problems, and a
    /// constraint violation no row could be blamed for becomes a conflict.
    func run(_ body: @escaping @Sendable (PostgresConnection) throws -> Outcome) async throws -> Outcome {
        do {
            return try await client.withTransaction(body)
        } catch let rolledBack as RolledBack {
            return Outcome(imported: 0, problems: rolledBack.problems)
        } catch let error as PostgresError
            where error.sqlState == .uniqueViolation || error.sqlState == .foreignKeyViolation
        {
            throw StoreError.conflict(
                .changedMeanwhile(
                    "another change to the same records was committed during the import "
                        + "(\(error.constraintName ?? "a constraint")); nothing was imported; import the file again"))
        }
    }

    func finish(_ report: ImportReport) -> ImportReport {
        logger.info(
            "import finished",
            metadata: [
                "kind": "\(report.kind)", "mode": "\(report.mode.rawValue)", "rows_read": "\(report.rowsRead)",
                "imported": "\(report.imported)", "problems": "\(report.problemCount)",
            ])
        return report
    }

    /// The entries whose region exists and is in scope, and whose ID number and case
    /// number are not registered yet; problems for the others.
    private static func householdsFitting(
        _ entries: [HouseholdRoster.Entry],
        scope: RegionScope?,
        on connection: PostgresConnection,
        problems: inout ProblemLog
    ) throws -> [HouseholdRoster.Entry] {
        guard !entries.isEmpty else { return [] }
        let regions = Set(
            try connection.query(
                "SELECT code FROM regions WHERE code = ANY($1::text[])", [Array(Set(entries.map(\.region.digits)))]
            ).map { try $0.decode(String.self, "code") })
        let registeredIDs = Set(
            try connection.query(
                """
                SELECT encode(id_number_hmac, 'hex') AS hmac FROM households
                 WHERE id_number_hmac IN (SELECT decode(h, 'hex') FROM unnest($1::text[]) AS h)
                """,
                [entries.map { hex($0.idNumber.hmac) }]
            ).map { try $0.decode(String.self, "hmac") })
        let registeredCases = Set(
            try connection.query(
                "SELECT case_number FROM households WHERE case_number = ANY($1::text[])", [entries.map(\.caseNumber)]
            ).map { try $0.decode(String.self, "case_number") })
        var fitting: [HouseholdRoster.Entry] = []
        for entry in entries {
            var rowProblems: [RowProblem] = []
            if let scope, !scope.contains(entry.region) {
                rowProblems.append(entry.problem(.regionCode, "\(entry.region) is outside your region (\(scope))"))
            } else if !regions.contains(entry.region.digits) {
                rowProblems.append(entry.problem(.regionCode, "unknown region code \(entry.region)"))
            }
            if registeredIDs.contains(hex(entry.idNumber.hmac)) {
                rowProblems.append(entry.problem(.idNumber, "a household with this ID number is already registered"))
            }
            if registeredCases.contains(entry.caseNumber) {
                rowProblems.append(entry.problem(.caseNumber, "case number \(entry.caseNumber) is already registered"))
            }
            if rowProblems.isEmpty { fitting.append(entry) }
            problems += rowProblems
        }
        return fitting
    }

    /// Inserts one household; false when a unique key was taken meanwhile.
    private static func insert(
        _ entry: HouseholdRoster.Entry, actor: Actor, on connection: PostgresConnection
    ) throws
        -> Bool
    {
        let parameters: [(any PostgresEncodable)?] = [
            entry.caseNumber, entry.region.digits, entry.members, entry.memberBirthDates,
            entry.statuses.map(\.rawValue), entry.flags.map(\.rawValue), entry.perCapitaIncome,
            entry.location?.latitude, entry.location?.longitude, entry.idNumber.hmac, entry.idNumber.lastFour,
            entry.headName, entry.contactPhone, entry.address, entry.consent?.givenAt, entry.consent?.scope,
            actor.userID,
        ]
        let rows = try connection.query(
            """
            INSERT INTO households (case_number, region_code, members, member_birth_dates, assistance_statuses,
                                    vulnerability_flags, per_capita_income, latitude, longitude, id_number_hmac,
                                    id_number_last4, contact_name, contact_phone, address, consent_given_at,
                                    consent_scope, created_by)
            VALUES ($1, $2, $3, $4::date[], $5::text[], $6::text[], $7, $8, $9, $10, $11, $12, $13, $14,
                    $15::timestamptz, $16, $17)
            ON CONFLICT DO NOTHING
            RETURNING id
            """,
            parameters
        )
        return !rows.isEmpty
    }

    /// Why an insert found its keys taken: they were committed after the check.
    private static func concurrentDuplicate(
        _ entry: HouseholdRoster.Entry, on connection: PostgresConnection
    ) throws
        -> [RowProblem]
    {
        let rows = try connection.query(
            """
            SELECT bool_or(case_number = $1) AS same_case, bool_or(id_number_hmac = $2) AS same_id
              FROM households WHERE case_number = $1 OR id_number_hmac = $2
            """,
            [entry.caseNumber, entry.idNumber.hmac]
        )
        let sameCase = try rows.first?.decode(Bool?.self, "same_case") ?? false
        let sameID = try rows.first?.decode(Bool?.self, "same_id") ?? false
        var problems: [RowProblem] = []
        if sameID {
            problems.append(
                entry.problem(.idNumber, "a household with this ID number was registered by another import meanwhile"))
        }
        if sameCase || !sameID {
            problems.append(
                entry.problem(
                    .caseNumber, "case number \(entry.caseNumber) was registered by another import meanwhile"))
        }
        return problems
    }

    /// One audit row for an import that wrote: counts and the file's SHA-256, never row data.
    static func audit(
        _ action: String,
        mode: ImportMode,
        rowsRead: Int,
        imported: Int,
        problems: Int,
        fileDigest: String,
        actor: Actor,
        on connection: PostgresConnection
    ) throws {
        struct Details: Encodable {
            let mode: String
            let rowsRead: Int
            let imported: Int
            let problems: Int

            enum CodingKeys: String, CodingKey {
                case mode, imported, problems
                case rowsRead = "rows_read"
            }
        }
        try AuditTrail.record(
            on: connection, actor: actor, action: action, entityType: "import_file", entityID: "sha256:" + fileDigest,
            details: Details(mode: mode.rawValue, rowsRead: rowsRead, imported: imported, problems: problems))
    }

    /// Reads `next` to the end, feeding each piece to `read` and to the file's SHA-256.
    static func readAll(_ next: Pieces, into read: (([UInt8]) -> Void)) async throws -> String {
        var hasher = SHA256()
        while let piece = try await next() {
            hasher.update(data: piece)
            read(piece)
        }
        return hex(Data(hasher.finalize()))
    }

    /// `next` for a file already in memory: the whole of it, once.
    static func once(_ bytes: [UInt8]) -> Pieces {
        var whole: [UInt8]? = bytes
        return {
            defer { whole = nil }
            return whole
        }
    }
}

/// Lower-case hex, as PostgreSQL's `encode(…, 'hex')` writes it.
func hex(_ data: Data) -> String {
    let digits = Array("0123456789abcdef")
    return String(data.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] })
}
