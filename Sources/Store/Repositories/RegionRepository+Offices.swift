import Postgres

extension RegionRepository {
    /// The regions an account may work in (province down to township), by code, at most
    /// `limit`: the choices offered when an administrator creates a coordinator or a caseworker.
    public func offices(limit: Int = 300) async throws -> [RegionRecord] {
        try await client.query(
            "SELECT \(RegionRecord.columns) FROM regions WHERE level <= 4 ORDER BY code LIMIT $1", [limit]
        ).map(RegionRecord.init(row:))
    }
}
