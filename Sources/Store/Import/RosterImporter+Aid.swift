import Foundation
import Matching
import Postgres

extension RosterImporter {
    /// Imports a government aid file (see the README's "CSV import" for its columns): the
    /// aid a household received from a government programme, onto its aid chain, where the
    /// duplicate-aid rule of runs, proposals and approvals sees it.
    ///
    /// A row names its household by case number (outside the caller's scope it looks
    /// unknown). A row whose `external_ref` is already recorded, or that repeats a record
    /// already on the chain (same household, category, day, amount, units and programme),
    /// is refused, and so is a row repeating an earlier row of the file: importing the same
    /// file twice is harmless. As for the other files, the caller checks that the person
    /// may ``Action/recordAid`` and sets their region and actor in `options`.
    public func importAid(csv: [UInt8], options: Options = Options()) async throws -> ImportReport {
        try await importAid(reading: Self.once(csv), options: options)
    }

    /// Imports a government aid file read piece by piece from `next`.
    public func importAid(reading next: Pieces, options: Options = Options()) async throws -> ImportReport {
        let today = options.today ?? CivilDate.today()
        var reading = AidRoster(today: today)
        let fileDigest = try await Self.readAll(next) { reading.read($0) }
        reading.finish()
        let roster = reading
        let report = ImportReport(
            kind: "aid", mode: options.mode, rowsRead: roster.rowsRead, imported: 0, problems: roster.problemLog)
        guard !roster.isUnreadable else { return finish(report) }
        let settings = options
        let outcome = try await run { connection in
            var problems = roster.problemLog
            let rows = try Self.resolve(roster.entries, scope: settings.scope, on: connection, problems: &problems)
            if settings.mode == .allOrNothing && !problems.isEmpty { return Outcome(imported: 0, problems: problems) }
            for row in rows {
                try connection.query(
                    """
                    INSERT INTO aid_records (household_id, source, category_id, amount, units, given_on, program,
                                             external_ref, recorded_by)
                    VALUES ($1, 'government', $2, $3, $4, $5::date, $6, $7, $8)
                    """,
                    [
                        row.householdID, row.categoryID, row.entry.amount, row.entry.units, row.entry.givenOn,
                        row.entry.program, row.entry.externalRef, settings.actor.userID,
                    ])
            }
            try Self.audit(
                "aid.import", mode: settings.mode, rowsRead: roster.rowsRead, imported: rows.count,
                problems: problems.count, fileDigest: fileDigest, actor: settings.actor, on: connection)
            return Outcome(imported: rows.count, problems: problems)
        }
        return finish(
            ImportReport(
                kind: "aid", mode: options.mode, rowsRead: roster.rowsRead, imported: outcome.imported,
                problems: outcome.problems))
    }

    private struct ResolvedAid: Sendable {
        let entry: AidRoster.Entry
        let householdID: Int64
        let categoryID: Int64
    }

    /// What makes two records the same aid when neither carries a reference.
    private struct AidKey: Hashable {
        let household: Int64
        let category: Int64
        let givenOn: String
        let amount: Decimal?
        let units: Int?
        let program: String?
    }

    /// Resolves households (locking them, so two imports cannot both pass the repeat
    /// check) and categories; problems for rows that cannot be resolved or repeat aid.
    private static func resolve(
        _ entries: [AidRoster.Entry], scope: RegionScope?, on connection: PostgresConnection,
        problems: inout ProblemLog
    ) throws -> [ResolvedAid] {
        guard !entries.isEmpty else { return [] }
        var households: [String: Int64] = [:]
        for row in try connection.query(
            """
            SELECT id, case_number FROM households
             WHERE case_number = ANY($1::text[]) AND ($2::text IS NULL OR region_code LIKE $2::text || '%')
             ORDER BY id FOR NO KEY UPDATE
            """, [Array(Set(entries.map(\.caseNumber))), scope?.prefix]
        ) {
            households[try row.decode(String.self, "case_number")] = try row.decode(Int64.self, "id")
        }
        var categories: [String: Int64] = [:]
        for row in try connection.query("SELECT id, code, name_zh FROM categories") {
            let id = try row.decode(Int64.self, "id")
            categories[try row.decode(String.self, "code")] = id
            categories[try row.decode(String.self, "name_zh")] = id
        }
        let references = Set(
            try connection.query(
                """
                SELECT external_ref FROM aid_records
                 WHERE source = 'government' AND external_ref = ANY($1::text[])
                """, [entries.compactMap(\.externalRef)]
            ).map { try $0.decode(String.self, "external_ref") })
        var recorded: Set<AidKey> = []
        for row in try connection.query(
            """
            SELECT household_id, category_id, given_on::text AS given_on, amount, units, program FROM aid_records
             WHERE source = 'government' AND household_id = ANY($1::bigint[])
            """, [households.values.map { Int($0) }]
        ) {
            recorded.insert(
                AidKey(
                    household: try row.decode(Int64.self, "household_id"),
                    category: try row.decode(Int64.self, "category_id"),
                    givenOn: try row.decode(String.self, "given_on"),
                    amount: try row.decode(Decimal?.self, "amount"), units: try row.decode(Int?.self, "units"),
                    program: try row.decode(String?.self, "program")))
        }
        var firstReference: [String: Int] = [:]
        var firstKey: [AidKey: Int] = [:]
        var resolved: [ResolvedAid] = []
        for entry in entries {
            var rowProblems: [RowProblem] = []
            let householdID = households[entry.caseNumber]
            if householdID == nil {
                rowProblems.append(entry.problem(.caseNumber, "no registered household has this case number"))
            }
            let categoryID = categories[entry.category] ?? categories[entry.category.lowercased()]
            if categoryID == nil { rowProblems.append(entry.problem(.category, "unknown category \(entry.category)")) }
            if let reference = entry.externalRef {
                if references.contains(reference) {
                    rowProblems.append(entry.problem(.externalRef, "this aid is already recorded"))
                } else if let first = firstReference[reference] {
                    rowProblems.append(entry.problem(.externalRef, "the same reference as line \(first) of this file"))
                }
                firstReference[reference] = firstReference[reference] ?? entry.line
            }
            if let householdID, let categoryID {
                let key = AidKey(
                    household: householdID, category: categoryID, givenOn: entry.givenOn, amount: entry.amount,
                    units: entry.units, program: entry.program)
                if entry.externalRef == nil, recorded.contains(key) {
                    rowProblems.append(entry.problem(.givenOn, "the same aid on this day is already recorded"))
                } else if entry.externalRef == nil, let first = firstKey[key] {
                    rowProblems.append(entry.problem(.givenOn, "repeats line \(first) of this file"))
                }
                firstKey[key] = firstKey[key] ?? entry.line
            }
            if rowProblems.isEmpty, let householdID, let categoryID {
                resolved.append(ResolvedAid(entry: entry, householdID: householdID, categoryID: categoryID))
            }
            problems += rowProblems
        }
        return resolved
    }
}
