import Foundation
import Matching

/// A household roll as a caseworker exports it, checked row by row into values the
/// importer can write, with every problem found on the way.
///
/// Everything that needs no database is checked here: required fields, formats, the
/// 身份证 check character, code lists, the schema's rules (exclusive statuses, location
/// pairs, consent with scope, birth dates within the member count) and duplicates inside
/// the file. The ID number is sealed (HMAC + last four) as soon as it is valid and the
/// plain number is dropped; no problem ever repeats it.
public struct HouseholdRoster: Sendable {
    /// The columns of a household file, by header name.
    public enum Column: String, Sendable, CaseIterable, RosterColumn {
        case caseNumber = "case_number"
        case idNumber = "id_number"
        case headName = "head_name"
        case regionCode = "region_code"
        case members
        case assistanceStatuses = "assistance_statuses"
        case vulnerabilityFlags = "vulnerability_flags"
        case perCapitaIncome = "per_capita_income"
        case latitude
        case longitude
        case contactPhone = "contact_phone"
        case address
        case consentGivenAt = "consent_given_at"
        case consentScope = "consent_scope"
        case memberBirthDates = "member_birth_dates"

        var isRequired: Bool { [.caseNumber, .idNumber, .regionCode, .members].contains(self) }
    }

    /// Consent to share with charities, as the roll recorded it.
    public struct Consent: Sendable, Equatable {
        /// The instant as `timestamptz` input (a bare date is midnight, UTC+8).
        public var givenAt: String
        /// What the household agreed to share, as written.
        public var scope: String
    }

    /// One valid row, ready to be written.
    public struct Entry: Sendable, Equatable {
        /// The line the row starts on.
        public var line: Int
        /// Where each column's value starts, when the row spans lines.
        var columnLines: [Column: Int]
        public var caseNumber: String
        /// HMAC and last four of the ID number; the number itself is not kept.
        public var idNumber: IDNumberSealer.Sealed
        /// Stored as `households.contact_name`.
        public var headName: String?
        public var region: RegionCode
        public var members: Int
        public var statuses: [AssistanceStatus]
        public var flags: [VulnerabilityFlag]
        /// Monthly per-capita income in yuan, as written (at most two decimals).
        public var perCapitaIncome: Decimal?
        public var location: GeoPoint?
        public var contactPhone: String?
        public var address: String?
        /// Nil when no consent is on file.
        public var consent: Consent?
        /// `yyyy-mm-dd` each.
        public var memberBirthDates: [String]

        /// The physical line of `column`'s value, for a problem found later.
        public func line(of column: Column) -> Int { columnLines[column] ?? line }

        func problem(_ column: Column, _ reason: String) -> RowProblem {
            RowProblem(line: line(of: column), column: column.rawValue, reason: reason)
        }
    }

    /// Data rows in the file.
    public var rowsRead: Int { table.rowsRead }
    /// The rows without problems.
    public private(set) var entries: [Entry] = []
    /// The first ``ProblemLog/limit`` problems, by line.
    public var problems: [RowProblem] { table.problems.listed }
    /// Every problem, counted.
    public var problemLog: ProblemLog { table.problems }
    /// True when the file itself (its CSV or its header) is unusable, so nothing may be
    /// imported whatever the mode.
    public var isUnreadable: Bool { table.isUnusable }

    private var table = RosterTable<Column>()
    private let sealer: IDNumberSealer
    private let today: Int
    private var firstLineOfID: [Data: Int] = [:]
    private var firstLineOfCase: [String: Int] = [:]

    /// Chinese names accepted besides the codes.
    static let statusNames: [String: AssistanceStatus] = [
        "低保": .dibao, "特困": .tekun, "低保边缘": .dibaoEdge, "临时救助": .temporary, "医疗救助": .medical,
    ]
    static let flagNames: [String: VulnerabilityFlag] = [
        "独居老人": .livingAloneElderly, "残疾": .disabled, "重度残疾": .severeDisability, "未成年人": .minor,
        "留守儿童": .leftBehindChild, "孤儿": .orphan, "重病": .seriousIllness, "单亲": .singleParent,
        "受灾": .disasterAffected,
    ]

    /// A roster to be read piece by piece (``read(_:)``, then ``finish()``), sealing ID
    /// numbers with `sealer`; `today` (`yyyymmdd`) bounds birth and consent dates.
    public init(sealer: IDNumberSealer, today: Int) {
        self.sealer = sealer
        self.today = today
    }

    /// Checks the whole of `csv` at once.
    public init(csv: [UInt8], sealer: IDNumberSealer, today: Int) {
        self.init(sealer: sealer, today: today)
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
        firstLineOfID = [:]
        firstLineOfCase = [:]
    }

    private mutating func check(_ row: RosterTable<Column>.Row) {
        var rowProblems: [RowProblem] = []
        let entry = Self.entry(from: row, sealer: sealer, today: today, problems: &rowProblems)
        if let entry {
            if let first = firstLineOfCase[entry.caseNumber] {
                rowProblems.append(row.problem(.caseNumber, "the same case number as line \(first) of this file"))
            }
            if let first = firstLineOfID[entry.idNumber.hmac] {
                rowProblems.append(row.problem(.idNumber, "the same ID number as line \(first) of this file"))
            }
            firstLineOfCase[entry.caseNumber] = firstLineOfCase[entry.caseNumber] ?? row.line
            firstLineOfID[entry.idNumber.hmac] = firstLineOfID[entry.idNumber.hmac] ?? row.line
        }
        if let entry, rowProblems.isEmpty { entries.append(entry) }
        table.record(rowProblems)
    }

    /// Checks one household submitted on its own (not in a file) by the same rules as a row
    /// of a roll: the entry, or every problem (each names its column).
    static func entry(
        values: [Column: String], sealer: IDNumberSealer, today: Int
    ) -> Result<Entry, ProblemList> {
        var problems: [RowProblem] = []
        let entry = entry(from: SubmittedFields(values: values), sealer: sealer, today: today, problems: &problems)
        guard let entry, problems.isEmpty else { return .failure(ProblemList(problems: problems)) }
        return .success(entry)
    }

    /// The problems of a record that did not pass.
    struct ProblemList: Error {
        let problems: [RowProblem]
    }

    /// The entry of a row, or nil with its problems appended.
    private static func entry(
        from row: some RosterFields<Column>,
        sealer: IDNumberSealer,
        today: Int,
        problems: inout [RowProblem]
    ) -> Entry? {
        let before = problems.count
        let caseNumber = row.required(.caseNumber, problems: &problems)
        if let caseNumber, caseNumber.count > 64 {
            problems.append(row.problem(.caseNumber, "is longer than 64 characters"))
        }
        var sealed: IDNumberSealer.Sealed?
        if let text = row.required(.idNumber, problems: &problems) {
            do {
                sealed = sealer.seal(try ResidentIDNumber(text, today: today))
            } catch {
                problems.append(row.problem(.idNumber, "\(error)"))
            }
        }
        var region: RegionCode?
        if let text = row.required(.regionCode, problems: &problems) {
            region = RegionCode(text)
            if region == nil {
                problems.append(row.problem(.regionCode, "\(text) is not a 12-digit region code"))
            }
        }
        var members: Int?
        if let text = row.required(.members, problems: &problems) {
            members = text.isASCIIDigits ? Int(text) : nil
            if members.map({ !(1...99).contains($0) }) ?? true {
                problems.append(row.problem(.members, "must be a whole number from 1 to 99"))
                members = nil
            }
        }
        let statuses = codes(row, .assistanceStatuses, names: statusNames, problems: &problems)
        let exclusive = statuses.filter { [.dibao, .tekun, .dibaoEdge].contains($0) }
        if exclusive.count > 1 {
            problems.append(
                row.problem(.assistanceStatuses, "低保 (dibao), 特困 (tekun) and 低保边缘 (dibao_edge) exclude each other"))
        }
        let flags = codes(row, .vulnerabilityFlags, names: flagNames, problems: &problems)
        var income: Decimal?
        if let text = row.value(.perCapitaIncome) {
            income = Self.yuan(text)
            if income == nil {
                problems.append(
                    row.problem(.perCapitaIncome, "must be yuan such as 650 or 650.50 (at most 2 decimals)"))
            }
        }
        let location = Self.location(row, problems: &problems)
        let phone = row.value(.contactPhone)
        if let phone, !Self.isPhoneNumber(phone) {
            problems.append(row.problem(.contactPhone, "is not a phone number (digits, spaces, +, -, parentheses)"))
        }
        let consent = Self.consent(row, today: today, problems: &problems)
        var birthDates: [String] = []
        if let text = row.value(.memberBirthDates) {
            for part in text.split(separator: ";").map({ String($0).trimmingBlanks() }) where !part.isEmpty {
                guard let date = CivilDate(part), date.number <= today else {
                    problems.append(row.problem(.memberBirthDates, "\(part) is not a past date written yyyy-mm-dd"))
                    continue
                }
                birthDates.append(date.description)
            }
            if let members, birthDates.count > members {
                problems.append(
                    row.problem(.memberBirthDates, "lists \(birthDates.count) birth dates for \(members) member(s)"))
            }
        }
        guard problems.count == before, let caseNumber, let sealed, let region, let members else { return nil }
        return Entry(
            line: row.line, columnLines: row.columnLines, caseNumber: caseNumber, idNumber: sealed,
            headName: row.value(.headName), region: region,
            members: members, statuses: statuses, flags: flags, perCapitaIncome: income, location: location,
            contactPhone: phone, address: row.value(.address), consent: consent, memberBirthDates: birthDates)
    }

    /// A `;`-separated list of codes or their Chinese names (`、` and `,` separate too).
    static func codes<Code: RawRepresentable<String> & CaseIterable & Equatable>(
        _ row: some RosterFields<Column>,
        _ column: Column,
        names: [String: Code],
        problems: inout [RowProblem]
    ) -> [Code] {
        guard let text = row.value(column) else { return [] }
        var codes: [Code] = []
        for part in text.split(whereSeparator: { ";；、,".contains($0) }).map({ String($0).trimmingBlanks() })
        where !part.isEmpty {
            guard let code = Code(rawValue: part.lowercased()) ?? names[part] else {
                let accepted = Code.allCases.map(\.rawValue).joined(separator: ", ")
                problems.append(row.problem(column, "unknown value \(part); use \(accepted) or their Chinese names"))
                continue
            }
            if !codes.contains(code) { codes.append(code) }
        }
        return codes
    }

    static func yuan(_ text: String) -> Decimal? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts[0].isASCIIDigits, parts[0].count <= 10,
            parts.count == 1 || (parts[1].isASCIIDigits && parts[1].count <= 2)
        else { return nil }
        return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
    }

    private static func location(_ row: some RosterFields<Column>, problems: inout [RowProblem]) -> GeoPoint? {
        let latitude = row.value(.latitude)
        let longitude = row.value(.longitude)
        switch (latitude, longitude) {
        case (nil, nil):
            return nil
        case (.some, nil):
            problems.append(row.problem(.longitude, "is required when latitude is given"))
            return nil
        case (nil, .some):
            problems.append(row.problem(.latitude, "is required when longitude is given"))
            return nil
        case (.some(let latitudeText), .some(let longitudeText)):
            let latitude = Double(latitudeText).flatMap { (-90...90).contains($0) ? $0 : nil }
            let longitude = Double(longitudeText).flatMap { (-180...180).contains($0) ? $0 : nil }
            if latitude == nil { problems.append(row.problem(.latitude, "must be degrees from -90 to 90")) }
            if longitude == nil { problems.append(row.problem(.longitude, "must be degrees from -180 to 180")) }
            guard let latitude, let longitude else { return nil }
            return GeoPoint(latitude: latitude, longitude: longitude)
        }
    }

    static func isPhoneNumber(_ text: String) -> Bool {
        let digits = text.filter { $0.isASCII && $0.isNumber }.count
        return (5...20).contains(digits) && text.allSatisfy { ($0.isASCII && $0.isNumber) || " +-()".contains($0) }
    }

    private static func consent(
        _ row: some RosterFields<Column>,
        today: Int,
        problems: inout [RowProblem]
    ) -> Consent? {
        let scope = row.value(.consentScope)
        guard let text = row.value(.consentGivenAt) else {
            if scope != nil { problems.append(row.problem(.consentGivenAt, "is required when consent_scope is given")) }
            return nil
        }
        guard let instant = CivilDate.instant(text), instant.date.number <= today else {
            problems.append(
                row.problem(.consentGivenAt, "must be a past date (yyyy-mm-dd) or ISO 8601 time (yyyy-mm-ddTHH:MM)"))
            return nil
        }
        guard let scope else {
            problems.append(row.problem(.consentScope, "is required when consent_given_at is given"))
            return nil
        }
        return Consent(givenAt: instant.timestamptz, scope: scope)
    }
}
