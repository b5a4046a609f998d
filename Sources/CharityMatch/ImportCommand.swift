import ArgumentParser
import Foundation
import Matching
import Postgres
import Store

/// `charity-match import households|needs|aid FILE`: loads a caseworker's CSV export.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import households, needs or government aid from a CSV file (see README, \"CSV import\").",
        discussion: """
            Every bad row is reported as FILE:LINE: column COLUMN: reason on stderr. Exit status: 0 when every \
            row was imported, 2 when problems were found (nothing was imported unless --partial was given, in \
            which case the valid rows were).
            """,
        subcommands: [Households.self, Needs.self, Aid.self]
    )

    struct Households: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a household file; ID numbers are sealed with the pepper in $ID_PEPPER.")

        @OptionGroup var file: ImportFileOptions
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let sealer = try IDNumberSealer.fromEnvironment()
            try await file.run(database: database, label: "charity-match.import.households") {
                importer, pieces, options in
                try await importer.importHouseholds(reading: pieces, sealer: sealer, options: options)
            }
        }
    }

    struct Needs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a needs file; its case numbers must already be registered.")

        @OptionGroup var file: ImportFileOptions
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await file.run(database: database, label: "charity-match.import.needs") { importer, pieces, options in
                try await importer.importNeeds(reading: pieces, options: options)
            }
        }
    }

    struct Aid: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import government aid households received; their case numbers must already be registered.")

        @OptionGroup var file: ImportFileOptions
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            try await file.run(database: database, label: "charity-match.import.aid") { importer, pieces, options in
                try await importer.importAid(reading: pieces, options: options)
            }
        }
    }
}

/// The file and how to import it, shared by every kind.
struct ImportFileOptions: ParsableArguments {
    @Argument(help: "The CSV file (UTF-8, header row, comma-separated).")
    var file: String

    @Flag(help: "Import the valid rows and report the others (default: all or nothing).")
    var partial = false

    @Option(help: "Refuse rows outside this region: a 2, 4, 6, 9 or 12-digit prefix such as 320508.")
    var region: String?

    @Flag(help: "Also print the report as JSON on stdout.")
    var json = false

    func validate() throws {
        if let region, RegionScope(prefix: region) == nil {
            throw ValidationError("--region must be a region prefix of 2, 4, 6, 9 or 12 digits, got \(region)")
        }
    }

    func run(
        database: DatabaseOptions,
        label: String,
        _ perform: (RosterImporter, RosterImporter.Pieces, RosterImporter.Options) async throws -> ImportReport
    ) async throws {
        let logger = try CommandLogger.make(label: label)
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw ValidationError("cannot read \(file)")
        }
        defer { try? handle.close() }
        // The file is read and checked a megabyte at a time, never held whole.
        let pieces: RosterImporter.Pieces = {
            guard let data = try handle.read(upToCount: 1 << 20), !data.isEmpty else { return nil }
            return Array(data)
        }
        let options = RosterImporter.Options(
            mode: partial ? .partial : .allOrNothing, scope: region.flatMap { RegionScope(prefix: $0) })
        let client = try database.makeClient(logger: logger)
        let report: ImportReport
        do {
            report = try await perform(RosterImporter(client: client, logger: logger), pieces, options)
            await client.shutdown()
        } catch {
            await client.shutdown()
            throw error
        }
        printReport(report)
        guard report.isComplete else { throw ExitCode(2) }
    }

    private func printReport(_ report: ImportReport) {
        var lines = report.problems.map { problem in
            let column = problem.column.map { "column \($0): " } ?? ""
            return "\(file):\(problem.line): \(column)\(problem.reason)"
        }
        if report.problemCount > report.problems.count {
            lines.append("\(file): only the first \(report.problems.count) problems are listed above")
        }
        let counts = "\(report.rowsRead) \(report.kind) row(s) read, \(report.imported) imported"
        if report.isComplete {
            lines.append("\(file): \(counts)")
        } else if report.mode == .partial {
            lines.append(
                "\(file): \(counts); \(report.problemCount) problem(s); the rows with problems were not imported"
            )
        } else {
            lines.append(
                "\(file): \(counts); \(report.problemCount) problem(s), so nothing was imported"
                    + " (fix them and import the file again, or pass --partial to import the valid rows)")
        }
        FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            if let body = try? encoder.encode(report) {
                print(String(decoding: body, as: UTF8.self))
            }
        }
    }
}
