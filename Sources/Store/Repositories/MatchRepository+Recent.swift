import Foundation
import Matching
import Postgres

extension MatchRepository {
    /// The `limit` (1 to 500) matches passing `filter` decided most recently, latest first
    /// (undecided ones last, newest id first among equals).
    ///
    /// ``list(_:page:)`` reads in id order, which for finished matches is the order they
    /// were proposed in; a charity looking back at its deliveries wants the latest ones.
    /// The selection is gathered whole first, so this suits the bounded filters (a charity,
    /// a township or village) it is meant for.
    public func recent(_ filter: MatchFilter, limit: Int) async throws -> [MatchRecord] {
        let limit = try PageRequest<Int64>(limit: limit).validatedLimit()
        var selection = MatchSelection(filter)
        let chosen = "SELECT m.id FROM \(selection.tables) WHERE true\(selection.conditions)"
        let count = selection.bind(limit)
        let rows = try await client.query(
            """
            WITH chosen AS MATERIALIZED (\(chosen))
            SELECT \(MatchRecord.columns) FROM matches
             WHERE id IN (SELECT id FROM chosen) ORDER BY decided_at DESC NULLS LAST, id DESC LIMIT \(count)
            """, selection.parameters)
        return try rows.map(MatchRecord.init(row:))
    }
}
