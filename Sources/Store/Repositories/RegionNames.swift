import Foundation
import Postgres

/// Region names for lists that show codes (runs, filters): one query for a page's codes
/// rather than one per row.
public struct RegionNames: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// The names of those of `codes` that are on the map, by code.
    public func names(of codes: [String]) async throws -> [String: String] {
        guard !codes.isEmpty else { return [:] }
        let rows = try await client.query(
            "SELECT code, name FROM regions WHERE code = ANY($1::text[])", [Array(Set(codes))])
        var names: [String: String] = [:]
        for row in rows { names[try row.decode(String.self, "code")] = try row.decode(String.self, "name") }
        return names
    }
}
