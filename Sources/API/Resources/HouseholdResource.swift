import Foundation
import Matching
import Store

/// A household as caseworkers and coordinators see it. The ID number exists only as its
/// last four characters, shown masked; the full number was never stored.
struct HouseholdResource: Encodable, Sendable {
    struct Consent: Encodable, Sendable {
        var givenAt: Date?
        var scope: String?
        var withdrawnAt: Date?
        var active: Bool
    }

    var id: Int64
    var caseNumber: String
    var regionCode: String
    var members: Int
    var memberBirthDates: [String]
    var assistanceStatuses: [String]
    var vulnerabilityFlags: [String]
    var perCapitaIncome: Decimal?
    var location: GeoPoint?
    /// Like `**************1234`: enough to tell records apart on a phone call.
    var idNumberMasked: String
    var headName: String?
    var contactPhone: String?
    var address: String?
    var consent: Consent
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    init(_ record: HouseholdRecord) {
        id = record.id
        caseNumber = record.caseNumber
        regionCode = record.regionCode
        members = record.members
        memberBirthDates = record.memberBirthDates
        assistanceStatuses = record.assistanceStatuses.map(\.rawValue)
        vulnerabilityFlags = record.vulnerabilityFlags.map(\.rawValue)
        perCapitaIncome = record.perCapitaIncome
        location = record.location
        idNumberMasked = String(repeating: "*", count: 14) + record.idNumberLast4
        headName = record.contactName
        contactPhone = record.contactPhone
        address = record.address
        consent = Consent(
            givenAt: record.consentGivenAt, scope: record.consentScope, withdrawnAt: record.consentWithdrawnAt,
            active: record.hasConsent)
        version = record.version
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}

/// The body of `POST /v1/households`: one row of the government roll.
struct HouseholdInput: Decodable, Sendable {
    var caseNumber: String
    var idNumber: String
    var headName: String?
    var regionCode: String
    var members: Int
    var assistanceStatuses: [String]?
    var vulnerabilityFlags: [String]?
    var perCapitaIncome: Decimal?
    var location: GeoPoint?
    var contactPhone: String?
    var address: String?
    var consentGivenAt: String?
    var consentScope: String?
    var memberBirthDates: [String]?

    var registration: HouseholdRegistration {
        HouseholdRegistration(
            caseNumber: caseNumber, idNumber: idNumber, headName: headName, regionCode: regionCode, members: members,
            assistanceStatuses: assistanceStatuses ?? [], vulnerabilityFlags: vulnerabilityFlags ?? [],
            perCapitaIncome: perCapitaIncome.map { "\($0)" }, location: location, contactPhone: contactPhone,
            address: address, consentGivenAt: consentGivenAt, consentScope: consentScope,
            memberBirthDates: memberBirthDates ?? [])
    }
}

/// The body of `PATCH /v1/households/{id}`: the fields to change, each absent one kept; an
/// empty text clears an optional one.
struct HouseholdChangesInput: Decodable, Sendable {
    var members: Int?
    var memberBirthDates: [String]?
    var assistanceStatuses: [String]?
    var vulnerabilityFlags: [String]?
    var headName: String?
    var contactPhone: String?
    var address: String?
    var reason: String?

    var changes: HouseholdChanges {
        HouseholdChanges(
            members: members, memberBirthDates: memberBirthDates, assistanceStatuses: assistanceStatuses,
            vulnerabilityFlags: vulnerabilityFlags, headName: headName, contactPhone: contactPhone, address: address,
            reason: reason)
    }
}

/// The body of `POST /v1/households/{id}/consent`.
struct ConsentInput: Decodable, Sendable {
    /// What the household agreed to share, in the caseworker's words.
    var scope: String
}

/// What withdrawing consent did.
struct ConsentWithdrawalResource: Encodable, Sendable {
    var household: HouseholdResource
    var cancelledMatches: [Int64]
}
