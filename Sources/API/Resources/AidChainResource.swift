import Foundation
import Store

/// The body of `POST /v1/households/{id}/aid`.
struct GovernmentAidInput: Decodable, Sendable {
    var categoryId: Int64
    var amount: Decimal?
    var units: Int?
    var givenOn: String
    var program: String?
    var externalRef: String?

    var aid: GovernmentAid {
        GovernmentAid(
            categoryID: categoryId, amount: amount, units: units, givenOn: givenOn, program: program,
            externalRef: externalRef)
    }
}

/// A household's aid, government and charity, most recent first.
struct AidListResource: Encodable, Sendable {
    var items: [AidEntry]
}

/// A household's aid chain, newest first.
struct TimelineResource: Encodable, Sendable {
    var household: Int64
    var events: [TimelineEvent]
}
