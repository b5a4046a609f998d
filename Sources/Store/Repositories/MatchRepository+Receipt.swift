import Foundation
import Postgres

/// Where the review of a delivery (签收确认) stands.
public enum ReceiptStatus: String, Sendable, CaseIterable, Codable {
    /// Delivered, not yet reviewed by the household's caseworker.
    case pending
    /// The household confirmed it received the aid: only these count as fulfilled in evaluation.
    case confirmed
    /// The household says the delivery is not as recorded; a complaint was opened with it.
    case disputed
}

/// The caseworker's review of a delivered match.
public struct ReceiptReview: Sendable, Equatable, Codable {
    public var status: ReceiptStatus
    public var reviewedBy: Int64?
    public var reviewedAt: Date?
    /// Why it was disputed; nil unless disputed.
    public var disputeReason: String?

    init(row: PostgresRow) throws {
        status = try row.decodeCode(ReceiptStatus.self, "receipt_status")
        reviewedBy = try row.decode(Int64?.self, "receipt_reviewed_by")
        reviewedAt = try row.decode(Date?.self, "receipt_reviewed_at")
        disputeReason = try row.decode(String?.self, "receipt_dispute_reason")
    }
}

extension MatchRepository {
    /// The longest dispute reason kept.
    public static let maximumDisputeReasonLength = 1000

    /// A caseworker of the household's region confirms, for the household, that a delivered
    /// match reached it. Once: a reviewed receipt is ``ConflictReason/receiptReviewed(match:)``.
    /// `expectedVersion` (a form's or `If-Match`'s) is checked like other writes.
    public func confirmReceipt(
        match id: Int64, by principal: Principal, expectedVersion: Int? = nil, idempotency: IdempotencyClaim? = nil
    ) async throws -> MatchRecord {
        try await reviewReceipt(
            match: id, as: .confirmed, reason: nil, by: principal, expectedVersion: expectedVersion,
            idempotency: idempotency)
    }

    /// A caseworker of the household's region disputes a delivery with a `reason`
    /// (required). In the same transaction a `delivery_disputed` complaint is opened for the
    /// coordinators of the household's region, and the charity and those coordinators are
    /// told; if any of it fails, none of it is kept.
    public func disputeReceipt(
        match id: Int64, reason: String, by principal: Principal, expectedVersion: Int? = nil,
        idempotency: IdempotencyClaim? = nil
    ) async throws -> MatchRecord {
        try await reviewReceipt(
            match: id, as: .disputed, reason: reason, by: principal, expectedVersion: expectedVersion,
            idempotency: idempotency)
    }

    private func reviewReceipt(
        match id: Int64, as verdict: ReceiptStatus, reason: String?, by principal: Principal, expectedVersion: Int?,
        idempotency: IdempotencyClaim?
    ) async throws -> MatchRecord {
        try principal.authorize(.reviewReceipt)
        let reason =
            verdict == .disputed
            ? try requiredText(
                reason ?? "", field: "reason", maxLength: Self.maximumDisputeReasonLength, rule: .multiLine) : nil
        let participle = verdict == .confirmed ? "confirmed" : "disputed"
        return try await client.withTransaction { connection in
            guard let current = try Self.lockedMatch(id, within: .reach(of: principal), on: connection) else {
                throw StoreError.notFound(entity: .match, id: String(id))
            }
            guard current.status == .delivered else {
                throw StoreError.invalidTransition(
                    entity: .match, id: String(id), from: current.status.rawValue, action: participle)
            }
            guard current.receipt?.status == .pending else { throw StoreError.conflict(.receiptReviewed(match: id)) }
            try checkVersion(expectedVersion, current: current.version, entity: .match, id: id)
            try idempotency?.begin(on: connection)
            let rows = try connection.query(
                """
                UPDATE matches
                   SET receipt_status = $2, receipt_reviewed_by = $3, receipt_reviewed_at = now(),
                       receipt_dispute_reason = $4, version = version + 1
                 WHERE id = $1
                RETURNING \(MatchRecord.columns)
                """, [id, verdict.rawValue, principal.userID, reason])
            let record = try MatchRecord(row: rows[0])
            try AuditTrail.record(
                on: connection, actor: principal.actor,
                action: "match.receipt_\(verdict == .confirmed ? "confirm" : "dispute")",
                entityType: "match", entityID: String(id),
                details: ["need": String(record.needID), "offer": String(record.offerID), "receipt": verdict.rawValue])
            if let reason {
                try Self.openDispute(of: record, reason: reason, by: principal, on: connection)
            }
            try idempotency?.complete(.init(entity: .match, id: id, created: false), on: connection)
            return record
        }
    }

    /// The complaint of a disputed receipt, and the messages to the charity and to the
    /// coordinators of the household's region.
    private static func openDispute(
        of match: MatchRecord, reason: String, by principal: Principal, on connection: PostgresConnection
    ) throws {
        let row = try connection.query(
            """
            SELECT o.charity_id, h.region_code FROM offers o, needs n JOIN households h ON h.id = n.household_id
             WHERE o.id = $1 AND n.id = $2
            """, [match.offerID, match.needID])[0]
        let charity = try row.decode(Int64.self, "charity_id")
        let region = try row.decode(String.self, "region_code")
        let complaint = try ComplaintRepository.open(
            subject: .match(match.id), charity: charity, region: region, category: .deliveryDisputed, text: reason,
            evidenceNote: nil, by: principal, on: connection)
        try Inbox.post(
            on: connection, to: .charity(charity), kind: "match.receipt_disputed", entityType: "match",
            entityID: String(match.id), details: ["match": "#\(match.id)", "complaint": "#\(complaint.id)"])
    }
}
