import Foundation
import Store

/// A need as caseworkers and coordinators see it.
struct NeedResource: Encodable, Sendable {
    var id: Int64
    var householdId: Int64
    var category: String
    var quantity: Int
    var unit: String
    var fulfilledQuantity: Int
    var urgency: Int
    var isEmergency: Bool
    var neededBy: String?
    var description: String?
    var status: String
    var recordedAt: Date
    var closedAt: Date?
    var version: Int
    var updatedAt: Date

    init(_ record: NeedRecord, categories: CategoryCatalogue) {
        id = record.id
        householdId = record.householdID
        category = categories.code(of: record.categoryID)
        quantity = record.quantity
        unit = record.unit
        fulfilledQuantity = record.fulfilledQuantity
        urgency = record.urgency
        isEmergency = record.isEmergency
        neededBy = record.neededBy
        description = record.description
        status = record.status.rawValue
        recordedAt = record.recordedAt
        closedAt = record.closedAt
        version = record.version
        updatedAt = record.updatedAt
    }
}

/// The body of `POST /v1/needs` (with household and category) and `PUT /v1/needs/{id}`.
struct NeedInput: Decodable, Sendable {
    var householdId: Int64?
    var category: String?
    var quantity: Int
    var unit: String?
    var urgency: Int?
    var isEmergency: Bool?
    var neededBy: String?
    var description: String?

    var details: NeedDetails {
        NeedDetails(
            quantity: quantity, unit: unit, urgency: urgency ?? 3, isEmergency: isEmergency ?? false,
            neededBy: neededBy, description: description)
    }
}

/// The body of decisions that need a reason: cancel, reject, decline.
struct ReasonInput: Decodable, Sendable {
    /// A lower-case code such as `not_eligible`.
    var reasonCode: String?
    var note: String?
}

/// The body of `POST /v1/needs/{id}/cooldowns/clear`: one offer's pair, or (absent) all.
struct CoolDownClearInput: Decodable, Sendable {
    var offerId: Int64?
}

/// The answer of `POST /v1/needs/{id}/cooldowns/clear`.
struct CoolDownsCleared: Encodable, Sendable {
    var needId: Int64
    /// The offers whose pairs with the need may be proposed again, ascending.
    var clearedOfferIds: [Int64]
}

/// The answer of `GET /v1/needs/{id}/candidates`.
struct CandidatesResource: Encodable, Sendable {
    var need: NeedResource
    var openQuantity: Int
    var policyName: String
    var policyVersion: Int
    var asOf: Date
    var eligibleCount: Int
    var ranked: [RankedCandidate]
    var ineligible: [ExcludedOffer]

    init(_ found: NeedCandidates, categories: CategoryCatalogue) {
        need = NeedResource(found.need, categories: categories)
        openQuantity = found.openQuantity
        policyName = found.policyName
        policyVersion = found.policyVersion
        asOf = found.asOf
        eligibleCount = found.eligibleCount
        ranked = found.ranked
        ineligible = found.ineligible
    }
}
