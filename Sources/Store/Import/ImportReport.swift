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

/// The problems of one import: all of them counted, the first ``limit`` by line kept.
///
/// A file of bad rows has several problems per row; keeping them all made a 31 MB file
/// take 1.4 GB and answer a 178 MB report. A person fixes a file from its first problems,
/// so those are kept, with the total.
public struct ProblemLog: Sendable, Equatable, ExpressibleByArrayLiteral {
    /// Problems kept at most.
    public static let limit = 1_000

    private var kept: [RowProblem] = []
    /// Every problem found, kept or not.
    public private(set) var count = 0

    public init() {}

    public init(arrayLiteral problems: RowProblem...) {
        append(contentsOf: problems)
    }

    public var isEmpty: Bool { count == 0 }

    /// The first ``limit`` problems, ordered by line.
    public var listed: [RowProblem] {
        Array(kept.sorted { $0.line < $1.line }.prefix(Self.limit))
    }

    public mutating func append(_ problem: RowProblem) {
        count += 1
        kept.append(problem)
        if kept.count >= 2 * Self.limit {
            kept = Array(kept.sorted { $0.line < $1.line }.prefix(Self.limit))
        }
    }

    public mutating func append(contentsOf problems: [RowProblem]) {
        for problem in problems { append(problem) }
    }

    static func += (log: inout ProblemLog, problems: [RowProblem]) {
        log.append(contentsOf: problems)
    }
}

/// What an import did: what the command line prints and the HTTP layer returns as JSON.
public struct ImportReport: Sendable, Equatable, Codable {
    /// What was imported: `households`, `needs` or `aid`.
    public var kind: String
    public var mode: ImportMode
    /// Data rows in the file (the header and blank lines are not rows).
    public var rowsRead: Int
    /// Rows written to the database: 0 whenever an all-or-nothing import found a problem.
    public var imported: Int
    /// The first ``ProblemLog/limit`` problems, ordered by line.
    public var problems: [RowProblem]
    /// Every problem found, including those beyond the list.
    public var problemCount: Int

    public init(kind: String, mode: ImportMode, rowsRead: Int, imported: Int, problems: ProblemLog) {
        self.kind = kind
        self.mode = mode
        self.rowsRead = rowsRead
        self.imported = imported
        self.problems = problems.listed
        self.problemCount = problems.count
    }

    /// True when every row was imported.
    public var isComplete: Bool { problemCount == 0 }

    private enum CodingKeys: String, CodingKey {
        case kind, mode, imported, problems
        case rowsRead = "rows_read"
        case problemCount = "problem_count"
    }
}
