import Foundation
import Matching
import Postgres

extension MatchRepository {
    /// What the audit row of a transition keeps.
    private struct TransitionDetails: Encodable {
        var from: MatchStatus
        var to: MatchStatus
        var need: Int64
        var offer: Int64
        var units: Int
        var note: String?
        var breakdown: ScoreBreakdown?
        /// Units given and the day; the receiver's name stays in the match row alone.
        var deliveredUnits: Int?
        var deliveredOn: String?

        enum CodingKeys: String, CodingKey {
            case from, to, need, offer, units, note, breakdown
            case deliveredUnits = "delivered_units", deliveredOn = "delivered_on"
        }
    }

    /// One transition inside the caller's transaction: lock the match, check the state
    /// machine, move capacity, update the match and its need, write the audit row. A
    /// delivery with a `delivery` report gives the household the reported units on the
    /// reported day and returns the rest to the offer; without one, all units today.
    static func apply(
        _ transition: MatchTransition, to id: Int64, on connection: PostgresConnection, by actor: Actor,
        reasonCode: String?, note: String?, holds: HoldPolicy, reach: MatchFilter = MatchFilter(),
        delivery: DeliveryReport? = nil
    ) throws -> MatchRecord {
        guard let current = try lockedMatch(id, within: reach, on: connection) else {
            throw StoreError.notFound(entity: .match, id: String(id))
        }
        guard transition.sources.contains(current.status) else {
            throw StoreError.invalidTransition(
                entity: .match, id: String(id), from: current.status.rawValue, action: transition.participle)
        }
        let target = transition.target
        let report = try transition == .deliver ? delivery?.validated(against: current, on: connection) : nil
        if transition == .approve || transition == .accept {
            try requireNeedStillWanted(current.needID, on: connection)
            try requireCharityInGoodStanding(for: current, on: connection)
        }
        if transition == .approve {
            try requireNoDuplicateAid(for: current, on: connection)
            try reserve(units: current.units, of: current.offerID, on: connection)
        } else if current.status.reservesCapacity && !target.reservesCapacity {
            let released = target == .delivered ? current.units - (report?.units ?? current.units) : current.units
            if released > 0 {
                try connection.query(
                    "UPDATE offers SET allocated = allocated - $2 WHERE id = $1", [current.offerID, released])
            }
        }
        let updated = try connection.query(
            """
            UPDATE matches
               SET status = $2, decided_by = $3, decided_at = now(), reason_code = $4, note = $5,
                   version = version + 1,
                   receipt_status = CASE WHEN $2::text = 'delivered' THEN 'pending' END,
                   hold_expires_at = CASE WHEN $6::integer IS NULL THEN NULL
                                          ELSE now() + make_interval(hours => $6::integer) END
             WHERE id = $1
            RETURNING \(MatchRecord.columns)
            """,
            [id, target.rawValue, actor.userID, reasonCode, note, holds.hours(in: target)]
        )
        guard var updatedRow = updated.first else { throw StoreError.notFound(entity: .match, id: String(id)) }
        if let report {
            let reported = try connection.query(
                """
                UPDATE matches SET delivered_units = $2, delivered_on = $3::date, received_by = $4, receipt_code = $5
                 WHERE id = $1
                RETURNING \(MatchRecord.columns)
                """, [id, report.units, report.deliveredOn, report.receivedBy, report.receiptCode])
            if let row = reported.first { updatedRow = row }
        }
        let record = try MatchRecord(row: updatedRow)
        if transition == .deliver {
            try recordDelivery(of: record, on: connection, by: actor)
        } else {
            try refreshStatus(ofNeed: record.needID, on: connection)
        }
        try AuditTrail.record(
            on: connection, actor: actor, action: "match.\(transition.rawValue)", entityType: "match",
            entityID: String(id), reason: reasonCode,
            details: TransitionDetails(
                from: current.status, to: target, need: record.needID, offer: record.offerID, units: record.units,
                note: note, breakdown: transition == .approve ? record.breakdown : nil,
                deliveredUnits: report?.units, deliveredOn: report?.deliveredOn))
        return record
    }

    /// A proposal written by a run can outlive its need: a caseworker may cancel the need, or
    /// the household withdraw consent, while the run that proposed it is still computing. Such
    /// a match must not go ahead (it lapses at its hold expiry).
    private static func requireNeedStillWanted(_ need: Int64, on connection: PostgresConnection) throws {
        let rows = try connection.query(
            """
            SELECT n.status, h.consent_given_at IS NOT NULL AND h.consent_withdrawn_at IS NULL AS consented
              FROM needs n JOIN households h ON h.id = n.household_id
             WHERE n.id = $1
            """,
            [need])
        guard let row = rows.first else { throw StoreError.notFound(entity: .need, id: String(need)) }
        let status = try row.decode(String.self, "status")
        guard status == "open" || status == "matched" else {
            throw StoreError.conflict(.notActive(.need, id: need, status: status))
        }
        guard try row.decode(Bool.self, "consented") else {
            throw StoreError.conflict(.consentWithdrawn(need: need))
        }
    }

    /// Aid can reach the household between a proposal and its approval: a government
    /// payment entered or imported, another charity's delivery. Approval looks again, in its
    /// own transaction, with the rule runs use (aid in the need's or the offer's category,
    /// given within the look-back); the need's own earlier deliveries are its fulfilment,
    /// not a duplicate.
    private static func requireNoDuplicateAid(for match: MatchRecord, on connection: PostgresConnection) throws {
        let rows = try connection.query(
            """
            SELECT a.id FROM needs n JOIN offers o ON o.id = $2
              JOIN aid_records a ON a.household_id = n.household_id AND a.category_id IN (n.category_id, o.category_id)
             WHERE n.id = $1
               AND a.given_on >= (now() AT TIME ZONE 'Asia/Shanghai')::date - $3::integer
               AND (a.match_id IS NULL OR NOT EXISTS (SELECT 1 FROM matches own
                                                       WHERE own.id = a.match_id AND own.need_id = n.id))
             ORDER BY a.given_on DESC, a.id DESC LIMIT 1
            """, [match.needID, match.offerID, duplicateAidLookBackDays])
        if let aid = try rows.first?.decode(Int64.self, "id") {
            throw StoreError.conflict(.duplicateAid(need: match.needID, aid: aid))
        }
    }

    /// The guarded reservation: succeeds only if the open offer still has the units, so no
    /// interleaving of approvals can over-promise (the CHECK on `offers` is the backstop).
    private static func reserve(units: Int, of offer: Int64, on connection: PostgresConnection) throws {
        let reserved = try connection.query(
            """
            UPDATE offers SET allocated = allocated + $2
             WHERE id = $1 AND status = 'open' AND allocated + $2 <= capacity
            """,
            [offer, units]
        )
        guard reserved.affectedRows == 0 else { return }
        let state = try connection.query(
            "SELECT status, capacity - allocated AS remaining FROM offers WHERE id = $1",
            [
                offer
            ])
        guard let row = state.first else { throw StoreError.notFound(entity: .offer, id: String(offer)) }
        let status = try row.decode(String.self, "status")
        guard status == "open" else {
            throw StoreError.conflict(.notActive(.offer, id: offer, status: status))
        }
        throw StoreError.capacityExhausted(
            offerID: offer, requested: units, remaining: try row.decode(Int.self, "remaining"))
    }

    /// Delivery adds the units given to the need's fulfilled quantity, closes it when fully
    /// served, and writes the household's aid record (the basis of duplicate-aid checks) for
    /// the day of delivery.
    private static func recordDelivery(
        of match: MatchRecord, on connection: PostgresConnection, by actor: Actor
    )
        throws
    {
        try connection.query(
            """
            UPDATE needs
               SET fulfilled_quantity = least(quantity, fulfilled_quantity + $2),
                   status = CASE WHEN fulfilled_quantity + $2 >= quantity THEN 'fulfilled' ELSE status END,
                   closed_at = CASE WHEN fulfilled_quantity + $2 >= quantity THEN now() ELSE closed_at END,
                   version = version + 1
             WHERE id = $1
            """,
            [match.needID, match.delivery?.units ?? match.units]
        )
        try connection.query(
            """
            INSERT INTO aid_records (household_id, source, category_id, charity_id, match_id, amount, units,
                                     given_on, recorded_by)
            SELECT n.household_id, 'charity', n.category_id, o.charity_id, $1, o.unit_value * $2, $2,
                   coalesce($6::date, current_date), $3
              FROM needs n JOIN offers o ON o.id = $4
             WHERE n.id = $5
            """,
            [
                match.id, match.delivery?.units ?? match.units, actor.userID, match.offerID, match.needID,
                match.delivery?.deliveredOn,
            ]
        )
        try refreshStatus(ofNeed: match.needID, on: connection)
    }

    /// An open need whose quantity is covered by delivered units and live reservations is
    /// `matched`; one that lost a reservation is `open` again. Final states stay put.
    static func refreshStatus(ofNeed need: Int64, on connection: PostgresConnection) throws {
        try connection.query(
            """
            UPDATE needs n
               SET status = CASE WHEN n.fulfilled_quantity + coalesce(
                                     (SELECT sum(m.units) FROM matches m
                                       WHERE m.need_id = n.id AND m.status IN ('approved', 'accepted')), 0)
                                     >= n.quantity THEN 'matched' ELSE 'open' END
             WHERE n.id = $1 AND n.status IN ('open', 'matched')
            """,
            [need]
        )
    }
}
