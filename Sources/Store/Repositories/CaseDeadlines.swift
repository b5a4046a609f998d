import Foundation
import Postgres

/// The housekeeping of time limits (限时办理) the serving process runs with its sweep: needs
/// past their `needed_by` expire with a reason, and a charity is reminded once, a day ahead,
/// before the hold on a match it must accept or deliver lapses.
public struct CaseDeadlines: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// The reason code of a need that expired, and of the live matches it took with it.
    public static let expiredReason = "needed_by_passed"

    /// Expires open and matched needs whose `needed_by` day (China) has passed: their live
    /// matches are cancelled through the lifecycle (units released), the need is closed as
    /// `expired` with an audit row and its caseworkers are told. Rows another transaction
    /// holds are left for the next sweep. Returns how many expired.
    @discardableResult
    public func expireNeedsPastNeededBy(batchSize: Int = 200) async throws -> Int {
        try await client.withTransaction { connection in
            let rows = try connection.query(
                """
                SELECT n.id, h.region_code FROM needs n JOIN households h ON h.id = n.household_id
                 WHERE n.status IN ('open', 'matched') AND n.needed_by < (now() AT TIME ZONE 'Asia/Shanghai')::date
                 ORDER BY n.id LIMIT $1 FOR UPDATE OF n SKIP LOCKED
                """, [batchSize])
            for row in rows {
                let need = try row.decode(Int64.self, "id")
                let cancelled = try MatchRepository.cancelLiveMatches(
                    ofNeed: need, reasonCode: Self.expiredReason, on: connection, by: .system)
                try connection.query(
                    "UPDATE needs SET status = 'expired', closed_at = now(), version = version + 1 WHERE id = $1",
                    [need])
                try AuditTrail.record(
                    on: connection, actor: .system, action: "need.expire", entityType: "need", entityID: String(need),
                    reason: Self.expiredReason, details: ["cancelled_matches": Int64(cancelled.count)])
                try Inbox.post(
                    on: connection, to: .staff(role: .caseworker, region: try row.decode(String.self, "region_code")),
                    kind: "need.expired", entityType: "need", entityID: String(need), details: ["need": "#\(need)"])
            }
            return rows.count
        }
    }

    /// Tells the charity, once per hold, about approved matches it has not accepted and
    /// accepted ones it has not delivered whose hold lapses within `ahead`. Returns how many.
    @discardableResult
    public func remindLapsingHolds(ahead: Duration = .seconds(86_400)) async throws -> Int {
        try await client.withTransaction { connection in
            let rows = try connection.query(
                """
                UPDATE matches m SET hold_reminded_at = now()
                  FROM offers o
                 WHERE o.id = m.offer_id AND m.status IN ('approved', 'accepted') AND m.hold_reminded_at IS NULL
                   AND m.hold_expires_at BETWEEN now() AND now() + make_interval(secs => $1::float8)
                RETURNING m.id, m.status, o.charity_id,
                          to_char(m.hold_expires_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS lapses
                """, [Double(ahead.components.seconds)])
            for row in rows {
                let match = try row.decode(Int64.self, "id")
                let status = try row.decode(String.self, "status")
                try Inbox.post(
                    on: connection, to: .charity(try row.decode(Int64.self, "charity_id")),
                    kind: status == "approved" ? "match.accept_soon" : "match.deliver_soon", entityType: "match",
                    entityID: String(match),
                    details: ["match": "#\(match)", "lapses": try row.decode(String.self, "lapses")])
            }
            return rows.count
        }
    }
}
