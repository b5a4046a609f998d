import Foundation
import Postgres

/// The legal form of a charitable organisation.
public enum CharityKind: String, Sendable, Codable, CaseIterable {
    /// 基金会
    case foundation
    /// 社会团体
    case socialGroup = "social_group"
    /// 社会服务机构 (民办非企业单位)
    case socialServiceAgency = "social_service_agency"
    /// 企业
    case enterprise
    case other
}

/// Whether a charity may take part (退出/禁入).
public enum CharityStatus: String, Sendable, Codable, CaseIterable {
    case active, suspended, banned
}

/// A charity as stored.
public struct CharityRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    /// 统一社会信用代码, upper-case.
    public var creditCode: String
    public var kind: CharityKind
    public var regionCode: String?
    public var contactName: String?
    public var contactPhone: String?
    public var status: CharityStatus
    /// End of a ban; nil when not banned, and for a permanent ban (see ``isBannedPermanently``).
    public var bannedUntil: Date?
    /// Why the charity was suspended or banned.
    public var statusReason: String?
    /// The `If-Match` token; every change bumps it.
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    static let columns = """
        id, name, credit_code, kind, region_code, contact_name, contact_phone, status, banned_until, status_reason,
        version, created_at, updated_at
        """

    /// Banned for good (禁入): a ban without an end.
    public var isBannedPermanently: Bool { status == .banned && bannedUntil == nil }

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        name = try row.decode(String.self, "name")
        creditCode = try row.decode(String.self, "credit_code")
        kind = try row.decodeCode(CharityKind.self, "kind")
        regionCode = try row.decode(String?.self, "region_code")
        contactName = try row.decode(String?.self, "contact_name")
        contactPhone = try row.decode(String?.self, "contact_phone")
        status = try row.decodeCode(CharityStatus.self, "status")
        bannedUntil = try row.decode(Date?.self, "banned_until")
        statusReason = try row.decode(String?.self, "status_reason")
        version = try row.decode(Int.self, "version")
        createdAt = try row.decode(Date.self, "created_at")
        updatedAt = try row.decode(Date.self, "updated_at")
    }
}

/// What an organisation tells us about itself; the credit code is fixed at registration.
public struct CharityProfile: Sendable, Equatable, Codable {
    public var name: String
    public var kind: CharityKind
    /// A 12-digit region code, or nil.
    public var regionCode: String?
    public var contactName: String?
    public var contactPhone: String?

    public init(
        name: String, kind: CharityKind, regionCode: String? = nil, contactName: String? = nil,
        contactPhone: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.regionCode = regionCode
        self.contactName = contactName
        self.contactPhone = contactPhone
    }
}

/// A charity's record of service, for the dashboard's charity page and 公示.
public struct CharityPerformance: Sendable, Equatable, Codable {
    public var charityID: Int64
    public var deliveredMatches: Int
    public var deliveredUnits: Int
    /// Approved matches the charity turned down.
    public var declinedMatches: Int
    /// Mean 1–5 satisfaction over delivered matches with feedback; nil without any.
    public var satisfactionAverage: Double?
    public var satisfactionCount: Int
    /// Offers open now.
    public var openOffers: Int
    /// Delivered matches whose receipt the household's caseworker confirmed: only these count
    /// as fulfilled in evaluation.
    public var confirmedMatches: Int
    public var confirmedUnits: Int
    /// Delivered matches whose receipt was disputed.
    public var disputedMatches: Int
    /// Complaints about the charity: public.
    public var complaints: ComplaintCount
}
