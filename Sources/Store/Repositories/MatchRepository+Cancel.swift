import Postgres

extension MatchRepository {
    /// Cancels every live match of a household's needs, of one need, or those of `matches` still live, through the
    /// lifecycle inside the caller's transaction: each releases what it reserved and writes
    /// its own `match.cancel` audit row. The matches are locked in id order first, the
    /// order concurrent transitions take them in. Returns their ids.
    static func cancelLiveMatches(
        ofHousehold household: Int64? = nil, ofNeed need: Int64? = nil, among matches: [Int64]? = nil,
        reasonCode: String,
        on connection: PostgresConnection, by actor: Actor
    ) throws -> [Int64] {
        let ids = try connection.query(
            """
            SELECT m.id FROM matches m JOIN needs n ON n.id = m.need_id
             WHERE (n.household_id = $1 OR n.id = $2 OR m.id = ANY($3::bigint[])) AND m.status IN ('proposed', 'approved', 'accepted')
             ORDER BY m.id FOR UPDATE OF m
            """, [household, need, matches?.map { Int($0) }]
        ).map { try $0.decode(Int64.self, "id") }
        for id in ids {
            _ = try apply(
                .cancel, to: id, on: connection, by: actor, reasonCode: reasonCode, note: nil, holds: HoldPolicy())
        }
        return ids
    }
}
