import Foundation
import Matching
import Store

/// A match as the API shows it. Coordinators and caseworkers see the score breakdown and
/// the need; charity staff see neither (the breakdown reveals a household's vulnerability),
/// only the units on their offer and, once the match is approved and the household has
/// consented, the delivery fields.
struct MatchResource: Encodable, Sendable {
    var id: Int64
    var offerId: Int64
    var needId: Int64?
    var runId: Int64?
    var units: Int
    var status: String
    /// The score in millionths, as the engine compares it; absent for charity staff.
    var scoreMicro: Int64?
    var breakdown: ScoreBreakdown?
    var holdExpiresAt: Date?
    var createdAt: Date
    var decidedAt: Date?
    var reasonCode: String?
    var note: String?
    var version: Int
    /// Charity staff only, and only while delivery is ahead and consent holds.
    var delivery: DeliveryContact?

    /// The full view for coordinators, caseworkers and admins.
    init(staffView record: MatchRecord) {
        id = record.id
        offerId = record.offerID
        needId = record.needID
        runId = record.runID
        units = record.units
        status = record.status.rawValue
        scoreMicro = record.scoreMicro
        breakdown = record.breakdown
        holdExpiresAt = record.holdExpiresAt
        createdAt = record.createdAt
        decidedAt = record.decidedAt
        reasonCode = record.reasonCode
        note = record.note
        version = record.version
    }

    /// What the charity whose offer it is may see.
    init(charityView record: MatchRecord, delivery: DeliveryContact?) {
        self.init(staffView: record)
        needId = nil
        runId = nil
        scoreMicro = nil
        breakdown = nil
        self.delivery = delivery
    }
}

/// The body of `POST /v1/matches`: a caseworker picks a candidate by hand.
struct ProposalInput: Decodable, Sendable {
    var needId: Int64
    var offerId: Int64
    var units: Int
}

/// The body of `POST /v1/matches/{id}/feedback`.
struct FeedbackInput: Decodable, Sendable {
    var satisfaction: Int
    var comment: String?
}
