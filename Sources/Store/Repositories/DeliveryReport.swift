import Foundation
import Postgres

/// What a charity records when aid reaches a household: how many of the match's units were
/// given, on which day, and the receiver's confirmation (签收) — the name as signed, or the
/// number of a paper receipt the charity keeps. Both the API's deliver request and the
/// dashboard's deliver form come here, so one set of rules decides what a delivery is.
public struct DeliveryReport: Sendable, Equatable, Codable {
    /// Units given: at least 1, at most the match's units; the rest go back to the offer.
    public var units: Int
    /// The day of delivery in China, `yyyy-mm-dd`: not before the match was approved and not
    /// after today.
    public var deliveredOn: String
    /// The receiver's name as signed. A name: shown to the charity and the staff of the
    /// household's region, never written to logs.
    public var receivedBy: String?
    /// The number of the receipt the charity keeps.
    public var receiptCode: String?

    public init(units: Int, deliveredOn: String, receivedBy: String? = nil, receiptCode: String? = nil) {
        self.units = units
        self.deliveredOn = deliveredOn
        self.receivedBy = receivedBy
        self.receiptCode = receiptCode
    }

    /// The longest name or receipt number kept.
    public static let maximumReceiptLength = 100

    /// The checks that need nothing stored: the texts trimmed (nil when blank), one of them
    /// given, the units positive, the date a real `yyyy-mm-dd`.
    func validatedForm() throws(StoreError) -> DeliveryReport {
        var valid = self
        guard units >= 1 else {
            throw .invalid(field: "delivered_units", reason: "must be a whole number of at least 1")
        }
        guard let date = CivilDate(deliveredOn) else {
            throw .invalid(field: "delivered_on", reason: "must be a date written yyyy-mm-dd")
        }
        valid.deliveredOn = date.description
        valid.receivedBy = try optionalText(receivedBy, field: "received_by", maxLength: Self.maximumReceiptLength)
        valid.receiptCode = try optionalText(receiptCode, field: "receipt_code", maxLength: Self.maximumReceiptLength)
        guard valid.receivedBy != nil || valid.receiptCode != nil else {
            throw .invalid(
                field: "received_by", reason: "is required: give the receiver's name as signed, or a receipt_code")
        }
        return valid
    }

    /// The checks against the locked match: units within the match, the date between the
    /// day of its approval and today (both in China).
    func validated(against match: MatchRecord, on connection: PostgresConnection) throws -> DeliveryReport {
        let valid = try validatedForm()
        guard valid.units <= match.units else {
            throw StoreError.invalid(
                field: "delivered_units", reason: "must be at most the match's \(match.units) units")
        }
        let rows = try connection.query(
            """
            SELECT (coalesce((SELECT max(a.at) FROM audit_log a
                               WHERE a.entity_type = 'match' AND a.entity_id = $1::text AND a.action = 'match.approve'),
                             m.created_at) AT TIME ZONE 'Asia/Shanghai')::date::text AS approved_on,
                   (now() AT TIME ZONE 'Asia/Shanghai')::date::text AS today
              FROM matches m WHERE m.id = $1
            """, [match.id])
        guard let row = rows.first, let approved = CivilDate(try row.decode(String.self, "approved_on")),
            let today = CivilDate(try row.decode(String.self, "today")), let date = CivilDate(valid.deliveredOn)
        else { throw StoreError.notFound(entity: .match, id: String(match.id)) }
        guard date.number <= today.number else {
            throw StoreError.invalid(field: "delivered_on", reason: "must not be after today (\(today))")
        }
        guard date.number >= approved.number else {
            throw StoreError.invalid(
                field: "delivered_on", reason: "must not be before the match was approved (\(approved))")
        }
        return valid
    }
}
