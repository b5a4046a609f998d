import Foundation
import Matching
import Postgres

/// Periodic charity evaluations (绩效评价) for the coordinators of a county or wider region:
/// compute a period's draft from the rows themselves, give each charity the coordinator's
/// score and note, publish. A published evaluation is a public record: it never changes
/// (the Store refuses, and the schema's triggers refuse whoever asks), and its latest score
/// per charity feeds the reliability factor of matching.
///
/// Every write locks the evaluation, checks the caller's region and the draft status, writes
/// and appends its `audit_log` row in one transaction.
public struct EvaluationRepository: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Computes (or, while a draft, computes again) the evaluation of `region` (nil: the
    /// caller's own) for `period`, keeping the coordinator's scores and notes of a previous
    /// draft. The region must be a county or wider, inside the caller's; a period that has
    /// not begun is ``StoreError/invalid(field:reason:)``; a published one is
    /// ``StoreError/invalidTransition(entity:id:from:action:)``.
    public func compute(
        region requested: RegionScope?, period: EvaluationPeriod, by principal: Principal
    ) async throws -> EvaluationRecord {
        let scope = try Self.scope(requested, for: principal)
        let id = try await client.withTransaction { connection in
            let padded = scope.prefix + String(repeating: "0", count: 12 - scope.prefix.count)
            let today = try connection.query(
                "SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text AS today, EXISTS (SELECT 1 FROM regions WHERE code = $1) AS known",
                [padded])[0]
            guard try today.decode(Bool.self, "known") else {
                throw StoreError.notFound(entity: .region, id: scope.prefix)
            }
            guard period.startsOn <= (try today.decode(String.self, "today")) else {
                throw StoreError.invalid(field: "period", reason: "has not begun yet")
            }
            try connection.query(
                """
                INSERT INTO evaluations (region_prefix, period, starts_on, ends_on, computed_by)
                VALUES ($1, $2, $3::date, $4::date, $5)
                ON CONFLICT ON CONSTRAINT evaluations_one_per_region_period DO NOTHING
                """, [scope.prefix, period.description, period.startsOn, period.endsOn, principal.userID])
            let locked = try connection.query(
                "SELECT id, status FROM evaluations WHERE region_prefix = $1 AND period = $2 FOR UPDATE",
                [scope.prefix, period.description])[0]
            let id = try locked.decode(Int64.self, "id")
            guard try locked.decode(String.self, "status") == EvaluationStatus.draft.rawValue else {
                throw StoreError.invalidTransition(
                    entity: .evaluation, id: String(id), from: "published", action: "computed again")
            }
            let kept = try Dictionary(
                connection.query(
                    "SELECT charity_id, coordinator_score::int AS s, coordinator_note FROM evaluation_charities WHERE evaluation_id = $1",
                    [id]
                ).map { row in
                    (
                        try row.decode(Int64.self, "charity_id"),
                        (try row.decode(Int?.self, "s"), try row.decode(String?.self, "coordinator_note"))
                    )
                }, uniquingKeysWith: { first, _ in first })
            try connection.query("DELETE FROM evaluation_charities WHERE evaluation_id = $1", [id])
            let rows = try connection.query(Self.figuresQuery, [scope.prefix, period.startsOn, period.endsOn])
            for row in rows {
                let charity = try row.decode(Int64.self, "charity_id")
                let figures = try Self.figures(from: row)
                let (score, note) = kept[charity] ?? (nil, nil)
                try Self.insert(
                    charity: charity, figures: figures, coordinatorScore: score, note: note, into: id, on: connection)
            }
            try connection.query(
                "UPDATE evaluations SET computed_at = now(), computed_by = $2 WHERE id = $1", [id, principal.userID])
            try AuditTrail.record(
                on: connection, actor: principal.actor, action: "evaluation.compute", entityType: "evaluation",
                entityID: String(id),
                details: ["region": scope.prefix, "period": period.description, "charities": String(rows.count)])
            return id
        }
        return try await evaluation(id: id, by: principal)
    }

    /// The evaluations of the caller's region (and the regions inside it), newest period
    /// first, optionally of one period or status.
    public func list(
        period: EvaluationPeriod? = nil, status: EvaluationStatus? = nil, by principal: Principal
    ) async throws -> [EvaluationRecord] {
        try principal.authorize(.evaluateCharities)
        let rows = try await client.query(
            """
            SELECT \(EvaluationRecord.columns) FROM evaluations e
             WHERE ($1::text IS NULL OR e.region_prefix LIKE $1::text || '%')
               AND ($2::text IS NULL OR e.period = $2::text) AND ($3::text IS NULL OR e.status = $3::text)
             ORDER BY e.starts_on DESC, e.region_prefix, e.id LIMIT 100
            """, [principal.regionLimit?.prefix, period?.description, status?.rawValue])
        let charities = try await Self.charities(of: try rows.map { try $0.decode(Int64.self, "id") }, client)
        return try rows.map { row in
            try EvaluationRecord(row: row, charities: charities[try row.decode(Int64.self, "id")] ?? [])
        }
    }

    /// One evaluation inside the caller's region, else ``StoreError/notFound(entity:id:)``.
    public func evaluation(id: Int64, by principal: Principal) async throws -> EvaluationRecord {
        try principal.authorize(.evaluateCharities)
        let rows = try await client.query(
            """
            SELECT \(EvaluationRecord.columns) FROM evaluations e
             WHERE e.id = $1 AND ($2::text IS NULL OR e.region_prefix LIKE $2::text || '%')
            """, [id, principal.regionLimit?.prefix])
        guard let row = rows.first else { throw StoreError.notFound(entity: .evaluation, id: String(id)) }
        return try EvaluationRecord(row: row, charities: try await Self.charities(of: [id], client)[id] ?? [])
    }

    /// Gives a charity of a draft the coordinator's score (0–100) and note, and scores it
    /// again by ``EvaluationFormula``.
    public func score(
        evaluation id: Int64, charity: Int64, score: Int, note: String?, by principal: Principal
    ) async throws -> EvaluationRecord {
        guard (0...100).contains(score) else {
            throw StoreError.invalid(field: "score", reason: "must be between 0 and 100")
        }
        let note = try optionalText(note, field: "note", maxLength: 1000, rule: .multiLine)
        try await write(id, action: "scored", by: principal) { connection in
            let rows = try connection.query(
                """
                SELECT \(CharityEvaluation.columns) FROM evaluation_charities ec JOIN charities c ON c.id = ec.charity_id
                 WHERE ec.evaluation_id = $1 AND ec.charity_id = $2 FOR UPDATE OF ec
                """, [id, charity])
            guard let row = rows.first else { throw StoreError.notFound(entity: .charity, id: String(charity)) }
            let current = try CharityEvaluation(row: row)
            try connection.query(
                """
                UPDATE evaluation_charities SET coordinator_score = $3, coordinator_note = $4, score = $5
                 WHERE evaluation_id = $1 AND charity_id = $2
                """,
                [
                    id, charity, score, note,
                    EvaluationFormula.score(current.figures, coordinatorScore: score),
                ] as [(any PostgresEncodable)?])
            try AuditTrail.record(
                on: connection, actor: principal.actor, action: "evaluation.score", entityType: "evaluation",
                entityID: String(id), details: ["charity": String(charity), "score": String(score)])
        }
        return try await evaluation(id: id, by: principal)
    }

    /// Publishes a draft, for good: a second publication is
    /// ``StoreError/invalidTransition(entity:id:from:action:)``.
    public func publish(evaluation id: Int64, by principal: Principal) async throws -> EvaluationRecord {
        try await write(id, action: "published", by: principal) { connection in
            try connection.query(
                "UPDATE evaluations SET status = 'published', published_at = now(), published_by = $2 WHERE id = $1",
                [id, principal.userID])
            try AuditTrail.record(
                on: connection, actor: principal.actor, action: "evaluation.publish", entityType: "evaluation",
                entityID: String(id))
        }
        return try await evaluation(id: id, by: principal)
    }

    /// The one write path on an existing evaluation: authorise, lock it inside the caller's
    /// region, require a draft, run `change`.
    private func write(
        _ id: Int64, action: String, by principal: Principal,
        _ change: @escaping @Sendable (PostgresConnection) throws -> Void
    ) async throws {
        try principal.authorize(.evaluateCharities)
        try await client.withTransaction { connection in
            let rows = try connection.query(
                """
                SELECT status FROM evaluations
                 WHERE id = $1 AND ($2::text IS NULL OR region_prefix LIKE $2::text || '%') FOR UPDATE
                """, [id, principal.regionLimit?.prefix])
            guard let row = rows.first else { throw StoreError.notFound(entity: .evaluation, id: String(id)) }
            let status = try row.decode(String.self, "status")
            guard status == EvaluationStatus.draft.rawValue else {
                throw StoreError.invalidTransition(entity: .evaluation, id: String(id), from: status, action: action)
            }
            try change(connection)
        }
    }

    /// The region an evaluation by `principal` covers when they name `requested`: their own
    /// when nil (an administrator must name one), a county or wider, inside their region.
    static func scope(_ requested: RegionScope?, for principal: Principal) throws(StoreError) -> RegionScope {
        try principal.authorize(.evaluateCharities)
        guard let scope = requested ?? principal.regionLimit else {
            throw .invalid(field: "region", reason: "is required")
        }
        if let limit = principal.regionLimit, !scope.prefix.hasPrefix(limit.prefix) {
            throw .invalid(field: "region", reason: "must be your region or a region inside it")
        }
        guard scope.level <= .county else {
            throw .invalid(field: "region", reason: "must be a county or a wider region (2, 4 or 6 digits)")
        }
        return scope
    }

    private static func insert(
        charity: Int64, figures: EvaluationFigures, coordinatorScore: Int?, note: String?, into id: Int64,
        on connection: PostgresConnection
    ) throws {
        try connection.query(
            """
            INSERT INTO evaluation_charities (evaluation_id, charity_id, accepted, delivered, confirmed, disputed, lapsed,
                   taken_over, median_days, complaints, complaints_open, satisfaction_average, satisfaction_count,
                   coordinator_score, coordinator_note, score)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
            """,
            [
                id, charity, figures.accepted, figures.delivered, figures.confirmed, figures.disputed, figures.lapsed,
                figures.takenOver, figures.medianDaysToDeliver, figures.complaints, figures.complaintsOpen,
                figures.satisfactionAverage, figures.satisfactionCount, coordinatorScore, note,
                EvaluationFormula.score(figures, coordinatorScore: coordinatorScore),
            ] as [(any PostgresEncodable)?])
    }

    static func figures(from row: PostgresRow) throws -> EvaluationFigures {
        EvaluationFigures(
            accepted: try row.decode(Int.self, "accepted"), delivered: try row.decode(Int.self, "delivered"),
            confirmed: try row.decode(Int.self, "confirmed"), disputed: try row.decode(Int.self, "disputed"),
            lapsed: try row.decode(Int.self, "lapsed"), takenOver: try row.decode(Int.self, "taken_over"),
            medianDaysToDeliver: try row.decode(Double?.self, "median_days"),
            complaints: try row.decode(Int.self, "complaints"),
            complaintsOpen: try row.decode(Int.self, "complaints_open"),
            satisfactionAverage: try row.decode(Double?.self, "satisfaction_average"),
            satisfactionCount: try row.decode(Int.self, "satisfaction_count"))
    }

    /// The charities of the evaluations `ids`, by evaluation, each by charity id.
    private static func charities(
        of ids: [Int64], _ client: PostgresClient
    ) async throws -> [Int64: [CharityEvaluation]] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await client.query(
            """
            SELECT ec.evaluation_id, \(CharityEvaluation.columns)
              FROM evaluation_charities ec JOIN charities c ON c.id = ec.charity_id
             WHERE ec.evaluation_id = ANY($1::bigint[]) ORDER BY ec.evaluation_id, ec.charity_id
            """, [ids.map { Int($0) }])
        var byEvaluation: [Int64: [CharityEvaluation]] = [:]
        for row in rows {
            byEvaluation[try row.decode(Int64.self, "evaluation_id"), default: []].append(
                try CharityEvaluation(row: row))
        }
        return byEvaluation
    }

    /// Each charity's figures for the households of scope `$1` and matches proposed from day
    /// `$2` up to day `$3` (China Standard Time): a match counts as accepted once delivered
    /// or when the audit trail holds its acceptance; declined (after approval) and expired
    /// after acceptance are lapses; cancelled with `taken_over` a takeover. Time to deliver
    /// runs from the first approval in the trail to the delivery. Complaints are those raised
    /// in the period and handled in the scope. A charity appears when it took on, lapsed,
    /// lost or was complained about anything there in the period.
    static let figuresQuery = """
        WITH scoped AS (
            SELECT m.id, o.charity_id, m.status, m.reason_code, m.receipt_status, m.decided_at,
                   m.status = 'delivered' OR EXISTS (
                       SELECT 1 FROM audit_log a WHERE a.entity_type = 'match' AND a.entity_id = m.id::text
                          AND a.action = 'match.accept') AS accepted,
                   (SELECT min(a.at) FROM audit_log a WHERE a.entity_type = 'match' AND a.entity_id = m.id::text
                       AND a.action = 'match.approve') AS approved_at
              FROM matches m JOIN offers o ON o.id = m.offer_id JOIN needs n ON n.id = m.need_id
              JOIN households h ON h.id = n.household_id
             WHERE h.region_code LIKE $1 || '%'
               AND m.status IN ('accepted', 'delivered', 'declined', 'expired', 'cancelled')
               AND (m.created_at AT TIME ZONE 'Asia/Shanghai')::date >= $2::date
               AND (m.created_at AT TIME ZONE 'Asia/Shanghai')::date < $3::date
        ), per_charity AS (
            SELECT s.charity_id, count(*) FILTER (WHERE s.accepted) AS accepted,
                   count(*) FILTER (WHERE s.status = 'delivered') AS delivered,
                   count(*) FILTER (WHERE s.receipt_status = 'confirmed') AS confirmed,
                   count(*) FILTER (WHERE s.receipt_status = 'disputed') AS disputed,
                   count(*) FILTER (WHERE s.status = 'declined' OR (s.status = 'expired' AND s.accepted)) AS lapsed,
                   count(*) FILTER (WHERE s.status = 'cancelled' AND s.reason_code = 'taken_over') AS taken_over,
                   round((percentile_cont(0.5) WITHIN GROUP (
                       ORDER BY extract(epoch FROM s.decided_at - s.approved_at) / 86400)
                       FILTER (WHERE s.status = 'delivered' AND s.approved_at IS NOT NULL))::numeric, 1)::float8
                       AS median_days,
                   round(avg(f.satisfaction), 2)::float8 AS satisfaction_average, count(f.id) AS satisfaction_count
              FROM scoped s LEFT JOIN feedback f ON f.match_id = s.id
             GROUP BY s.charity_id
            HAVING count(*) FILTER (
                WHERE s.accepted OR s.status = 'declined' OR (s.status = 'cancelled' AND s.reason_code = 'taken_over')) > 0
        ), raised AS (
            SELECT k.charity_id, count(*) AS complaints, count(*) FILTER (WHERE k.status = 'open') AS complaints_open
              FROM complaints k
             WHERE k.region_code LIKE $1 || '%'
               AND (k.raised_at AT TIME ZONE 'Asia/Shanghai')::date >= $2::date
               AND (k.raised_at AT TIME ZONE 'Asia/Shanghai')::date < $3::date
             GROUP BY k.charity_id
        )
        SELECT coalesce(p.charity_id, r.charity_id) AS charity_id, coalesce(p.accepted, 0)::int AS accepted,
               coalesce(p.delivered, 0)::int AS delivered, coalesce(p.confirmed, 0)::int AS confirmed,
               coalesce(p.disputed, 0)::int AS disputed, coalesce(p.lapsed, 0)::int AS lapsed,
               coalesce(p.taken_over, 0)::int AS taken_over, greatest(p.median_days, 0) AS median_days,
               coalesce(r.complaints, 0)::int AS complaints, coalesce(r.complaints_open, 0)::int AS complaints_open,
               p.satisfaction_average, coalesce(p.satisfaction_count, 0)::int AS satisfaction_count
          FROM per_charity p FULL JOIN raised r ON r.charity_id = p.charity_id
         ORDER BY 1
        """
}
