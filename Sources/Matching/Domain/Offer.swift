import Foundation

/// Where an offer can be delivered: region prefixes, a circle, or both (either covers).
public struct ServiceArea: Sendable, Equatable {
    /// A circle around a point.
    public struct Circle: Sendable, Equatable {
        public var center: GeoPoint
        public var radiusKilometres: Double

        public init(center: GeoPoint, radiusKilometres: Double) {
            self.center = center
            self.radiusKilometres = radiusKilometres
        }

        /// The radius as a straight-line chord on the unit sphere, the yardstick of the
        /// proximity factor (a chord needs no trigonometry per pair).
        public var unitChordRadius: Double {
            2 * sin(min(radiusKilometres / GeoPoint.earthRadiusKilometres, .pi) / 2)
        }

        /// 1 / ``unitChordRadius`` (0 for a zero radius, which then scores as the centre):
        /// scoring multiplies by it rather than divide per pair.
        public var inverseUnitChordRadius: Double {
            let chord = unitChordRadius
            return chord > 0 ? 1 / chord : 0
        }
    }

    public var scopes: [RegionScope]
    public var circle: Circle?

    public init(scopes: [RegionScope] = [], circle: Circle? = nil) {
        self.scopes = scopes
        self.circle = circle
    }

    /// The narrowest listed scope containing `region`, if any.
    public func narrowestScope(containing region: RegionCode) -> RegionScope? {
        scopes.filter { $0.contains(region) }.max { $0.level < $1.level }
    }

    /// Whether `location` lies inside the circle (great-circle distance ≤ radius, compared
    /// as chords, which is the same test without trigonometry per pair).
    public func circleContains(_ location: GeoPoint?) -> Bool {
        guard let circle, let location else { return false }
        let delta = location.unitVector - circle.center.unitVector
        return (delta * delta).sum().squareRoot() <= circle.unitChordRadius
    }

    /// Whether a household at `region` / `location` can be served.
    public func covers(region: RegionCode, location: GeoPoint?) -> Bool {
        narrowestScope(containing: region) != nil || circleContains(location)
    }
}

/// Who an offer is for, as the charity set it.
public struct EligibilityRules: Sendable, Equatable {
    /// The household must hold one of these; empty means any household.
    public var statuses: Set<AssistanceStatus>
    /// The household must carry all of these.
    public var requiredFlags: Set<VulnerabilityFlag>
    /// At least one member must be in this age range.
    public var memberAges: ClosedRange<Int>?
    /// The household's size must be in this range.
    public var householdSize: ClosedRange<Int>?

    public init(
        statuses: Set<AssistanceStatus> = [],
        requiredFlags: Set<VulnerabilityFlag> = [],
        memberAges: ClosedRange<Int>? = nil,
        householdSize: ClosedRange<Int>? = nil
    ) {
        self.statuses = statuses
        self.requiredFlags = requiredFlags
        self.memberAges = memberAges
        self.householdSize = householdSize
    }
}

/// The charity behind an offer: whether it may take part (退出/禁入) and its track record.
public struct CharityStanding: Sendable, Equatable {
    public enum Status: Sendable, Equatable {
        case active
        case suspended
        /// Banned until a date, or for good (禁入) when `until` is nil.
        case banned(until: Date?)
    }

    public var status: Status
    /// Matches it delivered.
    public var delivered: Int
    /// Matches it accepted and then failed to deliver (declined after approval, cancelled, expired).
    public var failed: Int
    /// Sum and count of 1–5 satisfaction ratings received.
    public var satisfactionSum: Int
    public var satisfactionCount: Int
    /// Region prefixes where a coordinator suspended the charity: it serves no household there.
    public var suspendedIn: [String]
    /// The 0–100 score of its latest published evaluation (绩效评价), nil before any: the
    /// considered judgement of a period, which the reliability factor blends in.
    public var evaluationScore: Double?

    public init(
        status: Status = .active, delivered: Int = 0, failed: Int = 0, satisfactionSum: Int = 0,
        satisfactionCount: Int = 0, suspendedIn: [String] = [], evaluationScore: Double? = nil
    ) {
        self.evaluationScore = evaluationScore
        self.status = status
        self.delivered = delivered
        self.failed = failed
        self.satisfactionSum = satisfactionSum
        self.satisfactionCount = satisfactionCount
        self.suspendedIn = suspendedIn
    }

    /// Whether a regional suspension holds where `region` lies.
    public func isSuspended(in region: RegionCode) -> Bool {
        suspendedIn.contains { region.digits.hasPrefix($0) }
    }

    /// Whether the charity may receive matches at `date`; a ban ends at its date, a permanent
    /// one never.
    public func isActive(at date: Date) -> Bool {
        switch status {
        case .active: true
        case .suspended: false
        case .banned(let until): until.map { $0 <= date } ?? false
        }
    }
}

/// What a charity can give.
public struct Offer: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var charityID: Int64
    public var categoryID: Int64
    /// Capacity not yet allocated to live matches.
    public var remainingCapacity: Int
    public var serviceArea: ServiceArea
    public var eligibility: EligibilityRules
    public var availableFrom: Date
    public var availableUntil: Date?
    public var charity: CharityStanding

    public init(
        id: Int64,
        charityID: Int64,
        categoryID: Int64,
        remainingCapacity: Int,
        serviceArea: ServiceArea,
        eligibility: EligibilityRules = EligibilityRules(),
        availableFrom: Date,
        availableUntil: Date? = nil,
        charity: CharityStanding = CharityStanding()
    ) {
        self.id = id
        self.charityID = charityID
        self.categoryID = categoryID
        self.remainingCapacity = remainingCapacity
        self.serviceArea = serviceArea
        self.eligibility = eligibility
        self.availableFrom = availableFrom
        self.availableUntil = availableUntil
        self.charity = charity
    }
}
