import Foundation
import Matching
import Postgres

extension OfferRecord {
    /// Whether a coordinator or caseworker of `scope` (nil: an administrator) may see the
    /// offer: one of its region prefixes covers the scope or lies inside it, or it serves by
    /// a circle (whose reach only the pair test decides). Anything else reads as missing.
    public func isVisible(within scope: RegionScope?) -> Bool {
        guard let scope else { return true }
        if terms.serviceRegionPrefixes.isEmpty { return terms.serviceCircle != nil }
        return terms.serviceRegionPrefixes.contains { $0.hasPrefix(scope.prefix) || scope.prefix.hasPrefix($0) }
    }
}

extension MatchRepository {
    /// A caseworker's proposal of one offer for one need, held to the engine: the pair is
    /// judged by the same reads and ``Eligibility`` as a run (category, service area, window,
    /// statuses and flags, charity standing here, consent, duplicate aid, the units left
    /// after reservations and pending proposals, a live match on the pair), scored by the
    /// ``Scorer`` with the policy that applies to the household's region, and written with
    /// that breakdown; units are capped at what the need still lacks and the offer still
    /// has. A need outside the caseworker's region, and an offer they cannot see, are
    /// ``StoreError/notFound(entity:id:)`` exactly like missing ones; a pair the engine
    /// would not make is ``StoreError/ineligible(reasons:)`` with every reason. The
    /// proposal is hand-made (no run) and appears on the coordinators' review page as such.
    public func propose(
        need needID: Int64, offer offerID: Int64, units requested: Int?, by principal: Principal,
        at now: Date = Date(), lookBackDays: Int = MatchRepository.duplicateAidLookBackDays, coolDownDays: Int = 30,
        idempotency: IdempotencyClaim? = nil
    ) async throws -> MatchRecord {
        try principal.authorize(.proposeMatch)
        if let requested, requested < 1 { throw StoreError.invalid(field: "units", reason: "must be at least 1") }
        let scope = principal.regionLimit
        let hours = holds.proposalHours
        return try await client.withTransaction(isolation: .repeatableRead) { connection in
            try idempotency?.begin(on: connection)
            let locked = try connection.query(
                """
                SELECT n.id FROM needs n JOIN households h ON h.id = n.household_id
                 WHERE n.id = $1 AND ($2::text IS NULL OR h.region_code LIKE $2::text || '%') FOR UPDATE OF n
                """, [needID, scope?.prefix])
            guard !locked.isEmpty else { throw StoreError.notFound(entity: .need, id: String(needID)) }
            let offer = try connection.query(
                "SELECT \(OfferRecord.columns) FROM offers o WHERE o.id = $1", [offerID]
            ).first.map(OfferRecord.init(row:))
            guard let offer, offer.isVisible(within: scope) else {
                throw StoreError.notFound(entity: .offer, id: String(offerID))
            }
            guard offer.status == .open else { throw StoreError.ineligible(reasons: ["offer_not_open"]) }
            let judged = try NeedEvaluation(
                need: needID, scope: scope, policyName: "standard", at: now,
                windows: (lookBackDays, coolDownDays), servingOnly: false, offer: offerID, on: connection
            ).judged(limit: 1, includeIneligible: true)
            guard let pair = judged.ranked.first else {
                throw StoreError.ineligible(reasons: judged.ineligible.first?.reasons.map(\.code) ?? ["offer_not_open"])
            }
            let units = min(requested ?? pair.units, pair.units)
            let rows: PostgresRows
            do {
                rows = try connection.query(
                    """
                    INSERT INTO matches (need_id, offer_id, units, score_micro, breakdown, created_by, hold_expires_at)
                    VALUES ($1, $2, $3, $4, $5::jsonb, $6, now() + make_interval(hours => $7::integer))
                    RETURNING \(MatchRecord.columns)
                    """,
                    [
                        needID, offerID, units, pair.breakdown.scoreMicro, BreakdownJSON.text(pair.breakdown),
                        principal.userID, hours,
                    ])
            } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                throw StoreError.ineligible(reasons: ["already_matched"])
            }
            let record = try MatchRecord(row: rows[0])
            try AuditTrail.record(
                on: connection, actor: principal.actor, action: "match.propose", entityType: "match",
                entityID: String(record.id),
                details: [
                    "need": needID, "offer": offerID, "units": Int64(units), "score_micro": pair.breakdown.scoreMicro,
                ])
            try idempotency?.complete(.init(entity: .match, id: record.id, created: true), on: connection)
            return record
        }
    }

    /// A proposal written without any of the engine's checks, for tests that need a match in
    /// a state no rule would allow (another region's pair, a full offer).
    func insertUncheckedProposal(need: Int64, offer: Int64, units: Int, by actor: Actor) async throws -> MatchRecord {
        let hours = holds.proposalHours
        return try await client.withTransaction { connection in
            let rows = try connection.query(
                """
                INSERT INTO matches (need_id, offer_id, units, created_by, hold_expires_at)
                VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5::integer))
                RETURNING \(MatchRecord.columns)
                """, [need, offer, units, actor.userID, hours])
            let record = try MatchRecord(row: rows[0])
            try AuditTrail.record(
                on: connection, actor: actor, action: "match.propose", entityType: "match",
                entityID: String(record.id), details: ["need": need, "offer": offer, "units": Int64(units)])
            return record
        }
    }
}
