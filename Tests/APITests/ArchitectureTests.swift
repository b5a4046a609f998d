import Foundation
import Store
import TestSupport
import Testing

/// Finding 10 of "one set of rules on every path": the presentations reach PostgreSQL only
/// through the Store, and the roles of every action come from the Store's one table.
@Suite("The Store is the only door")
struct ArchitectureTests {
    /// The Swift files of a module, relative to the repository.
    static func sources(of module: String) throws -> [(path: String, text: String)] {
        let folder = RepositoryLayout.root.appendingPathComponent("Sources/\(module)")
        let files =
            FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        return try files.map { ($0.path, try String(contentsOf: $0, encoding: .utf8)) }
    }

    @Test(arguments: ["API", "Dashboard"])
    func aPresentationNeitherImportsTheDriverNorWritesSQL(module: String) throws {
        let files = try Self.sources(of: module)
        #expect(files.count > 10)
        for (path, text) in files {
            let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(!lines.contains { $0.hasSuffix("import Postgres") || $0 == "import CLibPQ" }, "\(path)")
            for keyword in ["SELECT ", "INSERT INTO", "UPDATE ", "DELETE FROM"] {
                #expect(!text.contains("\"\(keyword)") && !text.contains("\"\"\"\n        \(keyword)"), "\(path)")
            }
        }
    }

    @Test func everyActionIsOpenToSomeRoleAndBansAreTheAdministrators() {
        for action in Action.allCases { #expect(!AccessPolicy.roles(for: action).isEmpty, "\(action)") }
        #expect(AccessPolicy.roles(for: .banCharity) == [.admin])
        #expect(AccessPolicy.roles(for: .proposeMatch) == [.caseworker])
        #expect(!AccessPolicy.roles(for: .publishWeightPolicy).contains(.caseworker))
    }
}
