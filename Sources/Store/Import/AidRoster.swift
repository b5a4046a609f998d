import Foundation

/// A government aid file (one row per payment or grant a household received from a
/// government programme, as the 低保 or 临时救助 system exports it), checked row by row.
///
/// The file is how government aid gets onto the household's aid chain in bulk: once it is
/// in, the duplicate-aid rule sees it in runs, proposals and approvals. What needs no
/// database is checked here by ``GovernmentAid/problems(amount:units:givenOn:today:)``,
/// the same rule a single record meets; whether the case number and category exist, and
/// whether the aid is already recorded, is the importer's job.
public struct AidRoster: Sendable {
    /// The columns of an aid file, by header name.
    public enum Column: String, Sendable, CaseIterable, RosterColumn {
        case caseNumber = "case_number"
        case category
        case amount
        case units
        case givenOn = "given_on"
        case program
        case externalRef = "external_ref"

        var isRequired: Bool { [.caseNumber, .category, .givenOn].contains(self) }
    }

    /// One valid row; `category` still names the category as the file did.
    public struct Entry: Sendable, Equatable {
        public var line: Int
        var columnLines: [Column: Int]
        public var caseNumber: String
        /// A category code (`material.grain_oil`) or Chinese name (`粮油`), as written.
        public var category: String
        public var amount: Decimal?
        public var units: Int?
        /// `yyyy-mm-dd`.
        public var givenOn: String
        public var program: String?
        public var externalRef: String?

        func problem(_ column: Column, _ reason: String) -> RowProblem {
            RowProblem(line: columnLines[column] ?? line, column: column.rawValue, reason: reason)
        }
    }

    public var rowsRead: Int { table.rowsRead }
    public private(set) var entries: [Entry] = []
    public var problemLog: ProblemLog { table.problems }
    public var isUnreadable: Bool { table.isUnusable }

    private var table = RosterTable<Column>()
    private let today: Int

    /// `today` (`yyyymmdd`) is the latest `given_on` accepted.
    public init(today: Int) {
        self.today = today
    }

    public mutating func read(_ bytes: some Sequence<UInt8>) {
        for row in table.read(bytes) { check(row) }
    }

    public mutating func finish() {
        for row in table.finish() { check(row) }
        if table.isUnusable { entries = [] }
    }

    private mutating func check(_ row: RosterTable<Column>.Row) {
        var problems: [RowProblem] = []
        let caseNumber = row.required(.caseNumber, problems: &problems)
        let category = row.required(.category, problems: &problems)
        let givenOn = row.required(.givenOn, problems: &problems)
        var amount: Decimal?
        if let text = row.value(.amount) {
            amount = HouseholdRoster.yuan(text)
            if amount == nil { problems.append(row.problem(.amount, "must be yuan such as 650 or 650.50")) }
        }
        var units: Int?
        if let text = row.value(.units) {
            units = text.isASCIIDigits && text.count <= 9 ? Int(text) : nil
            if units == nil { problems.append(row.problem(.units, "must be a whole number of at least 1")) }
        }
        let columns: [String: Column] = [
            "amount": .amount, "units": .units, "given_on": .givenOn, "program": .program,
            "external_ref": .externalRef,
        ]
        if let givenOn, problems.isEmpty {
            for (field, reason) in GovernmentAid.problems(
                amount: amount, units: units, givenOn: givenOn, program: row.value(.program),
                externalRef: row.value(.externalRef), today: today)
            {
                problems.append(row.problem(columns[field] ?? .amount, reason))
            }
        }
        table.record(problems)
        guard problems.isEmpty, let caseNumber, let category, let givenOn, let date = CivilDate(givenOn) else {
            return
        }
        entries.append(
            Entry(
                line: row.line, columnLines: row.columnLines, caseNumber: caseNumber, category: category,
                amount: amount, units: units, givenOn: date.description, program: row.value(.program),
                externalRef: row.value(.externalRef)))
    }
}
