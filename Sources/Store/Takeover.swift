import Foundation
import Matching
import Postgres

/// 临时接管: what happens, in the same transaction, when a provider stops being able to serve.
///
/// Suspending or banning a charity, suspending it in a region, or the charity closing an
/// offer that still holds reservations leaves households waiting on matches that will not
/// be delivered. ``start(on:charity:cause:within:offer:by:)`` cancels those matches at once
/// (reason code `taken_over`, through the match lifecycle, so each releases what it reserved
/// exactly once), records them under one takeover whose needs a coordinator re-matches first
/// (``TakeoverRepository/run(takeover:by:)``), and tells the charity and the caseworkers and
/// coordinators of every township concerned.
public enum Takeover {
    /// Why the matches were taken over.
    public enum Cause: String, Sendable, Codable, CaseIterable {
        case suspended, banned
        case regionalSuspension = "regional_suspension"
        case offerClosed = "offer_closed"
    }

    /// The reason code on the matches a takeover cancels.
    public static let reasonCode = "taken_over"

    /// Takes over the charity's live matches for households under `scope` (nil: everywhere),
    /// or on `offer` alone; nil when there were none, so nothing is recorded or sent. The
    /// matches are locked in id order, the order every transition takes them in.
    @discardableResult
    static func start(
        on connection: PostgresConnection, charity: Int64, cause: Cause, within scope: RegionScope? = nil,
        offer: Int64? = nil, by actor: Actor
    ) throws -> Int64? {
        let live = try connection.query(
            """
            SELECT m.id FROM matches m JOIN offers o ON o.id = m.offer_id
              JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
             WHERE o.charity_id = $1 AND ($2::bigint IS NULL OR o.id = $2::bigint)
               AND ($3::text IS NULL OR h.region_code LIKE $3::text || '%')
               AND m.status IN ('proposed', 'approved', 'accepted')
             ORDER BY m.id
            """, [charity, offer, scope?.prefix]
        ).map { try $0.decode(Int64.self, "id") }
        guard !live.isEmpty else { return nil }
        let cancelled = try MatchRepository.cancelLiveMatches(
            among: live, reasonCode: reasonCode, on: connection, by: actor)
        guard !cancelled.isEmpty else { return nil }
        let takeover = try connection.query(
            """
            INSERT INTO takeovers (charity_id, cause, region_prefix, offer_id, started_by)
            VALUES ($1, $2, $3, $4, $5) RETURNING id
            """, [charity, cause.rawValue, scope?.prefix ?? "", offer, actor.userID]
        )[0].decode(Int64.self, "id")
        let townships = try connection.query(
            """
            WITH t AS (
                INSERT INTO takeover_matches (takeover_id, match_id, need_id, units)
                SELECT $1, m.id, m.need_id, m.units FROM matches m WHERE m.id = ANY($2::bigint[])
                RETURNING need_id)
            SELECT DISTINCT left(h.region_code, 9) || '000' AS township
              FROM t JOIN needs n ON n.id = t.need_id JOIN households h ON h.id = n.household_id
             ORDER BY 1
            """, [takeover, cancelled.map { Int($0) }]
        ).map { try $0.decode(String.self, "township") }
        let details = ["takeover": String(takeover), "matches": String(cancelled.count), "cause": cause.rawValue]
        try Inbox.post(
            on: connection, to: .charity(charity), kind: "takeover.started", entityType: "takeover",
            entityID: String(takeover), details: details)
        for township in townships {
            for role in [UserRole.coordinator, .caseworker] {
                try Inbox.post(
                    on: connection, to: .staff(role: role, region: township), kind: "takeover.started",
                    entityType: "takeover", entityID: String(takeover), details: details)
            }
        }
        try AuditTrail.record(
            on: connection, actor: actor, action: "takeover.start", entityType: "takeover",
            entityID: String(takeover), reason: cause.rawValue,
            details: ["charity": charity, "matches": Int64(cancelled.count)])
        return takeover
    }
}
