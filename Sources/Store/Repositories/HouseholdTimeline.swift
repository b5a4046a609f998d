import Foundation
import Matching
import Postgres

/// One step on a household's aid chain (一户一条救助链): something the household received,
/// asked for, or that changed about it, from government or charity.
public struct TimelineEvent: Sendable, Equatable, Codable {
    /// What happened: `household.registered`, `household.update`, `household.consent_record`,
    /// `household.consent_withdraw`, `aid.government`, `aid.charity`, `need.recorded`,
    /// `need.fulfilled` | `need.cancelled` | `need.expired`, `match.<transition>` (propose,
    /// approve, reject, accept, decline, deliver, cancel, expire), `feedback`, and
    /// `transfer.send` | `transfer.accept` | `transfer.return` | `transfer.withdraw` (转介).
    public var kind: String
    /// When: the day aid was given (midnight in China), or the moment of a step.
    public var at: Date
    public var needID: Int64?
    public var matchID: Int64?
    public var aidID: Int64?
    public var categoryID: Int64?
    public var charityID: Int64?
    public var charityName: String?
    public var units: Int?
    /// Yuan, for aid.
    public var amount: Decimal?
    /// The reason code or the caseworker's reason, as recorded.
    public var reason: String?
    /// Per kind: the fields a change touched and the statuses it ended (`fields;ended`),
    /// the government programme, the run that proposed a match (none: by hand), the
    /// satisfaction of a feedback (1-5), a transfer's `household:<village>` or `referral:<charity>`.
    public var detail: String?

    init(row: PostgresRow) throws {
        kind = try row.decode(String.self, "kind")
        at = try row.decode(Date.self, "at")
        needID = try row.decode(Int64?.self, "need_id")
        matchID = try row.decode(Int64?.self, "match_id")
        aidID = try row.decode(Int64?.self, "aid_id")
        categoryID = try row.decode(Int64?.self, "category_id")
        charityID = try row.decode(Int64?.self, "charity_id")
        charityName = try row.decode(String?.self, "charity_name")
        units = try row.decode(Int?.self, "units")
        amount = try row.decode(Decimal?.self, "amount")
        reason = try row.decode(String?.self, "reason")
        detail = try row.decode(String?.self, "detail")
    }
}

extension HouseholdRepository {
    /// The most events a timeline returns, newest first; a household helped for years has
    /// a few hundred at most.
    public static let timelineLimit = 500

    /// The household's aid chain, newest first: registration, changes with their reasons,
    /// consent, government and charity aid, needs, every step of every match, feedback. For
    /// staff who may read households; outside the caller's region (and missing) it is
    /// ``StoreError/notFound(entity:id:)``.
    public func timeline(household id: Int64, by principal: Principal) async throws -> [TimelineEvent] {
        try principal.authorize(.readHouseholds)
        let rows = try await client.query(
            """
            WITH h AS (SELECT id, created_at FROM households
                        WHERE id = $1 AND ($2::text IS NULL OR region_code LIKE $2::text || '%')),
                 n AS (SELECT n.* FROM needs n JOIN h ON n.household_id = h.id),
                 m AS (SELECT m.id, m.need_id, m.units, m.run_id, m.created_at, o.charity_id, n.category_id
                         FROM matches m
                         JOIN n ON n.id = m.need_id JOIN offers o ON o.id = m.offer_id),
                 e AS (
                SELECT 'household.registered' AS kind, h.created_at AS at, NULL::bigint AS need_id,
                       NULL::bigint AS match_id, NULL::bigint AS aid_id, NULL::bigint AS category_id,
                       NULL::bigint AS charity_id, NULL::integer AS units, NULL::numeric AS amount,
                       NULL::text AS reason, NULL::text AS detail
                  FROM h
                UNION ALL
                SELECT a.action, a.at, NULL, NULL, NULL, NULL, NULL, NULL, NULL, a.reason,
                       (SELECT string_agg(f, ',') FROM jsonb_array_elements_text(a.details -> 'fields') f) || ';'
                       || coalesce((SELECT string_agg(f, ',')
                                      FROM jsonb_array_elements_text(a.details -> 'ended_statuses') f), '')
                  FROM audit_log a JOIN h ON a.entity_id = h.id::text
                 WHERE a.entity_type = 'household'
                   AND a.action IN ('household.update', 'household.consent_record', 'household.consent_withdraw')
                UNION ALL
                SELECT 'aid.' || r.source, r.given_on::timestamp AT TIME ZONE 'Asia/Shanghai', mm.need_id, r.match_id,
                       r.id, r.category_id, r.charity_id, r.units, r.amount, NULL, r.program
                  FROM aid_records r JOIN h ON r.household_id = h.id LEFT JOIN m mm ON mm.id = r.match_id
                UNION ALL
                SELECT 'need.recorded', n.recorded_at, n.id, NULL, NULL, n.category_id, NULL, n.quantity, NULL, NULL,
                       NULL
                  FROM n
                UNION ALL
                SELECT 'need.' || n.status, n.closed_at, n.id, NULL, NULL, n.category_id, NULL, n.fulfilled_quantity,
                       NULL, (SELECT a.reason FROM audit_log a
                               WHERE a.entity_type = 'need' AND a.entity_id = n.id::text AND a.action = 'need.cancel'
                               ORDER BY a.at DESC LIMIT 1), NULL
                  FROM n WHERE n.closed_at IS NOT NULL
                UNION ALL
                SELECT a.action, a.at, m.need_id, m.id, NULL, m.category_id, m.charity_id,
                       (a.details ->> 'units')::integer, NULL, a.reason, NULL
                  FROM audit_log a JOIN m ON a.entity_id = m.id::text
                 WHERE a.entity_type = 'match' AND a.action LIKE 'match.%' AND a.action <> 'match.propose'
                UNION ALL
                SELECT 'match.propose', m.created_at, m.need_id, m.id, NULL, m.category_id, m.charity_id, m.units, NULL,
                       NULL, m.run_id::text
                  FROM m
                UNION ALL
                SELECT 'transfer.send', t.sent_at, t.need_id, NULL, NULL, NULL, t.to_charity_id, NULL, NULL, t.reason,
                       t.kind || ':' || coalesce(t.to_region, t.to_charity_id::text)
                  FROM case_transfers t JOIN h ON t.household_id = h.id
                UNION ALL
                SELECT 'transfer.' || CASE t.status WHEN 'accepted' THEN 'accept' WHEN 'returned' THEN 'return'
                                                    ELSE 'withdraw' END,
                       t.decided_at, t.need_id, NULL, NULL, NULL, t.to_charity_id, NULL, NULL, t.return_reason,
                       t.kind || ':' || coalesce(t.to_region, t.to_charity_id::text)
                  FROM case_transfers t JOIN h ON t.household_id = h.id WHERE t.decided_at IS NOT NULL
                UNION ALL
                SELECT 'feedback', f.recorded_at, m.need_id, m.id, NULL, m.category_id, m.charity_id, NULL, NULL, NULL,
                       f.satisfaction::text
                  FROM feedback f JOIN m ON m.id = f.match_id)
            SELECT e.*, c.name AS charity_name
              FROM e LEFT JOIN charities c ON c.id = e.charity_id
             ORDER BY e.at DESC, e.kind LIMIT \(Self.timelineLimit)
            """, [id, principal.regionLimit?.prefix])
        guard !rows.isEmpty else { throw StoreError.notFound(entity: .household, id: String(id)) }
        return try rows.map(TimelineEvent.init(row:))
    }
}
