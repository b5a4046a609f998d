import Foundation
import Matching
import Postgres

/// Whether an offer takes new matches: open, paused by its charity, or closed for good.
public enum OfferStatus: String, Sendable, Codable, CaseIterable {
    case open, paused, closed
}

/// A circle of service around a point.
public struct ServiceCircle: Sendable, Equatable, Codable {
    public var center: GeoPoint
    public var radiusKilometres: Double

    public init(center: GeoPoint, radiusKilometres: Double) {
        self.center = center
        self.radiusKilometres = radiusKilometres
    }
}

/// What a charity says about an offer, when creating it and when changing it. The
/// category and the charity are fixed when the offer is created.
public struct OfferTerms: Sendable, Equatable, Codable {
    public var title: String
    public var description: String?
    /// Whole units the charity can give in all; at least what is already allocated.
    public var capacity: Int
    /// A unit code (or its Chinese word); nil means the category's default unit.
    public var unit: String?
    /// Yuan per unit, at most two decimals.
    public var unitValue: Decimal?
    /// Scope prefixes (2, 4, 6, 9 or 12 digits, such as `320508`) of the regions served.
    public var serviceRegionPrefixes: [String]
    /// Served besides (or instead of) the regions.
    public var serviceCircle: ServiceCircle?
    /// The household must hold one of these; empty means any.
    public var eligibleStatuses: [AssistanceStatus]
    /// The household must carry all of these.
    public var requiredFlags: [VulnerabilityFlag]
    public var memberAges: ClosedRange<Int>?
    public var householdSize: ClosedRange<Int>?
    /// Nil means now.
    public var availableFrom: Date?
    public var availableUntil: Date?

    public init(
        title: String, description: String? = nil, capacity: Int, unit: String? = nil, unitValue: Decimal? = nil,
        serviceRegionPrefixes: [String] = [], serviceCircle: ServiceCircle? = nil,
        eligibleStatuses: [AssistanceStatus] = [], requiredFlags: [VulnerabilityFlag] = [],
        memberAges: ClosedRange<Int>? = nil, householdSize: ClosedRange<Int>? = nil, availableFrom: Date? = nil,
        availableUntil: Date? = nil
    ) {
        self.title = title
        self.description = description
        self.capacity = capacity
        self.unit = unit
        self.unitValue = unitValue
        self.serviceRegionPrefixes = serviceRegionPrefixes
        self.serviceCircle = serviceCircle
        self.eligibleStatuses = eligibleStatuses
        self.requiredFlags = requiredFlags
        self.memberAges = memberAges
        self.householdSize = householdSize
        self.availableFrom = availableFrom
        self.availableUntil = availableUntil
    }

    /// The terms with the unit resolved against `category`; each failure names its field.
    func validated(category: CategoryRecord) throws(StoreError) -> OfferTerms {
        var valid = self
        valid.title = try requiredText(title, field: "title")
        valid.description = try optionalText(description, field: "description", rule: .multiLine)
        guard capacity >= 1 else { throw .invalid(field: "capacity", reason: "must be a whole number of at least 1") }
        if let text = unit?.trimmingBlanks(), !text.isEmpty {
            valid.unit = NeedRoster.units[text.lowercased()] ?? text
        } else {
            guard let unit = category.defaultUnit else {
                throw .invalid(field: "unit", reason: "is required: \(category.code) has no default unit")
            }
            valid.unit = unit
        }
        if let unitValue, unitValue < 0 || unitValue >= 10_000_000_000 || unitValue != unitValue.rounded(places: 2) {
            throw .invalid(field: "unit_value", reason: "must be yuan from 0 with at most two decimals")
        }
        for prefix in serviceRegionPrefixes where RegionScope(prefix: prefix) == nil {
            throw .invalid(
                field: "service_region_prefixes",
                reason: "\(prefix) is not a region prefix (2, 4, 6, 9 or 12 digits of a region code, such as 320508)")
        }
        valid.serviceRegionPrefixes = serviceRegionPrefixes.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
        if let circle = serviceCircle {
            guard (-90...90).contains(circle.center.latitude), (-180...180).contains(circle.center.longitude) else {
                throw .invalid(
                    field: "service_circle", reason: "the centre must be latitude −90…90, longitude −180…180")
            }
            guard circle.radiusKilometres > 0, circle.radiusKilometres < 1_000_000 else {
                throw .invalid(field: "service_circle", reason: "the radius must be more than 0 and below 1000000 km")
            }
        }
        guard !valid.serviceRegionPrefixes.isEmpty || serviceCircle != nil else {
            throw .invalid(field: "service_region_prefixes", reason: "name at least one region or a service circle")
        }
        if let ages = memberAges, ages.lowerBound < 0 || ages.upperBound > 150 {
            throw .invalid(field: "member_ages", reason: "must lie within 0…150")
        }
        if let sizes = householdSize, sizes.lowerBound < 1 {
            throw .invalid(field: "household_size", reason: "must start at 1 or more")
        }
        if let until = availableUntil, until <= (availableFrom ?? Date()) {
            throw .invalid(field: "available_until", reason: "must be after available_from")
        }
        return valid
    }
}

/// An offer as stored.
public struct OfferRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var charityID: Int64
    public var categoryID: Int64
    public var status: OfferStatus
    /// Units reserved by approved, accepted or delivered matches.
    public var allocated: Int
    public var terms: OfferTerms
    public var createdBy: Int64?
    /// The `If-Match` token; every change bumps it.
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    /// Units still free to reserve.
    public var remaining: Int { terms.capacity - allocated }

    static let columns = """
        o.id, o.charity_id, o.category_id, o.title, o.description, o.capacity, o.allocated, o.unit, o.unit_value,
        o.service_region_prefixes, o.center_lat, o.center_lon, o.radius_km::float8 AS radius_km,
        o.eligible_statuses::text[] AS eligible_statuses, o.required_flags::text[] AS required_flags,
        o.min_age, o.max_age, o.min_household_size, o.max_household_size, o.available_from, o.available_until,
        o.status, o.created_by, o.version, o.created_at, o.updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        charityID = try row.decode(Int64.self, "charity_id")
        categoryID = try row.decode(Int64.self, "category_id")
        status = try row.decodeCode(OfferStatus.self, "status")
        allocated = try row.decode(Int.self, "allocated")
        let center = try row.decodePoint(latitude: "center_lat", longitude: "center_lon")
        let radius = try row.decode(Double?.self, "radius_km")
        terms = OfferTerms(
            title: try row.decode(String.self, "title"), description: try row.decode(String?.self, "description"),
            capacity: try row.decode(Int.self, "capacity"), unit: try row.decode(String.self, "unit"),
            unitValue: try row.decode(Decimal?.self, "unit_value"),
            serviceRegionPrefixes: try row.decode([String].self, "service_region_prefixes"),
            serviceCircle: center.flatMap { center in
                radius.map { ServiceCircle(center: center, radiusKilometres: $0) }
            },
            eligibleStatuses: try row.decodeCodes(AssistanceStatus.self, "eligible_statuses"),
            requiredFlags: try row.decodeCodes(VulnerabilityFlag.self, "required_flags"),
            memberAges: Self.range(
                try row.decode(Int32?.self, "min_age"), try row.decode(Int32?.self, "max_age"), widest: 0...150),
            householdSize: Self.range(
                try row.decode(Int32?.self, "min_household_size"), try row.decode(Int32?.self, "max_household_size"),
                widest: 1...Int(Int32.max)),
            availableFrom: try row.decode(Date.self, "available_from"),
            availableUntil: try row.decode(Date?.self, "available_until"))
        createdBy = try row.decode(Int64?.self, "created_by")
        version = try row.decode(Int.self, "version")
        createdAt = try row.decode(Date.self, "created_at")
        updatedAt = try row.decode(Date.self, "updated_at")
    }

    /// The stored bounds as a range: the schema lets either bound be NULL (open), which
    /// reads as the end of `widest`, so writing the range back means the same rule.
    private static func range(_ low: Int32?, _ high: Int32?, widest: ClosedRange<Int>) -> ClosedRange<Int>? {
        guard low != nil || high != nil else { return nil }
        let lower = low.map(Int.init) ?? widest.lowerBound
        let upper = high.map(Int.init) ?? widest.upperBound
        return lower <= upper ? lower...upper : nil
    }
}

extension Decimal {
    /// Rounded to `places` decimals, half away from zero.
    func rounded(places: Int) -> Decimal {
        var value = self
        var result = Decimal()
        NSDecimalRound(&result, &value, places, .plain)
        return result
    }
}
