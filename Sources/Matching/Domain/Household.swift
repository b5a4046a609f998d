import Foundation

/// The assistance a household is enrolled in. Raw values are the codes the database's
/// CHECK constraints use.
public enum AssistanceStatus: String, Sendable, CaseIterable, Codable {
    /// 特困人员救助供养: no ability to work, no income, no one obliged to support them.
    case tekun
    /// 最低生活保障 (低保).
    case dibao
    /// 低保边缘家庭: just above the 低保 line.
    case dibaoEdge = "dibao_edge"
    /// 临时救助: a one-off emergency.
    case temporary
    /// 医疗救助.
    case medical
}

/// Circumstances that make a household more vulnerable than its status alone says.
public enum VulnerabilityFlag: String, Sendable, CaseIterable, Codable {
    case livingAloneElderly = "living_alone_elderly"  // 独居老人
    case disabled  // 残疾
    case severeDisability = "severe_disability"  // 重度残疾
    case minor  // 未成年人
    case leftBehindChild = "left_behind_child"  // 留守儿童
    case orphan  // 孤儿/事实无人抚养儿童
    case seriousIllness = "serious_illness"  // 重病
    case singleParent = "single_parent"  // 单亲
    case disasterAffected = "disaster_affected"  // 受灾
}

/// Consent to share the household's data with charities (民发〔2023〕46号: consent before
/// sharing). Without it no offer is eligible.
public struct Consent: Sendable, Equatable {
    public var givenAt: Date?
    public var withdrawnAt: Date?

    public init(givenAt: Date? = nil, withdrawnAt: Date? = nil) {
        self.givenAt = givenAt
        self.withdrawnAt = withdrawnAt
    }

    /// Given at or before `date` and not withdrawn by then.
    public func isOnFile(at date: Date) -> Bool {
        guard let givenAt, givenAt <= date else { return false }
        if let withdrawnAt, withdrawnAt <= date { return false }
        return true
    }
}

/// An assisted household as the matcher sees it: no name, no ID number.
public struct Household: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var region: RegionCode
    /// Members (≥ 1).
    public var size: Int
    public var statuses: Set<AssistanceStatus>
    public var flags: Set<VulnerabilityFlag>
    /// Monthly income per member in yuan, when assessed.
    public var perCapitaIncome: Decimal?
    public var location: GeoPoint?
    /// Ages of members in years, for offers limited to an age range.
    public var memberAges: [Int]
    public var consent: Consent

    public init(
        id: Int64,
        region: RegionCode,
        size: Int,
        statuses: Set<AssistanceStatus>,
        flags: Set<VulnerabilityFlag> = [],
        perCapitaIncome: Decimal? = nil,
        location: GeoPoint? = nil,
        memberAges: [Int] = [],
        consent: Consent
    ) {
        self.id = id
        self.region = region
        self.size = size
        self.statuses = statuses
        self.flags = flags
        self.perCapitaIncome = perCapitaIncome
        self.location = location
        self.memberAges = memberAges
        self.consent = consent
    }
}

/// A point on the earth in degrees (WGS-84 as phones report it).
public struct GeoPoint: Sendable, Equatable, Codable {
    public var latitude: Double
    public var longitude: Double

    public init(latitude: Double, longitude: Double) {
        self.latitude = latitude
        self.longitude = longitude
    }

    /// Mean earth radius in kilometres.
    public static let earthRadiusKilometres = 6371.0088

    /// The point on the unit sphere, precomputed by fast scoring.
    public var unitVector: SIMD3<Double> {
        let latitude = self.latitude * .pi / 180
        let longitude = self.longitude * .pi / 180
        return SIMD3(cos(latitude) * cos(longitude), cos(latitude) * sin(longitude), sin(latitude))
    }
}
