import Foundation
import Postgres

extension RegionRepository {
    /// The names of the regions with these 12-digit codes, by code; unknown codes are left
    /// out.
    ///
    /// One read for a page of households rather than one per row.
    public func names(of codes: Set<String>) async throws -> [String: String] {
        guard !codes.isEmpty else { return [:] }
        let rows = try await client.query(
            "SELECT code, name FROM regions WHERE code = ANY($1::text[])", [codes.sorted()])
        var names: [String: String] = [:]
        for row in rows { names[try row.decode(String.self, "code")] = try row.decode(String.self, "name") }
        return names
    }
}
