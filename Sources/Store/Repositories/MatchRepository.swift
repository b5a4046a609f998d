import Foundation
import Matching
import Postgres

/// Every write and read of `matches`: the one place the match lifecycle is enforced.
///
/// Each transition is one transaction on one connection: the match row is locked first
/// (so two decisions on the same match queue up and the second sees the first's result),
/// then the offer's capacity is reserved or released by a guarded UPDATE, then the need's
/// status follows, and exactly one `audit_log` row records who did what and why. Lock order
/// is always match → offer → need, so concurrent transitions never deadlock each other.
public struct MatchRepository: Sendable {
    let client: PostgresClient
    let holds: HoldPolicy

    /// How far back aid of a kind makes another match of that kind a duplicate, by default:
    /// in runs, hand-made proposals and approvals alike.
    public static let duplicateAidLookBackDays = 90
    /// Issues the household references charities see; nil where no delivery contact is read.
    let sealer: IDNumberSealer?

    /// `sealer` must be given where ``deliveryContact(match:charity:)`` is called (the HTTP
    /// layer), and must use the same pepper everywhere, or a charity's references change.
    public init(client: PostgresClient, holds: HoldPolicy = HoldPolicy(), sealer: IDNumberSealer? = nil) {
        self.client = client
        self.holds = holds
        self.sealer = sealer
    }

    /// The match, or nil.
    public func match(id: Int64) async throws -> MatchRecord? {
        let rows = try await client.query("SELECT \(MatchRecord.columns) FROM matches WHERE id = $1", [id])
        return try rows.first.map(MatchRecord.init(row:))
    }

    /// Coordinator approval: reserves the units on the offer or fails with
    /// ``StoreError/capacityExhausted(offerID:requested:remaining:)``; the audit row keeps the
    /// breakdown the decision rested on.
    public func approve(
        match id: Int64, by actor: Actor, reason: String? = nil, note: String? = nil
    )
        async throws -> MatchRecord
    {
        try await apply(.approve, to: id, by: actor, reasonCode: reason, note: note)
    }

    /// Applies `transition` to the match; see ``MatchTransition`` for the state machine. A
    /// delivery without a `delivery` report gives all the match's units today.
    public func apply(
        _ transition: MatchTransition, to id: Int64, by actor: Actor, reasonCode: String? = nil, note: String? = nil,
        delivery: DeliveryReport? = nil
    ) async throws -> MatchRecord {
        let note = try DecisionReasons.validated(
            code: reasonCode, note: note, allowed: DecisionReasons.codes(for: transition),
            required: transition.requiresReason, action: "\(transition.rawValue) a match")
        let holds = self.holds
        return try await client.withTransaction { connection in
            try Self.apply(
                transition, to: id, on: connection, by: actor, reasonCode: reasonCode, note: note, holds: holds,
                delivery: delivery)
        }
    }

    /// Expires every live match whose hold has passed, releasing reserved units; returns how
    /// many. Rows another transaction is deciding right now are skipped, not waited for.
    @discardableResult
    public func expireStaleHolds(batchSize: Int = 500) async throws -> Int {
        let holds = self.holds
        var total = 0
        while true {
            let expired = try await client.withTransaction { connection in
                let rows = try connection.query(
                    """
                    SELECT id FROM matches
                     WHERE status IN ('proposed', 'approved', 'accepted') AND hold_expires_at < now()
                     ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
                    """,
                    [batchSize]
                )
                for row in rows {
                    _ = try Self.apply(
                        .expire, to: try row.decode(Int64.self, "id"), on: connection, by: .system,
                        reasonCode: "hold_expired", note: nil, holds: holds)
                }
                return rows.count
            }
            total += expired
            if expired < batchSize { return total }
        }
    }

    /// Records the household's satisfaction (1–5) with a delivered match, once.
    public func recordFeedback(
        match id: Int64, satisfaction: Int, comment: String?, by actor: Actor, idempotency: IdempotencyClaim? = nil
    ) async throws {
        guard (1...5).contains(satisfaction) else {
            throw StoreError.invalid(field: "satisfaction", reason: "must be between 1 and 5")
        }
        let comment = try optionalText(comment, field: "comment", rule: .multiLine)
        try await client.withTransaction { connection in
            try idempotency?.begin(on: connection)
            guard let row = try connection.query("SELECT status FROM matches WHERE id = $1", [id]).first else {
                throw StoreError.notFound(entity: .match, id: String(id))
            }
            let status = try row.decodeCode(MatchStatus.self, "status")
            guard status == .delivered else {
                throw StoreError.invalidTransition(
                    entity: .match, id: String(id), from: status.rawValue, action: "given feedback")
            }
            do {
                try connection.query(
                    "INSERT INTO feedback (match_id, satisfaction, comment, recorded_by) VALUES ($1, $2, $3, $4)",
                    [id, satisfaction, comment, actor.userID])
            } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                throw StoreError.conflict(.feedbackRecorded(match: id))
            }
            try AuditTrail.record(
                on: connection, actor: actor, action: "match.feedback", entityType: "match", entityID: String(id),
                details: ["satisfaction": satisfaction])
            try idempotency?.complete(.init(entity: nil, id: nil, created: false), on: connection)
        }
    }
}
