import Foundation
import Hummingbird
import Matching
import Store

/// A match as the API shows it. Coordinators and caseworkers see the score breakdown and
/// the need; charity staff see neither (the breakdown reveals a household's vulnerability),
/// only the units on their offer and, once the match is approved and the household has
/// consented, the delivery fields.
///
/// Match lists are the API's busiest answers, so they are written with ``JSONWriter`` and
/// the breakdown is relayed as stored.
struct MatchResource: Sendable {
    var record: MatchRecord
    /// Whether this is the view of the offer's charity rather than the full one.
    var charityView: Bool
    /// Charity staff only, and only while delivery is ahead and consent holds.
    var delivery: DeliveryContact?

    /// The full view for coordinators, caseworkers and admins.
    init(staffView record: MatchRecord) {
        self.record = record
        charityView = false
        delivery = nil
    }

    /// What the charity whose offer it is may see.
    init(charityView record: MatchRecord, delivery: DeliveryContact?) {
        self.record = record
        charityView = true
        self.delivery = delivery
    }

    func write(to writer: inout JSONWriter) {
        writer.object { json in
            json.field("id", record.id)
            json.field("offer_id", record.offerID)
            if !charityView {
                json.field("need_id", record.needID)
                json.field("run_id", record.runID)
                json.field("score_micro", record.scoreMicro)
                json.field("breakdown", json: record.breakdownJSON)
            }
            json.field("units", record.units)
            json.field("status", record.status.rawValue)
            json.field("hold_expires_at", record.holdExpiresAt)
            json.field("created_at", record.createdAt)
            json.field("decided_at", record.decidedAt)
            json.field("reason_code", record.reasonCode)
            json.field("note", record.note)
            json.field("version", record.version)
            if let report = record.delivery {
                json.field("delivery_report") { fields in
                    fields.field("delivered_units", report.units)
                    fields.field("delivered_on", report.deliveredOn)
                    fields.field("received_by", report.receivedBy)
                    fields.field("receipt_code", report.receiptCode)
                }
            }
            if let receipt = record.receipt {
                json.field("receipt_status", receipt.status.rawValue)
                if !charityView {
                    json.field("receipt_reviewed_at", receipt.reviewedAt)
                    json.field("receipt_dispute_reason", receipt.disputeReason)
                }
            }
            if let delivery {
                json.field("delivery") { contact in
                    contact.field("household_reference", delivery.householdReference)
                    contact.field("contact_phone", delivery.contactPhone)
                    contact.field("address", delivery.address)
                }
            }
        }
    }

    /// One match as a response.
    func response(status: HTTPResponse.Status = .ok, location: String? = nil) -> Response {
        var writer = JSONWriter()
        write(to: &writer)
        return JSONResponse.make(bytes: writer.bytes, status: status, version: record.version, location: location)
    }

    /// A page of matches as a response.
    static func response(_ items: [MatchResource], nextCursor: Int64?) -> Response {
        var writer = JSONWriter(reservingCapacity: 1024 * max(1, items.count))
        writer.object { json in
            json.array("items", items) { json, item in item.write(to: &json) }
            json.field("next_cursor", nextCursor.map(PageCursor.encode))
        }
        return JSONResponse.make(bytes: writer.bytes)
    }
}

/// The body of `POST /v1/matches`: a caseworker picks a candidate by hand.
struct ProposalInput: Decodable, Sendable {
    var needId: Int64
    var offerId: Int64
    /// At most what the need still lacks and the offer still has; omitted, exactly that.
    var units: Int?
}

/// The body of `POST /v1/matches/{id}/receipt/dispute`.
struct DisputeInput: Decodable, Sendable {
    var reason: String
}

/// The body of `POST /v1/matches/{id}/feedback`.
struct FeedbackInput: Decodable, Sendable {
    var satisfaction: Int
    var comment: String?
}

/// The body of `POST /v1/matches/{id}/deliver`: what reached the household, when, and the
/// receiver's confirmation (签收), as ``DeliveryReport`` judges it.
struct DeliveryInput: Decodable, Sendable {
    var deliveredUnits: Int
    var deliveredOn: String
    var receivedBy: String?
    var receiptCode: String?

    var report: DeliveryReport {
        DeliveryReport(
            units: deliveredUnits, deliveredOn: deliveredOn, receivedBy: receivedBy, receiptCode: receiptCode)
    }
}
