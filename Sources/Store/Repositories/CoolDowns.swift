import Foundation
import Matching
import Postgres

/// The cool-downs of refused pairs: a (need, offer) pair rejected, declined or expired is
/// not proposed again within a run's ``MatchingRunRequest/coolDownDays`` (30 by default),
/// and the per-need ranking says `refused_recently`. A coordinator who knows the refusal no
/// longer holds (the charity restocked, the household's situation changed) clears it here.
public struct CoolDowns: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Lets need `need`'s refused pairs be proposed again at once: all of them, or only the
    /// ones with `offer`. Returns the offers whose pairs were cleared, ascending (empty when
    /// none was cooling down). A need outside `scope` (nil: everywhere) is
    /// ``StoreError/notFound(entity:id:)`` exactly like a missing one. Audited as
    /// `need.clear_cool_down` with the offers, in the same transaction as the change.
    public func clear(need: Int64, offer: Int64?, by principal: Principal) async throws -> [Int64] {
        try principal.authorize(.clearCoolDown)
        let (scope, actor) = (principal.regionLimit, principal.actor)
        return try await client.withTransaction { connection in
            let found = try connection.query(
                """
                SELECT n.id FROM needs n JOIN households h ON h.id = n.household_id
                 WHERE n.id = $1 AND ($2::text IS NULL OR h.region_code LIKE $2::text || '%')
                """, [need, scope?.prefix] as [(any PostgresEncodable)?])
            guard !found.isEmpty else { throw StoreError.notFound(entity: .need, id: String(need)) }
            let offers = try connection.query(
                """
                UPDATE matches SET cooldown_cleared_at = now(), cooldown_cleared_by = $3
                 WHERE need_id = $1 AND ($2::bigint IS NULL OR offer_id = $2::bigint)
                   AND status IN ('rejected', 'declined', 'expired') AND cooldown_cleared_at IS NULL
                RETURNING offer_id
                """, [need, offer, actor.userID] as [(any PostgresEncodable)?]
            ).map { try $0.decode(Int64.self, "offer_id") }
            let cleared = Array(Set(offers)).sorted()
            try AuditTrail.record(
                on: connection, actor: actor, action: "need.clear_cool_down", entityType: "need",
                entityID: String(need), details: ["offers": cleared])
            return cleared
        }
    }
}
