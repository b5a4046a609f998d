/// A needs file (one row per need of a registered household), checked row by row.
///
/// What needs no database is checked here: required fields, quantity, unit, urgency, the
/// emergency flag and dates. Whether the case number and the category exist is the
/// importer's job, because only the database knows.
public struct NeedRoster: Sendable {
    /// The columns of a needs file, by header name.
    public enum Column: String, Sendable, CaseIterable, RosterColumn {
        case caseNumber = "case_number"
        case category
        case quantity
        case unit
        case urgency
        case emergency
        case neededBy = "needed_by"
        case description

        var isRequired: Bool { [.caseNumber, .category, .quantity].contains(self) }
    }

    /// One valid row; `category` still names the category as the file did.
    public struct Entry: Sendable, Equatable {
        /// The line the row starts on.
        public var line: Int
        /// Where each column's value starts, when the row spans lines.
        var columnLines: [Column: Int]
        public var caseNumber: String
        /// A category code (`material.grain_oil`) or Chinese name (`粮油`), as written.
        public var category: String
        public var quantity: Int
        /// A unit code; nil means the category's default unit.
        public var unit: String?
        /// 1 (can wait) to 5 (most urgent).
        public var urgency: Int
        public var isEmergency: Bool
        /// `yyyy-mm-dd`.
        public var neededBy: String?
        public var description: String?

        /// The physical line of `column`'s value, for a problem found later.
        public func line(of column: Column) -> Int { columnLines[column] ?? line }

        func problem(_ column: Column, _ reason: String) -> RowProblem {
            RowProblem(line: line(of: column), column: column.rawValue, reason: reason)
        }
    }

    /// Unit codes of `categories.default_unit`, with the Chinese words people write.
    static let units: [String: String] = [
        "portion": "portion", "份": "portion", "set": "set", "套": "set", "piece": "piece", "件": "piece",
        "台": "piece", "box": "box", "盒": "box", "yuan": "yuan", "元": "yuan", "hour": "hour", "小时": "hour",
        "session": "session", "次": "session",
    ]

    /// Data rows in the file.
    public var rowsRead: Int { table.rowsRead }
    /// The rows without problems.
    public private(set) var entries: [Entry] = []
    /// The first ``ProblemLog/limit`` problems, by line.
    public var problems: [RowProblem] { table.problems.listed }
    /// Every problem, counted.
    public var problemLog: ProblemLog { table.problems }
    /// True when the file itself is unusable, so nothing may be imported.
    public var isUnreadable: Bool { table.isUnusable }

    private var table = RosterTable<Column>()
    private let today: Int

    /// A roster to be read piece by piece (``read(_:)``, then ``finish()``); `today`
    /// (`yyyymmdd`) is the earliest `needed_by` accepted.
    public init(today: Int) {
        self.today = today
    }

    /// Checks the whole of `csv` at once.
    public init(csv: [UInt8], today: Int) {
        self.init(today: today)
        read(csv)
        finish()
    }

    /// Checks the rows the next piece of the file completes.
    public mutating func read(_ bytes: some Sequence<UInt8>) {
        for row in table.read(bytes) { check(row) }
    }

    /// Checks the last row; an unusable file keeps no entries.
    public mutating func finish() {
        for row in table.finish() { check(row) }
        if table.isUnusable { entries = [] }
    }

    private mutating func check(_ row: RosterTable<Column>.Row) {
        var rowProblems: [RowProblem] = []
        if let entry = Self.entry(from: row, today: today, problems: &rowProblems), rowProblems.isEmpty {
            entries.append(entry)
        }
        table.record(rowProblems)
    }

    private static func entry(
        from row: RosterTable<Column>.Row,
        today: Int,
        problems: inout [RowProblem]
    ) -> Entry? {
        let caseNumber = row.required(.caseNumber, problems: &problems)
        let category = row.required(.category, problems: &problems)
        var quantity: Int?
        if let text = row.required(.quantity, problems: &problems) {
            quantity = text.isASCIIDigits && text.count <= 9 ? Int(text) : nil
            if quantity.map({ $0 < 1 }) ?? true {
                problems.append(row.problem(.quantity, "must be a whole number of at least 1"))
                quantity = nil
            }
        }
        var unit: String?
        if let text = row.value(.unit) {
            unit = units[text.lowercased()]
            if unit == nil {
                problems.append(
                    row.problem(.unit, "unknown unit \(text); use portion, set, piece, box, yuan, hour or session"))
            }
        }
        var urgency = 3
        if let text = row.value(.urgency) {
            if text.isASCIIDigits, let value = Int(text), (1...5).contains(value) {
                urgency = value
            } else {
                problems.append(row.problem(.urgency, "must be a whole number from 1 to 5"))
            }
        }
        var isEmergency = false
        if let text = row.value(.emergency) {
            switch text.lowercased() {
            case "true", "yes", "1", "是": isEmergency = true
            case "false", "no", "0", "否": isEmergency = false
            default: problems.append(row.problem(.emergency, "must be true or false (是 or 否)"))
            }
        }
        var neededBy: String?
        if let text = row.value(.neededBy) {
            if let date = CivilDate(text), date.number >= today {
                neededBy = date.description
            } else {
                problems.append(row.problem(.neededBy, "must be today or a later date written yyyy-mm-dd"))
            }
        }
        guard let caseNumber, let category, let quantity else { return nil }
        return Entry(
            line: row.line, columnLines: row.columnLines, caseNumber: caseNumber, category: category,
            quantity: quantity, unit: unit, urgency: urgency, isEmergency: isEmergency, neededBy: neededBy,
            description: row.value(.description))
    }
}
