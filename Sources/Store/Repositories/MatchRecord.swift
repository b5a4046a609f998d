import Foundation
import Matching
import Postgres

/// Where a match is in its life: proposed → approved → accepted → delivered, or one of the
/// four ways it can end without delivery.
public enum MatchStatus: String, Sendable, CaseIterable, Codable {
    case proposed, approved, accepted, delivered, rejected, declined, cancelled, expired

    /// Whether the match holds units of its offer (proposals hold nothing).
    public var reservesCapacity: Bool { self == .approved || self == .accepted }
}

/// One need/offer pairing as stored.
public struct MatchRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var needID: Int64
    public var offerID: Int64
    /// The run that proposed it; nil for a manual match.
    public var runID: Int64?
    public var units: Int
    public var scoreMicro: Int64?
    /// Why it scored what it scored, as the run computed it: the stored JSON text, which
    /// callers that only relay it (the API's lists) pass on without decoding.
    public var breakdownJSON: String?
    public var status: MatchStatus
    public var holdExpiresAt: Date?
    public var createdAt: Date
    public var decidedBy: Int64?
    public var decidedAt: Date?
    public var reasonCode: String?
    public var note: String?
    public var version: Int
    /// What the charity recorded at delivery; nil before it, and for a delivery recorded
    /// without a report (the system's rehearsals, and deliveries older than the report).
    public var delivery: DeliveryReport?
    /// The caseworker's review of a delivery (签收确认); nil before delivery.
    public var receipt: ReceiptReview?

    /// The columns ``init(row:)`` reads, for `SELECT \(MatchRecord.columns) FROM matches`.
    static let columns = """
        id, need_id, offer_id, run_id, units, score_micro, breakdown::text AS breakdown, status, hold_expires_at,
        created_at, decided_by, decided_at, reason_code, note, version, delivered_units,
        delivered_on::text AS delivered_on, received_by, receipt_code,
        CASE WHEN status = 'delivered' THEN coalesce(receipt_status, 'pending') END AS receipt_status,
        receipt_reviewed_by, receipt_reviewed_at, receipt_dispute_reason
        """

    /// The breakdown decoded, or nil when there is none (a manual proposal) or it cannot be read.
    public var breakdown: ScoreBreakdown? {
        breakdownJSON.flatMap { try? JSONDecoder().decode(ScoreBreakdown.self, from: Data($0.utf8)) }
    }

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        needID = try row.decode(Int64.self, "need_id")
        offerID = try row.decode(Int64.self, "offer_id")
        runID = try row.decode(Int64?.self, "run_id")
        units = try row.decode(Int.self, "units")
        scoreMicro = try row.decode(Int64?.self, "score_micro")
        breakdownJSON = try row.decode(String?.self, "breakdown")
        status = try row.decodeCode(MatchStatus.self, "status")
        holdExpiresAt = try row.decode(Date?.self, "hold_expires_at")
        createdAt = try row.decode(Date.self, "created_at")
        decidedBy = try row.decode(Int64?.self, "decided_by")
        decidedAt = try row.decode(Date?.self, "decided_at")
        reasonCode = try row.decode(String?.self, "reason_code")
        note = try row.decode(String?.self, "note")
        version = try row.decode(Int.self, "version")
        let deliveredUnits = try row.decode(Int?.self, "delivered_units")
        let deliveredOn = try row.decode(String?.self, "delivered_on")
        delivery = try deliveredUnits.flatMap { units in
            try deliveredOn.map { day in
                DeliveryReport(
                    units: units, deliveredOn: day, receivedBy: try row.decode(String?.self, "received_by"),
                    receiptCode: try row.decode(String?.self, "receipt_code"))
            }
        }
        receipt = try row.decode(String?.self, "receipt_status").map { _ in try ReceiptReview(row: row) }
    }
}

extension PostgresRow {
    /// Decodes a text column holding one of `T`'s raw values; anything else is a decoding
    /// error naming the column, never a crash.
    func decodeCode<T: RawRepresentable>(_ type: T.Type, _ column: String) throws -> T where T.RawValue == String {
        let text = try decode(String.self, column)
        guard let value = T(rawValue: text) else {
            throw PostgresError(code: .decoding, reason: "column \(column) holds an unknown code")
        }
        return value
    }
}
