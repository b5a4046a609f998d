import Crypto
import Foundation
import Matching
import Postgres
import Store
import TestSupport
import Testing

@Suite("CSV import of households and needs")
struct ImportTests {
    static let pepper = "import-tests-pepper-0123456789"
    static let today = 2026_11_26

    private static func options(_ mode: ImportMode = .allOrNothing, scope: String? = nil) -> RosterImporter.Options {
        RosterImporter.Options(mode: mode, scope: scope.flatMap { RegionScope(prefix: $0) }, today: today)
    }

    private static func sample(_ name: String) throws -> [UInt8] {
        Array(
            try Data(contentsOf: RepositoryLayout.root.appendingPathComponent("samples").appendingPathComponent(name)))
    }

    /// A migrated database holding the sample regions (`samples/regions.sql`).
    private static func withImporter(
        _ label: String,
        _ body: (RosterImporter, IDNumberSealer, PostgresClient) async throws -> Void
    ) async throws {
        try await TestDatabase.with(label: label) { database in
            try await database.withClient { client in
                _ = try await Migrator(client: client, logger: TestDatabase.logger)
                    .migrate(try Migration.load(from: RepositoryLayout.migrations))
                let regions = String(decoding: try sample("regions.sql"), as: UTF8.self)
                try await client.withConnection { try $0.executeScript(regions) }
                let importer = RosterImporter(client: client, logger: TestDatabase.logger)
                try await body(importer, try IDNumberSealer(pepper: pepper), client)
            }
        }
    }

    private static func count(_ client: PostgresClient, _ table: String) async throws -> Int {
        try await client.query("SELECT count(*) AS n FROM \(table)")[0].decode(Int.self, "n")
    }

    /// The values of the `id_number` column of a household file.
    private static func idNumbers(in csv: [UInt8]) throws -> [String] {
        let records = try CSVReader.records(in: csv)
        let column = try #require(records.first?.fields.firstIndex(of: "id_number"))
        return records.dropFirst().compactMap { $0.fields.count > column ? $0.fields[column] : nil }
    }

    private static func sampleIDNumbers() throws -> [String] { try idNumbers(in: try sample("households.csv")) }

    // MARK: Samples

    @Test func samplesImportCompletely() async throws {
        try await Self.withImporter("importsamples") { importer, sealer, client in
            let households = try await importer.importHouseholds(
                csv: try Self.sample("households.csv"), sealer: sealer, options: Self.options())
            #expect(
                households
                    == ImportReport(kind: "households", mode: .allOrNothing, rowsRead: 12, imported: 12, problems: []))
            let needs = try await importer.importNeeds(csv: try Self.sample("needs.csv"), options: Self.options())
            #expect(needs == ImportReport(kind: "needs", mode: .allOrNothing, rowsRead: 12, imported: 12, problems: []))
            let aid = try await importer.importAid(csv: try Self.sample("aid.csv"), options: Self.options())
            #expect(aid == ImportReport(kind: "aid", mode: .allOrNothing, rowsRead: 4, imported: 4, problems: []))

            let first = try await client.query(
                """
                SELECT contact_name, assistance_statuses::text AS statuses, vulnerability_flags::text AS flags,
                       to_char(consent_given_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS consent
                  FROM households WHERE case_number = 'GS-2024-0001'
                """)[0]
            #expect(try first.decode(String.self, "contact_name") == "张三")
            #expect(try first.decode(String.self, "statuses") == "{tekun}")
            #expect(try first.decode(String.self, "flags") == "{living_alone_elderly,disabled}")
            #expect(try first.decode(String.self, "consent") == "2024-02-29 16:00")
            let address = try await client.query("SELECT address FROM households WHERE case_number = 'GS-2024-0007'")
            #expect(try address[0].decode(String.self, "address") == "平江路7号\n(后门)")
            let grain = try await client.query(
                """
                SELECT n.unit, n.urgency, n.emergency FROM needs n JOIN categories c ON c.id = n.category_id
                  JOIN households h ON h.id = n.household_id
                 WHERE h.case_number = 'GS-2024-0001' AND c.code = 'material.grain_oil'
                """)
            #expect(try grain[0].decode(String.self, "unit") == "portion")
            #expect(try grain[0].decode(Int32.self, "urgency") == 4)
            #expect(try grain[0].decode(Bool.self, "emergency") == false)
            let audit = try await client.query(
                "SELECT action, entity_type, details->>'imported' AS imported FROM audit_log ORDER BY id")
            #expect(
                try audit.map { try $0.decode(String.self, "action") } == [
                    "household.import", "need.import", "aid.import",
                ])
            #expect(try audit.map { try $0.decode(String.self, "imported") } == ["12", "12", "4"])
        }
    }

    // MARK: Bad rows

    static let badHouseholds: String = {
        let id = (1...9).map { RosterCSVTests.idNumber("3205081950010110\($0)") }
        let wrongCheck = String(id[1].dropLast()) + (id[1].hasSuffix("0") ? "1" : "0")
        return [
            "case_number,address,id_number,head_name,region_code,members,assistance_statuses,latitude,longitude",
            "C-1,地址1,\(id[0]),张一,320508001001,1,低保,,",
            ",地址2,\(id[1]),张二,320508001001,1,,,",
            "C-3,地址3,\(wrongCheck),张三,320508001001,1,,,",
            "C-4,地址4,\(id[2]),张四,320508003001,1,,,",
            "C-5,地址5,\(id[0]),张五,320508001001,1,,,",
            "C-6,地址6,\(id[3]),张六,320508001002,2,低保;特困,,",
            "C-7,\"第一行\n第二行\",\(id[4]),张七,320508001002,2,,31.3,120.6",
            "C-8,地址8,\(id[5]),张八,320508001002,2,,31.3,",
            "C-9,地址9,\(id[6])",
            "C-10,\"楼\n上\",\(id[7]),张十,320508001002,0,,,",
            "C-11,地址11,\(id[8]),张十一,320508002001,3,特困,,",
            "C-1,地址12,\(RosterCSVTests.idNumber("32050819600101001")),张十二,320508002001,1,,,",
        ].joined(separator: "\r\n") + "\r\n"
    }()

    static let badHouseholdProblems = [
        RowProblem(line: 3, column: "case_number", reason: "is required"),
        RowProblem(line: 4, column: "id_number", reason: "fails its check character (GB 11643)"),
        RowProblem(line: 5, column: "region_code", reason: "unknown region code 320508003001"),
        RowProblem(line: 6, column: "id_number", reason: "the same ID number as line 2 of this file"),
        RowProblem(
            line: 7, column: "assistance_statuses",
            reason: "低保 (dibao), 特困 (tekun) and 低保边缘 (dibao_edge) exclude each other"),
        RowProblem(line: 10, column: "longitude", reason: "is required when latitude is given"),
        RowProblem(line: 11, column: nil, reason: "has 3 fields; the header has 9"),
        RowProblem(line: 13, column: "members", reason: "must be a whole number from 1 to 99"),
        RowProblem(line: 15, column: "case_number", reason: "the same case number as line 2 of this file"),
    ]

    @Test func badRowsAreReportedPreciselyAndNothingIsImported() async throws {
        try await Self.withImporter("importbad") { importer, sealer, client in
            let report = try await importer.importHouseholds(
                csv: Array(Self.badHouseholds.utf8), sealer: sealer, options: Self.options())
            #expect(report.rowsRead == 12)
            #expect(report.imported == 0)
            #expect(report.problems == Self.badHouseholdProblems)
            #expect(try await Self.count(client, "households") == 0)
            #expect(try await Self.count(client, "audit_log") == 0)
        }
    }

    @Test func partialImportWritesOnlyTheValidRows() async throws {
        try await Self.withImporter("importpartial") { importer, sealer, client in
            let report = try await importer.importHouseholds(
                csv: Array(Self.badHouseholds.utf8), sealer: sealer, options: Self.options(.partial))
            #expect(report.imported == 3)
            #expect(report.problems == Self.badHouseholdProblems)
            let cases = try await client.query("SELECT case_number FROM households ORDER BY id")
            #expect(try cases.map { try $0.decode(String.self, "case_number") } == ["C-1", "C-7", "C-11"])
            let address = try await client.query("SELECT address FROM households WHERE case_number = 'C-7'")
            #expect(try address[0].decode(String.self, "address") == "第一行\n第二行")
            #expect(try await Self.count(client, "audit_log") == 1)
        }
    }

    // MARK: Duplicates against the database

    @Test func reimportingTheSampleReportsEveryRowAsDuplicate() async throws {
        try await Self.withImporter("importagain") { importer, sealer, client in
            let csv = try Self.sample("households.csv")
            _ = try await importer.importHouseholds(csv: csv, sealer: sealer, options: Self.options())
            let again = try await importer.importHouseholds(csv: csv, sealer: sealer, options: Self.options(.partial))
            #expect(again.imported == 0)
            #expect(again.problems.count == 24)
            let lines = [2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14]
            for column in ["id_number", "case_number"] {
                #expect(again.problems.filter { $0.column == column }.map(\.line) == lines)
            }
            #expect(
                again.problems.filter { $0.column == "id_number" }.allSatisfy {
                    $0.reason == "a household with this ID number is already registered"
                })
            #expect(
                again.problems.contains(
                    RowProblem(line: 2, column: "case_number", reason: "case number GS-2024-0001 is already registered")
                ))
            #expect(try await Self.count(client, "households") == 12)
        }
    }

    @Test func duplicateIDOrCaseNumberAgainstTheDatabase() async throws {
        try await Self.withImporter("importdup") { importer, sealer, client in
            _ = try await importer.importHouseholds(
                csv: try Self.sample("households.csv"), sealer: sealer, options: Self.options())
            let registered = try #require(try Self.sampleIDNumbers().first)
            let csv = """
                case_number,id_number,region_code,members
                GS-NEW-1,\(registered.lowercased()),320508001001,1
                GS-2024-0002,\(RosterCSVTests.idNumber("32050819600101002")),320508001001,1
                GS-NEW-3,\(RosterCSVTests.idNumber("32050819600101003")),320508001001,1
                """
            let report = try await importer.importHouseholds(
                csv: Array(csv.utf8), sealer: sealer, options: Self.options())
            #expect(
                report.problems == [
                    RowProblem(
                        line: 2, column: "id_number", reason: "a household with this ID number is already registered"),
                    RowProblem(
                        line: 3, column: "case_number", reason: "case number GS-2024-0002 is already registered"),
                ])
            #expect(report.imported == 0)
            #expect(try await Self.count(client, "households") == 12)
        }
    }

    @Test func concurrentImportsOfOneFileNeitherCrashNorDoubleRegister() async throws {
        try await Self.withImporter("importrace") { importer, sealer, client in
            let csv = try Self.sample("households.csv")
            let reports = try await withThrowingTaskGroup(of: ImportReport.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try await importer.importHouseholds(csv: csv, sealer: sealer, options: Self.options())
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(reports.map(\.imported).sorted() == [0, 12])
            #expect(reports.contains { $0.imported == 0 && $0.problems.count >= 12 })
            #expect(try await Self.count(client, "households") == 12)
        }
    }

    // MARK: Scope

    @Test func rowsOutsideTheCallersRegionAreRefused() async throws {
        try await Self.withImporter("importscope") { importer, sealer, client in
            let report = try await importer.importHouseholds(
                csv: try Self.sample("households.csv"), sealer: sealer,
                options: Self.options(.partial, scope: "320508002"))
            #expect(report.imported == 4)
            #expect(report.problems.count == 8)
            #expect(
                report.problems.first
                    == RowProblem(
                        line: 2, column: "region_code", reason: "320508001001 is outside your region (320508002)"))
            let rest = try await importer.importHouseholds(
                csv: try Self.sample("households.csv"), sealer: sealer, options: Self.options(.partial))
            #expect(rest.imported == 8)
            let needs = try await importer.importNeeds(
                csv: try Self.sample("needs.csv"), options: Self.options(.partial, scope: "320508002"))
            #expect(needs.imported == 4)
            #expect(needs.problems.allSatisfy { $0.reason == "no registered household has this case number" })
            #expect(try await Self.count(client, "needs") == 4)
        }
    }

    // MARK: Needs

    @Test func needRowsAreCheckedAgainstHouseholdsAndCategories() async throws {
        try await Self.withImporter("importneeds") { importer, sealer, client in
            _ = try await importer.importHouseholds(
                csv: try Self.sample("households.csv"), sealer: sealer, options: Self.options())
            let csv = """
                case_number,category,quantity,unit,urgency,emergency,needed_by,description
                GS-2024-0001,粮油,2,,,,,
                GS-9999-0000,粮油,1,,,,,
                GS-2024-0002,香烟,1,,,,,
                GS-2024-0002,material,1,,,,,
                GS-2024-0001,material.grain_oil,1,,,,,
                GS-2024-0003,money.medical,0,,9,maybe,2020-01-01,
                GS-2024-0003,service.care,2,小时,5,是,2027-01-31,"每周两次, 上午"
                GS-2024-0004,money.medical,100,kg,,,,
                """
            let expected = [
                RowProblem(line: 3, column: "case_number", reason: "no registered household has this case number"),
                RowProblem(line: 4, column: "category", reason: "unknown category 香烟"),
                RowProblem(
                    line: 5, column: "category",
                    reason: "material is a group of categories; name one of them, such as material.appliances"),
                RowProblem(
                    line: 6, column: "category", reason: "the same household and category as line 2 of this file"),
                RowProblem(line: 7, column: "quantity", reason: "must be a whole number of at least 1"),
                RowProblem(line: 7, column: "urgency", reason: "must be a whole number from 1 to 5"),
                RowProblem(line: 7, column: "emergency", reason: "must be true or false (是 or 否)"),
                RowProblem(line: 7, column: "needed_by", reason: "must be today or a later date written yyyy-mm-dd"),
                RowProblem(
                    line: 9, column: "unit",
                    reason: "unknown unit kg; use portion, set, piece, box, yuan, hour or session"),
            ]
            let strict = try await importer.importNeeds(csv: Array(csv.utf8), options: Self.options())
            #expect(strict.problems == expected)
            #expect(strict.imported == 0)
            #expect(try await Self.count(client, "needs") == 0)

            let partial = try await importer.importNeeds(csv: Array(csv.utf8), options: Self.options(.partial))
            #expect(partial.problems == expected)
            #expect(partial.imported == 2)
            let care = try await client.query(
                """
                SELECT n.unit, n.urgency, n.emergency, n.needed_by::text AS by, n.description
                  FROM needs n JOIN categories c ON c.id = n.category_id WHERE c.code = 'service.care'
                """)
            #expect(try care[0].decode(String.self, "unit") == "hour")
            #expect(try care[0].decode(Bool.self, "emergency"))
            #expect(try care[0].decode(String.self, "by") == "2027-01-31")
            #expect(try care[0].decode(String.self, "description") == "每周两次, 上午")

            let again = try await importer.importNeeds(csv: Array(csv.utf8), options: Self.options(.partial))
            #expect(again.imported == 0)
            #expect(
                again.problems.filter { $0.line == 2 || $0.line == 8 }.map(\.reason) == [
                    "the household already has an open need for material.grain_oil",
                    "the household already has an open need for service.care",
                ])
        }
    }

    // MARK: No plain ID number in the database

    @Test func noPlainIDNumberAnywhereInTheDatabaseAfterAnImport() async throws {
        try await Self.withImporter("importscan") { importer, sealer, client in
            let sampleNumbers = try Self.sampleIDNumbers()
            let report = try await importer.importHouseholds(
                csv: try Self.sample("households.csv"), sealer: sealer, options: Self.options())
            #expect(report.imported == sampleNumbers.count)
            _ = try await importer.importNeeds(csv: try Self.sample("needs.csv"), options: Self.options())
            // A partial import with problems, so an audit row with problems exists too.
            _ = try await importer.importHouseholds(
                csv: Array(Self.badHouseholds.utf8), sealer: sealer, options: Self.options(.partial))
            let reportJSON = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
            let numbers = sampleNumbers + (try Self.idNumbers(in: Array(Self.badHouseholds.utf8)))
            #expect(numbers.count == 24)

            let columns = try await client.query(
                """
                SELECT c.relname AS table_name, a.attname AS column_name,
                       format_type(coalesce(nullif(t.typbasetype, 0), a.atttypid), NULL) AS type
                  FROM pg_attribute a
                  JOIN pg_class c ON c.oid = a.attrelid
                  JOIN pg_namespace n ON n.oid = c.relnamespace
                  JOIN pg_type t ON t.oid = a.atttypid
                 WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
                   AND format_type(coalesce(nullif(t.typbasetype, 0), a.atttypid), NULL) IN
                       ('text', 'character varying', 'character', 'json', 'jsonb', 'text[]',
                        'character varying[]', 'bytea')
                 ORDER BY 1, 2
                """
            ).map {
                (
                    try $0.decode(String.self, "table_name"), try $0.decode(String.self, "column_name"),
                    try $0.decode(String.self, "type")
                )
            }
            let scanned = Set(columns.map { "\($0.0).\($0.1)" })
            for expected in [
                "households.contact_name", "households.address", "households.assistance_statuses",
                "households.id_number_last4", "households.id_number_hmac", "audit_log.details", "needs.description",
            ] {
                #expect(scanned.contains(expected))
            }
            var hits: [String] = []
            for (table, column, type) in columns {
                let rows = try await client.withConnection { connection in
                    let quoted = try connection.escapeIdentifier(column)
                    let value = type == "bytea" ? "encode(\(quoted), 'escape')" : "\(quoted)::text"
                    let sql = """
                        SELECT count(*) AS n FROM \(try connection.escapeIdentifier(table))
                         WHERE strpos(upper(\(value)), $1) > 0
                        """
                    return try numbers.map { number in
                        try connection.query(sql, [number.uppercased()])[0].decode(Int.self, "n")
                    }
                }
                if rows.contains(where: { $0 > 0 }) { hits.append("\(table).\(column)") }
            }
            #expect(hits == [])
            for number in numbers {
                #expect(!reportJSON.uppercased().contains(number.uppercased()))
            }

            let key = SymmetricKey(data: Array(Self.pepper.utf8))
            for number in sampleNumbers {
                let mac = Data(HMAC<SHA256>.authenticationCode(for: Array(number.uppercased().utf8), using: key))
                let stored = try await client.query(
                    "SELECT id_number_last4 FROM households WHERE id_number_hmac = $1", [mac])
                #expect(stored.count == 1)
                #expect(
                    try stored.first?.decode(String.self, "id_number_last4") == String(number.uppercased().suffix(4)))
            }
        }
    }
}
