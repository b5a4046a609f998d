import Foundation
import Matching
import Postgres

/// A stage of a case that has a time limit (限时办理).
public enum CaseStage: String, Sendable, Codable, CaseIterable {
    /// From a need recorded to its first proposal.
    case firstProposal = "first_proposal"
    /// From a proposal to the coordinator's approval or rejection.
    case decision
    /// From approval to the charity's acceptance.
    case acceptance
    /// From acceptance to delivery.
    case delivery
}

/// Overdue items of one stage in one township.
public struct OverdueCount: Sendable, Equatable, Codable {
    /// The township's 12-digit code.
    public var township: String
    public var stage: CaseStage
    public var count: Int
}

/// 限时办理: the days each stage may take in a region, and what is past them.
///
/// A limit is set for a region prefix; a household's limit is that of the nearest enclosing
/// prefix that has one, down to the national default (`''`). Coordinators set limits for
/// their own region and inside it; administrators anywhere.
public struct TimeLimits: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// The limits that apply to the caller's region, by stage.
    public func limits(by principal: Principal) async throws -> [CaseStage: Int] {
        try principal.authorize(.readRuns)
        let region = (principal.regionLimit?.prefix ?? "").padding(toLength: 12, withPad: "0", startingAt: 0)
        let rows = try await client.query(
            "SELECT s.stage, stage_limit_days($1, s.stage) AS days FROM unnest($2::text[]) AS s (stage)",
            [region, CaseStage.allCases.map(\.rawValue)])
        var limits: [CaseStage: Int] = [:]
        for row in rows { limits[try row.decodeCode(CaseStage.self, "stage")] = try row.decode(Int.self, "days") }
        return limits
    }

    /// Sets the days of `stage` for `region` (nil: the caller's own; an administrator's own
    /// is the national default), audited with the previous value.
    public func set(_ stage: CaseStage, days: Int, region: RegionScope?, by principal: Principal) async throws {
        try principal.authorize(.setTimeLimits)
        guard (1...365).contains(days) else {
            throw StoreError.invalid(field: "days", reason: "must be a whole number of days from 1 to 365")
        }
        let limit = principal.regionLimit
        let target = region ?? limit
        if let limit, let target, !target.prefix.hasPrefix(limit.prefix) {
            throw StoreError.forbidden(role: principal.role.rawValue, action: .setTimeLimits, scope: limit.prefix)
        }
        let prefix = target?.prefix ?? ""
        try await client.withTransaction { connection in
            let before = try connection.query(
                """
                SELECT days FROM stage_limits WHERE region_prefix = $1 AND stage = $2 FOR UPDATE
                """, [prefix, stage.rawValue]
            ).first.map { try $0.decode(Int.self, "days") }
            try connection.query(
                """
                INSERT INTO stage_limits (region_prefix, stage, days, set_by) VALUES ($1, $2, $3, $4)
                ON CONFLICT (region_prefix, stage) DO UPDATE SET days = $3, set_by = $4, set_at = now()
                """, [prefix, stage.rawValue, days, principal.userID])
            try AuditTrail.record(
                on: connection, actor: principal.actor, action: "time_limit.set", entityType: "region",
                entityID: prefix.isEmpty ? "national" : prefix,
                details: ["stage": stage.rawValue, "days": String(days), "before": before.map { String($0) } ?? ""])
        }
    }

    /// What is past its stage's limit now, counted per township inside the caller's region:
    /// open needs never proposed, proposals undecided, approvals not accepted, acceptances
    /// not delivered.
    public func overdue(by principal: Principal) async throws -> [OverdueCount] {
        try principal.authorize(.readRuns)
        return try await client.query(
            """
            WITH items AS (
                SELECT h.region_code, 'first_proposal' AS stage, n.recorded_at AS since
                  FROM needs n JOIN households h ON h.id = n.household_id
                 WHERE n.status = 'open' AND ($1::text IS NULL OR h.region_code LIKE $1::text || '%')
                   AND NOT EXISTS (SELECT 1 FROM matches m WHERE m.need_id = n.id)
                UNION ALL
                SELECT h.region_code, CASE m.status WHEN 'proposed' THEN 'decision'
                                                    WHEN 'approved' THEN 'acceptance' ELSE 'delivery' END,
                       CASE m.status WHEN 'proposed' THEN m.created_at ELSE m.decided_at END
                  FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                 WHERE m.status IN ('proposed', 'approved', 'accepted')
                   AND ($1::text IS NULL OR h.region_code LIKE $1::text || '%')),
            -- A limit per village and stage, not per item (the nearest prefix set, as stage_limit_days
            -- decides it, in one join over the few rows of stage_limits).
            limits AS (
                SELECT DISTINCT ON (v.region_code, l.stage) v.region_code, l.stage,
                       now() - make_interval(days => l.days) AS due_before
                  FROM (SELECT DISTINCT region_code FROM items) v
                  JOIN stage_limits l ON starts_with(v.region_code, l.region_prefix)
                 ORDER BY v.region_code, l.stage, length(l.region_prefix) DESC)
            SELECT left(i.region_code, 9) || '000' AS township, i.stage, count(*)::int AS count
              FROM items i JOIN limits l ON l.region_code = i.region_code AND l.stage = i.stage
             WHERE i.since < l.due_before
             GROUP BY 1, 2 ORDER BY 1, 2
            """, [principal.regionLimit?.prefix]
        ).map {
            OverdueCount(
                township: try $0.decode(String.self, "township"),
                stage: try $0.decodeCode(CaseStage.self, "stage"), count: try $0.decode(Int.self, "count"))
        }
    }
}
