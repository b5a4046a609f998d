/// The columns an import file may have, named by their header text.
protocol RosterColumn: RawRepresentable<String>, CaseIterable, Hashable, Sendable {
    /// Whether the header must name this column.
    var isRequired: Bool { get }
}

/// Where a roster's checks read one record's values: a row of a file, or a record
/// submitted on its own through a repository, so both meet the same rules.
protocol RosterFields<Column> {
    associatedtype Column: RosterColumn
    /// The line the record starts on (0 for a record that is not from a file).
    var line: Int { get }
    /// Where each column's value starts.
    var columnLines: [Column: Int] { get }
    /// The trimmed value, nil when absent or blank.
    func value(_ column: Column) -> String?
    /// A problem with `column` of this record.
    func problem(_ column: Column, _ reason: String) -> RowProblem
}

extension RosterFields {
    /// The value of a column that must be filled in; when it is blank, the problem is noted.
    func required(_ column: Column, problems: inout [RowProblem]) -> String? {
        guard let value = value(column) else {
            problems.append(problem(column, "is required"))
            return nil
        }
        return value
    }
}

/// One record given as values by column rather than read from a file.
struct SubmittedFields<Column: RosterColumn>: RosterFields {
    let values: [Column: String]

    var line: Int { 0 }
    var columnLines: [Column: Int] { [:] }

    func value(_ column: Column) -> String? {
        guard let trimmed = values[column]?.trimmingBlanks(), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    func problem(_ column: Column, _ reason: String) -> RowProblem {
        RowProblem(line: 0, column: column.rawValue, reason: reason)
    }
}

/// An import file's records read against its header: columns are found by name, so their
/// order is free, and every data row can be asked for a column's trimmed value.
///
/// The header is strict (an unknown, repeated or missing required column is a problem at
/// line 1, and such a file imports nothing) because a misspelt header would otherwise drop
/// a column's values without a word.
struct RosterTable<Column: RosterColumn> {
    /// One data row: its values by column, with the line each value starts on.
    struct Row: RosterFields {
        let line: Int
        fileprivate let fields: [String]
        fileprivate let fieldLines: [Int]
        fileprivate let positions: [Column: Int]

        /// The value with surrounding blanks (including the ideographic space) removed;
        /// nil when the column is absent or the value is empty.
        func value(_ column: Column) -> String? {
            guard let position = positions[column] else { return nil }
            let trimmed = fields[position].trimmingBlanks()
            return trimmed.isEmpty ? nil : trimmed
        }

        /// The physical line where `column`'s value starts.
        func line(of column: Column) -> Int {
            positions[column].map { fieldLines[$0] } ?? line
        }

        /// The line of every column the file has, for problems found after the row is read.
        var columnLines: [Column: Int] { positions.mapValues { fieldLines[$0] } }

        /// A problem with `column` of this row.
        func problem(_ column: Column, _ reason: String) -> RowProblem {
            RowProblem(line: line(of: column), column: column.rawValue, reason: reason)
        }
    }

    /// Rows with as many fields as the header; blank rows are skipped.
    private(set) var rows: [Row] = []
    /// Header problems (which make the file unusable) and rows of the wrong width.
    private(set) var problems: [RowProblem] = []
    /// Data rows in the file, rows of the wrong width included.
    private(set) var rowsRead = 0

    /// True when the header is unusable and no row may be imported.
    var headerIsUnusable: Bool { problems.contains { $0.line == headerLine } }

    private var headerLine = 1

    /// Reads `csv`; a file that is not CSV at all becomes a single unusable-header problem
    /// on the line where reading failed.
    init(csv: [UInt8]) {
        do {
            self.init(records: try CSVReader.records(in: csv))
        } catch {
            self.init(records: [])
            headerLine = error.line
            problems = [RowProblem(line: error.line, column: nil, reason: error.reason)]
        }
    }

    init(records: [CSVReader.Record]) {
        guard let header = records.first else {
            problems.append(RowProblem(line: 1, column: nil, reason: "the file is empty; it needs a header row"))
            return
        }
        headerLine = header.line
        var positions: [Column: Int] = [:]
        for (position, name) in header.fields.enumerated() {
            let text = name.trimmingBlanks()
            guard let column = Column(rawValue: text.lowercased()) else {
                let known = Column.allCases.map(\.rawValue).joined(separator: ", ")
                let reason =
                    text.isEmpty
                    ? "a column without a header name" : "unknown column \(text); the columns are \(known)"
                problems.append(RowProblem(line: header.line, column: text.isEmpty ? nil : text, reason: reason))
                continue
            }
            guard positions[column] == nil else {
                problems.append(
                    RowProblem(line: header.line, column: column.rawValue, reason: "the column appears twice"))
                continue
            }
            positions[column] = position
        }
        for column in Column.allCases where column.isRequired && positions[column] == nil {
            problems.append(
                RowProblem(line: header.line, column: column.rawValue, reason: "required column is missing"))
        }
        for record in records.dropFirst() {
            if record.fields.allSatisfy({ $0.trimmingBlanks().isEmpty }) { continue }
            rowsRead += 1
            guard record.fields.count == header.fields.count else {
                problems.append(
                    RowProblem(
                        line: record.line, column: nil,
                        reason: "has \(record.fields.count) fields; the header has \(header.fields.count)"))
                continue
            }
            rows.append(
                Row(line: record.line, fields: record.fields, fieldLines: record.fieldLines, positions: positions))
        }
    }
}

extension String {
    /// Without leading and trailing whitespace, the ideographic space U+3000 included.
    func trimmingBlanks() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else {
            return ""
        }
        return String(self[first...last])
    }
}
