import Foundation
import Postgres
import Store
import TestSupport
import Testing

/// A bad file's report is bounded (the first 1,000 problems and the total), a file read in
/// pieces reads like the whole, and control characters in a cell are a row problem.
@Suite("CSV import bounds")
struct ImportBoundsTests {
    private static func withImporter(_ label: String, _ body: (RosterImporter) async throws -> Void) async throws {
        try await TestDatabase.with(label: label) { database in
            try await database.withClient { client in
                _ = try await Migrator(client: client, logger: TestDatabase.logger)
                    .migrate(try Migration.load(from: RepositoryLayout.migrations))
                try await body(RosterImporter(client: client, logger: TestDatabase.logger))
            }
        }
    }

    private static let options = RosterImporter.Options(today: 2026_11_26)

    @Test func aFileOfBadRowsListsTheFirstThousandProblemsAndCountsThemAll() async throws {
        var csv = "case_number,category,quantity\n"
        for row in 0..<1_500 { csv += "C\(row),粮油,many\n" }
        try await Self.withImporter("import-cap") { importer in
            let report = try await importer.importNeeds(csv: Array(csv.utf8), options: Self.options)
            #expect(report.rowsRead == 1_500)
            #expect(report.imported == 0)
            #expect(report.problemCount == 1_500)
            #expect(report.problems.count == ProblemLog.limit)
            #expect(report.problems.first?.line == 2)
            #expect(report.problems.last?.line == 1_001)
            #expect(report.problems.map(\.line) == report.problems.map(\.line).sorted())
            let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
            #expect(json.contains(#""problem_count":1500"#))
        }
    }

    @Test func aNulOrOtherControlCharacterInACellIsAProblemNamingLineAndColumn() async throws {
        let csv =
            "case_number,category,quantity,description\nC1,粮油,2,\"two\nlines\"\nC2,粮油,1,bad\u{0}cell\n"
            + "C3,粮\u{1B}油,1,\n"
        try await Self.withImporter("import-nul") { importer in
            let report = try await importer.importNeeds(csv: Array(csv.utf8), options: Self.options)
            let nul = try #require(report.problems.first { $0.column == "description" })
            #expect(nul.line == 4)
            #expect(nul.reason.contains("U+0000"))
            let escape = try #require(report.problems.first { $0.column == "category" && $0.line == 5 })
            #expect(escape.reason.contains("U+001B"))
            #expect(!report.problems.contains { $0.line == 2 && $0.reason.contains("control") })
        }
    }

    @Test func aFileReadInPiecesGivesTheSameRecordsAsTheWholeFile() throws {
        let text = "\u{FEFF}名,值\r\n\"甲\r\n乙\",\"1\"\"2\"\r\n丙,\r\n\"丁\",3"
        let bytes = Array(text.utf8)
        let whole = try CSVReader.records(in: bytes)
        var stream = CSVReader.Stream()
        var pieces: [CSVReader.Record] = []
        for byte in bytes { try stream.read([byte]) { pieces.append($0) } }
        try stream.finish { pieces.append($0) }
        #expect(pieces == whole)
        #expect(whole.count == 4)
        #expect(whole[1].fields == ["甲\r\n乙", "1\"2"])
        #expect(whole[2].line == 4)
    }
}
