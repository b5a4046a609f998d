import Crypto
import Foundation

/// One numbered file of `sql/`, such as `001_schema.sql`.
public struct Migration: Sendable, Equatable {
    /// The number the file name starts with; files apply in this order.
    public let version: Int
    /// The file name, used in every message about the migration.
    public let fileName: String
    /// The SQL text, run as one script inside one transaction.
    public let sql: String
    /// SHA-256 of the file's bytes in hex; an applied file whose checksum changes is refused.
    public let checksum: String

    public init(version: Int, fileName: String, sql: String) {
        self.version = version
        self.fileName = fileName
        self.sql = sql
        self.checksum = SHA256.hash(data: Data(sql.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Reads every `NNN_name.sql` file of `directory`, sorted by number.
    ///
    /// Other files (a README, say) are ignored; a `.sql` file without a number, two files
    /// with one number, or a file that is not UTF-8 is an error naming the file.
    public static func load(from directory: URL) throws -> [Migration] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw MigrationError(file: directory.path, problem: "the migrations directory cannot be read")
        }
        var migrations: [Migration] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            let digits = name.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 6, name.dropFirst(digits.count).first == "_",
                let version = Int(digits)
            else {
                throw MigrationError(file: name, problem: "the name must look like 001_description.sql")
            }
            if let clash = migrations.first(where: { $0.version == version }) {
                throw MigrationError(file: name, problem: "it has the same number as \(clash.fileName)")
            }
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path),
                let sql = String(data: data, encoding: .utf8)
            else {
                throw MigrationError(file: name, problem: "the file cannot be read as UTF-8")
            }
            migrations.append(Migration(version: version, fileName: name, sql: sql))
        }
        return migrations.sorted { $0.version < $1.version }
    }
}

/// A migration problem, always naming the file it concerns.
public struct MigrationError: Error, CustomStringConvertible, Equatable {
    /// The migration file (or directory) concerned.
    public let file: String
    /// What is wrong, in a sentence.
    public let problem: String

    public var description: String { "\(file): \(problem)" }
}
