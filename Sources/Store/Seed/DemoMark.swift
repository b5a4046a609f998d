import Matching
import Postgres

/// The mark a demo database carries (`demo_mark`, written by `charity-match seed --demo`).
///
/// Commands that fabricate history, such as `charity-match rehearse`, would otherwise feed
/// invented approvals, deliveries and ratings into reliability scores and public figures;
/// they ask ``isDemo()`` first and refuse a database without the mark.
public struct DemoMark: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Whether the database was created as a demo.
    public func isDemo() async throws -> Bool {
        let rows = try await client.query("SELECT EXISTS (SELECT 1 FROM demo_mark) AS demo")
        return try rows.first?.decode(Bool.self, "demo") ?? false
    }

    /// Marks the database as a demo, in the caller's transaction (the seed's own).
    static func mark(county: RegionCode, on connection: PostgresConnection) throws {
        try connection.query(
            "INSERT INTO demo_mark (county_code) VALUES ($1) ON CONFLICT (only_row) DO NOTHING", [county.description])
    }
}
