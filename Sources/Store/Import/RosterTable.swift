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
/// a column's values without a word. The file is read piece by piece: ``read(_:)`` returns
/// the rows each piece completes, so only one piece's rows exist at a time.
struct RosterTable<Column: RosterColumn>: Sendable {
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

    private struct Header: Sendable {
        let width: Int
        let positions: [Column: Int]
        let names: [String]
    }

    /// Header problems (which make the file unusable), rows of the wrong width, cells with
    /// control characters, and whatever the roster adds through ``record(_:)``.
    private(set) var problems = ProblemLog()
    /// Data rows in the file, rows of the wrong width included.
    private(set) var rowsRead = 0
    /// True when the file is not CSV or its header is unusable: no row may be imported.
    private(set) var isUnusable = false

    private var stream = CSVReader.Stream()
    private var header: Header?
    /// The file is not CSV: nothing more of it is read.
    private var isMalformed = false

    /// Reads the next piece of the file; returns the data rows it completed.
    mutating func read(_ bytes: some Sequence<UInt8>) -> [Row] {
        guard !isMalformed else { return [] }
        var records: [CSVReader.Record] = []
        do {
            try stream.read(bytes) { records.append($0) }
        } catch {
            refuse(error)
            return []
        }
        return rows(of: records)
    }

    /// Ends the file; returns the last row if the file did not end with a line break.
    mutating func finish() -> [Row] {
        guard !isMalformed else { return [] }
        var records: [CSVReader.Record] = []
        do {
            try stream.finish { records.append($0) }
        } catch {
            refuse(error)
            return []
        }
        var rows = rows(of: records)
        if header == nil {
            problems.append(RowProblem(line: 1, column: nil, reason: "the file is empty; it needs a header row"))
            isUnusable = true
            rows = []
        }
        return rows
    }

    /// Adds problems the roster found in a row.
    mutating func record(_ rowProblems: [RowProblem]) {
        problems += rowProblems
    }

    /// A file that is not CSV at all has that one problem, on the line where reading failed.
    private mutating func refuse(_ error: CSVReader.Malformed) {
        problems = [RowProblem(line: error.line, column: nil, reason: error.reason)]
        isUnusable = true
        isMalformed = true
    }

    private mutating func rows(of records: [CSVReader.Record]) -> [Row] {
        var rows: [Row] = []
        for record in records {
            guard let header else {
                readHeader(record)
                continue
            }
            if let row = row(of: record, under: header) { rows.append(row) }
        }
        return isUnusable ? [] : rows
    }

    private mutating func row(of record: CSVReader.Record, under header: Header) -> Row? {
        if record.fields.allSatisfy({ $0.trimmingBlanks().isEmpty }) { return nil }
        rowsRead += 1
        guard record.fields.count == header.width else {
            problems.append(
                RowProblem(
                    line: record.line, column: nil,
                    reason: "has \(record.fields.count) fields; the header has \(header.width)"))
            return nil
        }
        var clean = true
        for (position, field) in record.fields.enumerated() {
            guard let control = field.unicodeScalars.first(where: Self.isRefusedControl) else { continue }
            let code = String(control.value, radix: 16, uppercase: true)
            problems.append(
                RowProblem(
                    line: record.fieldLines[position], column: header.names[position],
                    reason: "holds the control character U+\(String(repeating: "0", count: 4 - code.count) + code),"
                        + " which a roll may not contain; remove it"))
            clean = false
        }
        guard clean else { return nil }
        return Row(line: record.line, fields: record.fields, fieldLines: record.fieldLines, positions: header.positions)
    }

    /// C0 controls (NUL included) other than tab and the line breaks a quoted field may hold.
    private static func isRefusedControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r"
    }

    private mutating func readHeader(_ record: CSVReader.Record) {
        var positions: [Column: Int] = [:]
        var names: [String] = []
        var headerProblems: [RowProblem] = []
        for (position, name) in record.fields.enumerated() {
            let text = name.trimmingBlanks()
            names.append(text)
            guard let column = Column(rawValue: text.lowercased()) else {
                let known = Column.allCases.map(\.rawValue).joined(separator: ", ")
                let reason =
                    text.isEmpty || text.unicodeScalars.contains(where: Self.isRefusedControl)
                    ? "a column without a usable header name" : "unknown column \(text); the columns are \(known)"
                let named = !text.isEmpty && !text.unicodeScalars.contains(where: Self.isRefusedControl)
                headerProblems.append(RowProblem(line: record.line, column: named ? text : nil, reason: reason))
                continue
            }
            guard positions[column] == nil else {
                headerProblems.append(
                    RowProblem(line: record.line, column: column.rawValue, reason: "the column appears twice"))
                continue
            }
            positions[column] = position
        }
        for column in Column.allCases where column.isRequired && positions[column] == nil {
            headerProblems.append(
                RowProblem(line: record.line, column: column.rawValue, reason: "required column is missing"))
        }
        header = Header(width: record.fields.count, positions: positions, names: names)
        if !headerProblems.isEmpty {
            problems += headerProblems
            isUnusable = true
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
