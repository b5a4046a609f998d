import Foundation
import Matching
import Postgres

/// A household as stored, without its ID number: only the last four characters, so people
/// can tell records apart. Neither the number nor its HMAC ever leaves the Store.
public struct HouseholdRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var caseNumber: String
    public var regionCode: String
    public var members: Int
    /// `yyyy-mm-dd` each.
    public var memberBirthDates: [String]
    public var assistanceStatuses: [AssistanceStatus]
    public var vulnerabilityFlags: [VulnerabilityFlag]
    /// Monthly per-capita income in yuan, when assessed.
    public var perCapitaIncome: Decimal?
    public var location: GeoPoint?
    public var idNumberLast4: String
    /// The head of household.
    public var contactName: String?
    public var contactPhone: String?
    public var address: String?
    public var consentGivenAt: Date?
    public var consentScope: String?
    public var consentWithdrawnAt: Date?
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    /// Whether the household's data may be shared with charities now.
    public var hasConsent: Bool { consentGivenAt != nil && consentWithdrawnAt == nil }

    static let columns = """
        h.id, h.case_number, h.region_code, h.members, h.member_birth_dates::text[] AS member_birth_dates,
        h.assistance_statuses::text[] AS assistance_statuses, h.vulnerability_flags::text[] AS vulnerability_flags,
        h.per_capita_income, h.latitude, h.longitude, h.id_number_last4, h.contact_name, h.contact_phone, h.address,
        h.consent_given_at, h.consent_scope, h.consent_withdrawn_at, h.version, h.created_at, h.updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        caseNumber = try row.decode(String.self, "case_number")
        regionCode = try row.decode(String.self, "region_code")
        members = try row.decode(Int.self, "members")
        memberBirthDates = try row.decode([String].self, "member_birth_dates")
        assistanceStatuses = try row.decodeCodes(AssistanceStatus.self, "assistance_statuses")
        vulnerabilityFlags = try row.decodeCodes(VulnerabilityFlag.self, "vulnerability_flags")
        perCapitaIncome = try row.decode(Decimal?.self, "per_capita_income")
        location = try row.decodePoint(latitude: "latitude", longitude: "longitude")
        idNumberLast4 = try row.decode(String.self, "id_number_last4")
        contactName = try row.decode(String?.self, "contact_name")
        contactPhone = try row.decode(String?.self, "contact_phone")
        address = try row.decode(String?.self, "address")
        consentGivenAt = try row.decode(Date?.self, "consent_given_at")
        consentScope = try row.decode(String?.self, "consent_scope")
        consentWithdrawnAt = try row.decode(Date?.self, "consent_withdrawn_at")
        version = try row.decode(Int.self, "version")
        createdAt = try row.decode(Date.self, "created_at")
        updatedAt = try row.decode(Date.self, "updated_at")
    }
}

/// One household as a caseworker enters it, in the words of a roll file: the same rules
/// as ``HouseholdRoster`` apply (codes or their Chinese names, yuan with two decimals,
/// dates `yyyy-mm-dd`), and the ID number is sealed before anything is stored.
public struct HouseholdRegistration: Sendable {
    public var caseNumber: String
    /// The applicant's 公民身份号码; checked, sealed and then dropped.
    public var idNumber: String
    public var headName: String?
    public var regionCode: String
    public var members: Int
    public var assistanceStatuses: [String]
    public var vulnerabilityFlags: [String]
    /// Yuan, such as `650` or `650.50`.
    public var perCapitaIncome: String?
    public var location: GeoPoint?
    public var contactPhone: String?
    public var address: String?
    /// A past date (`yyyy-mm-dd`) or ISO 8601 time; needs `consentScope`.
    public var consentGivenAt: String?
    public var consentScope: String?
    public var memberBirthDates: [String]

    public init(
        caseNumber: String, idNumber: String, headName: String? = nil, regionCode: String, members: Int,
        assistanceStatuses: [String] = [], vulnerabilityFlags: [String] = [], perCapitaIncome: String? = nil,
        location: GeoPoint? = nil, contactPhone: String? = nil, address: String? = nil,
        consentGivenAt: String? = nil, consentScope: String? = nil, memberBirthDates: [String] = []
    ) {
        self.caseNumber = caseNumber
        self.idNumber = idNumber
        self.headName = headName
        self.regionCode = regionCode
        self.members = members
        self.assistanceStatuses = assistanceStatuses
        self.vulnerabilityFlags = vulnerabilityFlags
        self.perCapitaIncome = perCapitaIncome
        self.location = location
        self.contactPhone = contactPhone
        self.address = address
        self.consentGivenAt = consentGivenAt
        self.consentScope = consentScope
        self.memberBirthDates = memberBirthDates
    }

    /// The values by roll column, for the roster's checks.
    var rosterValues: [HouseholdRoster.Column: String] {
        var values: [HouseholdRoster.Column: String] = [
            .caseNumber: caseNumber, .idNumber: idNumber, .regionCode: regionCode, .members: String(members),
            .assistanceStatuses: assistanceStatuses.joined(separator: ";"),
            .vulnerabilityFlags: vulnerabilityFlags.joined(separator: ";"),
            .memberBirthDates: memberBirthDates.joined(separator: ";"),
        ]
        values[.headName] = headName
        values[.perCapitaIncome] = perCapitaIncome
        values[.latitude] = location.map { String($0.latitude) }
        values[.longitude] = location.map { String($0.longitude) }
        values[.contactPhone] = contactPhone
        values[.address] = address
        values[.consentGivenAt] = consentGivenAt
        values[.consentScope] = consentScope
        return values
    }
}

/// What withdrawing consent did.
public struct ConsentWithdrawal: Sendable, Equatable, Codable {
    public var household: HouseholdRecord
    /// The live matches cancelled with it (reason code `consent_withdrawn`).
    public var cancelledMatches: [Int64]
}

extension PostgresRow {
    /// A text-array column of codes; an unknown code is a decoding error naming the column.
    func decodeCodes<T: RawRepresentable>(_ type: T.Type, _ column: String) throws -> [T] where T.RawValue == String {
        try decode([String].self, column).map { text in
            guard let value = T(rawValue: text) else {
                throw PostgresError(code: .decoding, reason: "column \(column) holds an unknown code")
            }
            return value
        }
    }
}
