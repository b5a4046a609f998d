import Foundation
import Matching
import Store
import Testing

@Suite("CSV reader and rosters (no database)")
struct RosterCSVTests {
    static let today = 2026_11_26
    static let sealer: IDNumberSealer = {
        do {
            return try IDNumberSealer(pepper: "roster-tests-pepper-0123456789")
        } catch {
            preconditionFailure("a 29-byte pepper is accepted")
        }
    }()

    /// A valid 18-character number from its first 17 digits.
    static func idNumber(_ first17: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(first17.compactMap(\.wholeNumberValue), weights).reduce(0) { $0 + $1.0 * $1.1 }
        return first17 + String(Array("10X98765432")[sum % 11])
    }

    private static func records(_ text: String) throws -> [CSVReader.Record] {
        try CSVReader.records(in: Array(text.utf8))
    }

    // MARK: CSV reader

    @Test func quotedFieldsHoldCommasQuotesAndLineBreaks() throws {
        let records = try Self.records("a,\"b,c\",\"say \"\"hi\"\"\"\r\n\"one\r\ntwo\nthree\",x,\"\"\nlast,,\n")
        #expect(
            records.map(\.fields) == [["a", "b,c", "say \"hi\""], ["one\r\ntwo\nthree", "x", ""], ["last", "", ""]])
        #expect(records.map(\.line) == [1, 2, 5])
        #expect(records[1].fieldLines == [2, 4, 4])
    }

    @Test func byteOrderMarkCRLFAndMissingFinalLineBreak() throws {
        let records = try CSVReader.records(in: [0xEF, 0xBB, 0xBF] + Array("名,值\r\n甲,1\r\n\r\n乙,2".utf8))
        #expect(records.map(\.fields) == [["名", "值"], ["甲", "1"], [""], ["乙", "2"]])
        #expect(records.map(\.line) == [1, 2, 3, 4])
    }

    @Test func loneCarriageReturnsEndLinesToo() throws {
        let records = try Self.records("a\rb\r\nc\n")
        #expect(records.map(\.fields) == [["a"], ["b"], ["c"]])
        #expect(records.map(\.line) == [1, 2, 3])
    }

    @Test(arguments: [
        ("a,b\n\"open,\nstill open\n", 2, "a quoted field starts here and is never closed"),
        ("a,b\nx,y\"z\n", 2, "a quote inside an unquoted field; quote the whole field and double the quote"),
        ("a\n\"x\"y\n", 2, "text after the closing quote of a field"),
    ])
    func malformedFilesNameTheLine(_ text: String, _ line: Int, _ reason: String) {
        let error = #expect(throws: CSVReader.Malformed.self) { try Self.records(text) }
        #expect(error?.line == line)
        #expect(error?.reason == reason)
    }

    @Test func bytesThatAreNotUTF8AreRefusedWithTheirLine() {
        let gbk: [UInt8] = Array("a,b\n".utf8) + [0xD5, 0xC5, 0xC8, 0xFD, 0x2C, 0x31, 0x0A]
        let error = #expect(throws: CSVReader.Malformed.self) { try CSVReader.records(in: gbk) }
        #expect(error?.line == 2)
    }

    // MARK: Household roster

    @Test func headerOrderIsFreeAndNamesAndCodesAreAccepted() throws {
        let number = Self.idNumber("32050819500101001").lowercased()
        let csv = """
            MEMBERS , Region_Code,id_number,case_number,assistance_statuses,vulnerability_flags,consent_scope,consent_given_at
            2,320508001001,\(number),C-1,低保；医疗救助,独居老人、disabled,物资,2024-03-01T08:00
            """
        let roster = HouseholdRoster(csv: Array(csv.utf8), sealer: Self.sealer, today: Self.today)
        #expect(roster.problems == [])
        let entry = try #require(roster.entries.first)
        #expect(entry.members == 2 && entry.caseNumber == "C-1" && entry.region.digits == "320508001001")
        #expect(entry.statuses == [.dibao, .medical])
        #expect(entry.flags == [.livingAloneElderly, .disabled])
        #expect(entry.consent?.givenAt == "2024-03-01 08:00:00+08:00")
        #expect(entry.consent?.scope == "物资")
        let sealed = Self.sealer.seal(try ResidentIDNumber(number.uppercased(), today: Self.today))
        #expect(entry.idNumber == sealed)
        #expect(entry.idNumber.lastFour == String(number.uppercased().suffix(4)))
    }

    @Test func unknownOrMissingColumnsMakeTheFileUnreadable() {
        let roster = HouseholdRoster(
            csv: Array("case_number,id_number,region,members\nC-1,x,y,1\n".utf8), sealer: Self.sealer, today: Self.today
        )
        #expect(roster.isUnreadable)
        #expect(roster.entries.isEmpty)
        #expect(roster.problems.map(\.line) == [1, 1])
        #expect(roster.problems.map(\.column) == ["region", "region_code"])
        #expect(roster.problems.last?.reason == "required column is missing")
    }

    @Test func problemsNeverRepeatTheIDNumber() {
        let valid = Self.idNumber("32050819500101002")
        let wrongCheck = String(valid.dropLast()) + (valid.hasSuffix("1") ? "2" : "1")
        let csv = """
            case_number,id_number,region_code,members,head_name
            C-1,\(wrongCheck),320508001001,1,张三
            C-2,\(valid),320508001001,1,李四
            C-3,\(valid),320508001001,1,王五
            C-4,\(valid.prefix(17)),320508001001,1,赵六
            """
        let roster = HouseholdRoster(csv: Array(csv.utf8), sealer: Self.sealer, today: Self.today)
        #expect(
            roster.problems == [
                RowProblem(line: 2, column: "id_number", reason: "fails its check character (GB 11643)"),
                RowProblem(line: 4, column: "id_number", reason: "the same ID number as line 3 of this file"),
                RowProblem(line: 5, column: "id_number", reason: "must be 18 characters"),
            ])
        let text = roster.problems.map(\.description).joined(separator: "\n")
        for secret in [valid, wrongCheck, String(valid.prefix(17)), "张三", "王五", "赵六"] {
            #expect(!text.contains(secret))
        }
    }

    // MARK: Need roster

    @Test func needDefaultsAndChineseValues() throws {
        let csv = """
            case_number,category,quantity,unit,urgency,emergency,needed_by
            C-1,粮油,2,,,,
            C-2,service.care,3,小时,5,是,2027-01-31
            C-3,money.medical,0,kg,6,maybe,2020-01-01
            """
        let roster = NeedRoster(csv: Array(csv.utf8), today: Self.today)
        #expect(roster.entries.count == 2)
        let first = try #require(roster.entries.first)
        #expect(first.unit == nil && first.urgency == 3 && !first.isEmergency && first.category == "粮油")
        let second = try #require(roster.entries.last)
        #expect(second.unit == "hour" && second.urgency == 5 && second.isEmergency && second.neededBy == "2027-01-31")
        #expect(roster.problems.map(\.column) == ["quantity", "unit", "urgency", "emergency", "needed_by"])
        #expect(roster.problems.allSatisfy { $0.line == 4 })
    }
}
