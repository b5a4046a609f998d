/// Whether an import with bad rows writes the good ones.
public enum ImportMode: String, Sendable, Codable, CaseIterable {
    /// Any problem and nothing is written: the file is fixed and imported again as a whole.
    case allOrNothing = "all_or_nothing"
    /// The valid rows are written and the others are reported, to be fixed and imported later.
    case partial
}

/// One thing wrong with an import file: where (line, and column when one is at fault) and
/// why, in words a caseworker can act on.
///
/// A reason never repeats an ID number or a name: at most a code, a number the file gave,
/// or the line of another row.
public struct RowProblem: Sendable, Equatable, Codable, CustomStringConvertible {
    /// The 1-based physical line of the file (the header is line 1).
    public var line: Int
    /// The column's header name, or nil when the whole row or file is at fault.
    public var column: String?
    /// What is wrong, without the offending personal data.
    public var reason: String

    public init(line: Int, column: String?, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `line 7: column id_number: fails its check character (GB 11643)`.
    public var description: String {
        if let column { "line \(line): column \(column): \(reason)" } else { "line \(line): \(reason)" }
    }
}

/// What an import did: what the command line prints and the HTTP layer returns as JSON.
public struct ImportReport: Sendable, Equatable, Codable {
    /// What was imported: `households` or `needs`.
    public var kind: String
    public var mode: ImportMode
    /// Data rows in the file (the header and blank lines are not rows).
    public var rowsRead: Int
    /// Rows written to the database: 0 whenever an all-or-nothing import found a problem.
    public var imported: Int
    /// Every problem found, ordered by line.
    public var problems: [RowProblem]

    public init(kind: String, mode: ImportMode, rowsRead: Int, imported: Int, problems: [RowProblem]) {
        self.kind = kind
        self.mode = mode
        self.rowsRead = rowsRead
        self.imported = imported
        self.problems = problems
    }

    /// True when every row was imported.
    public var isComplete: Bool { problems.isEmpty }

    private enum CodingKeys: String, CodingKey {
        case kind, mode, imported, problems
        case rowsRead = "rows_read"
    }
}
