import Foundation
import Store

/// A charity as the API shows it.
struct CharityResource: Encodable, Sendable {
    var id: Int64
    var name: String
    var creditCode: String
    var kind: String
    var regionCode: String?
    var contactName: String?
    var contactPhone: String?
    var status: String
    /// The end of a ban with an end; absent for a permanent one, which ``bannedPermanently`` says.
    var bannedUntil: Date?
    /// Banned for good (禁入): said outright, since a missing `banned_until` alone reads as "not banned".
    var bannedPermanently: Bool
    var statusReason: String?
    /// Coordinators' suspensions in force in parts of the country (``RegionalSuspension``).
    var regionalSuspensions: [RegionalSuspension] = []
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    init(_ record: CharityRecord) {
        id = record.id
        name = record.name
        creditCode = record.creditCode
        kind = record.kind.rawValue
        regionCode = record.regionCode
        contactName = record.contactName
        contactPhone = record.contactPhone
        status = record.status.rawValue
        bannedUntil = record.bannedUntil
        bannedPermanently = record.isBannedPermanently
        statusReason = record.statusReason
        version = record.version
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}

/// The body of `POST /v1/charities` and `PUT /v1/charities/{id}`.
struct CharityInput: Decodable, Sendable {
    var name: String
    var creditCode: String?
    var kind: CharityKind
    var regionCode: String?
    var contactName: String?
    var contactPhone: String?

    var profile: CharityProfile {
        CharityProfile(
            name: name, kind: kind, regionCode: regionCode, contactName: contactName, contactPhone: contactPhone)
    }
}

/// The body of suspend and ban.
struct CharitySanction: Decodable, Sendable {
    var reason: String
    /// Bans only: the end of the ban; absent means permanent.
    var until: Date?
}
