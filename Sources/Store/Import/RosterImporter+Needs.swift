import Matching
import Postgres

extension RosterImporter {
    /// Imports a needs file (see the README's "CSV import" for its columns).
    ///
    /// A row names its household by case number, which must already be in the database
    /// (import the household file first; a household file and its needs are two imports).
    /// A household outside the caller's scope looks exactly like an unknown one. A row is
    /// refused when its household already has an open or matched need in the same category,
    /// or an earlier row of the file asks for it: that is what makes importing the same
    /// file twice harmless. The households concerned are locked for the transaction, so
    /// two imports of needs for one household cannot both pass that check.
    public func importNeeds(csv: [UInt8], options: Options = Options()) async throws -> ImportReport {
        try await importNeeds(reading: Self.once(csv), options: options)
    }

    /// Imports a needs file read piece by piece from `next`.
    public func importNeeds(reading next: Pieces, options: Options = Options()) async throws -> ImportReport {
        let today = options.today ?? CivilDate.today()
        var reading = NeedRoster(today: today)
        let fileDigest = try await Self.readAll(next) { reading.read($0) }
        reading.finish()
        let roster = reading
        let report = ImportReport(
            kind: "needs", mode: options.mode, rowsRead: roster.rowsRead, imported: 0, problems: roster.problemLog)
        guard !roster.isUnreadable else { return finish(report) }
        let outcome = try await run { connection in
            var problems = roster.problemLog
            let rows = try Self.resolve(
                roster.entries, scope: options.scope, today: today, on: connection, problems: &problems)
            if options.mode == .allOrNothing && !problems.isEmpty { return Outcome(imported: 0, problems: problems) }
            for row in rows {
                try connection.query(
                    """
                    INSERT INTO needs (household_id, category_id, quantity, unit, urgency, emergency, needed_by,
                                       description, recorded_by)
                    VALUES ($1, $2, $3, $4, $5, $6, $7::date, $8, $9)
                    """,
                    [
                        row.householdID, row.category.id, row.entry.quantity, row.unit, row.entry.urgency,
                        row.entry.isEmergency, row.entry.neededBy, row.entry.description, options.actor.userID,
                    ]
                )
            }
            try Self.audit(
                "need.import", mode: options.mode, rowsRead: roster.rowsRead, imported: rows.count,
                problems: problems.count, fileDigest: fileDigest, actor: options.actor, on: connection)
            return Outcome(imported: rows.count, problems: problems)
        }
        return finish(
            ImportReport(
                kind: "needs", mode: options.mode, rowsRead: roster.rowsRead, imported: outcome.imported,
                problems: outcome.problems))
    }

    /// A category as the needs file may name it.
    private struct CategoryRow: Sendable {
        let id: Int64
        let code: String
        let level: Int
        let kind: CategoryKind
        let defaultUnit: String?
    }

    /// A need row with its household, category and unit resolved.
    private struct ResolvedNeed: Sendable {
        let entry: NeedRoster.Entry
        let householdID: Int64
        let category: CategoryRow
        let unit: String
    }

    /// Resolves households (locking them) and categories; problems for rows that cannot be
    /// resolved or would repeat an open need.
    private static func resolve(
        _ entries: [NeedRoster.Entry],
        scope: RegionScope?,
        today: Int,
        on connection: PostgresConnection,
        problems: inout ProblemLog
    ) throws -> [ResolvedNeed] {
        guard !entries.isEmpty else { return [] }
        var households: [String: Int64] = [:]
        var members: [Int64: Int] = [:]
        for row in try connection.query(
            """
            SELECT id, case_number, region_code, members FROM households
             WHERE case_number = ANY($1::text[]) ORDER BY id FOR NO KEY UPDATE
            """,
            [Array(Set(entries.map(\.caseNumber)))]
        ) {
            let region = RegionCode(try row.decode(String.self, "region_code"))
            if let scope, !(region.map(scope.contains) ?? false) { continue }
            let id = try row.decode(Int64.self, "id")
            households[try row.decode(String.self, "case_number")] = id
            members[id] = try row.decode(Int.self, "members")
        }
        var categories: [String: CategoryRow] = [:]
        for row in try connection.query("SELECT id, code, name_zh, level, kind, default_unit FROM categories") {
            let category = CategoryRow(
                id: try row.decode(Int64.self, "id"), code: try row.decode(String.self, "code"),
                level: Int(try row.decode(Int32.self, "level")), kind: try row.decodeCode(CategoryKind.self, "kind"),
                defaultUnit: try row.decode(String?.self, "default_unit"))
            categories[category.code] = category
            categories[try row.decode(String.self, "name_zh")] = category
        }
        var openNeeds: Set<NeedKey> = []
        for row in try connection.query(
            """
            SELECT household_id, category_id FROM needs
             WHERE household_id = ANY($1::bigint[]) AND status IN ('open', 'matched')
            """,
            [households.values.map { Int($0) }]
        ) {
            openNeeds.insert(
                NeedKey(
                    household: try row.decode(Int64.self, "household_id"),
                    category: try row.decode(Int64.self, "category_id")))
        }
        var firstLine: [NeedKey: Int] = [:]
        var resolved: [ResolvedNeed] = []
        for entry in entries {
            var rowProblems: [RowProblem] = []
            let householdID = households[entry.caseNumber]
            if householdID == nil {
                rowProblems.append(entry.problem(.caseNumber, "no registered household has this case number"))
            }
            let category = categories[entry.category] ?? categories[entry.category.lowercased()]
            var unit: String?
            if let category {
                unit = entry.unit ?? category.defaultUnit
                if category.level == 1 {
                    let example = categories.keys.filter { $0.hasPrefix(category.code + ".") }.min() ?? category.code
                    rowProblems.append(
                        entry.problem(
                            .category, "\(category.code) is a group of categories; name one of them, such as \(example)"
                        ))
                } else if let unit {
                    rowProblems += implausibilities(
                        of: entry, category: category, unit: unit, members: householdID.flatMap { members[$0] },
                        today: today)
                } else {
                    rowProblems.append(entry.problem(.unit, "is required: \(category.code) has no default unit"))
                }
            } else {
                rowProblems.append(entry.problem(.category, "unknown category \(entry.category)"))
            }
            if let householdID, let category {
                let key = NeedKey(household: householdID, category: category.id)
                if openNeeds.contains(key) {
                    rowProblems.append(
                        entry.problem(.category, "the household already has an open need for \(category.code)"))
                } else if let first = firstLine[key] {
                    rowProblems.append(
                        entry.problem(.category, "the same household and category as line \(first) of this file"))
                }
                firstLine[key] = firstLine[key] ?? entry.line
            }
            if rowProblems.isEmpty, let householdID, let category, let unit {
                resolved.append(ResolvedNeed(entry: entry, householdID: householdID, category: category, unit: unit))
            }
            problems += rowProblems
        }
        return resolved
    }

    /// ``NeedPlausibility``'s problems with a row, on the columns they are about.
    private static func implausibilities(
        of entry: NeedRoster.Entry, category: CategoryRow, unit: String, members: Int?, today: Int
    ) -> [RowProblem] {
        let columns: [String: NeedRoster.Column] = ["unit": .unit, "quantity": .quantity, "needed_by": .neededBy]
        return NeedPlausibility.problems(
            category: category.code, kind: category.kind, unit: unit, quantity: entry.quantity,
            members: members ?? 1, neededBy: entry.neededBy.flatMap(CivilDate.init)?.number, today: today
        ).map { entry.problem(columns[$0.field] ?? .quantity, $0.reason) }
    }

    private struct NeedKey: Hashable {
        let household: Int64
        let category: Int64
    }
}
