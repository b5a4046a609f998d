import Foundation
import Matching
import Store

/// A whole-number range such as the ages an offer serves.
struct RangeResource: Codable, Sendable {
    var min: Int
    var max: Int

    init(_ range: ClosedRange<Int>) {
        min = range.lowerBound
        max = range.upperBound
    }

    /// Nil when `min` exceeds `max`, which the caller turns into a field error.
    var closedRange: ClosedRange<Int>? { min <= max ? min...max : nil }
}

/// The circle around a point an offer serves.
struct CircleResource: Codable, Sendable {
    var latitude: Double
    var longitude: Double
    var radiusKm: Double

    init(_ circle: ServiceCircle) {
        latitude = circle.center.latitude
        longitude = circle.center.longitude
        radiusKm = circle.radiusKilometres
    }

    var circle: ServiceCircle {
        ServiceCircle(center: GeoPoint(latitude: latitude, longitude: longitude), radiusKilometres: radiusKm)
    }
}

/// An offer as the API shows it: what a charity gives, where, to whom, and how much is left.
struct OfferResource: Encodable, Sendable {
    var id: Int64
    var charityId: Int64
    var category: String
    var status: String
    var title: String
    var description: String?
    var capacity: Int
    var allocated: Int
    var remaining: Int
    var unit: String?
    var unitValue: Decimal?
    var serviceRegionPrefixes: [String]
    var serviceCircle: CircleResource?
    var eligibleStatuses: [String]
    var requiredFlags: [String]
    var memberAges: RangeResource?
    var householdSize: RangeResource?
    var availableFrom: Date?
    var availableUntil: Date?
    var version: Int
    var createdAt: Date
    var updatedAt: Date

    init(_ record: OfferRecord, categories: CategoryCatalogue) {
        id = record.id
        charityId = record.charityID
        category = categories.code(of: record.categoryID)
        status = record.status.rawValue
        title = record.terms.title
        description = record.terms.description
        capacity = record.terms.capacity
        allocated = record.allocated
        remaining = record.remaining
        unit = record.terms.unit
        unitValue = record.terms.unitValue
        serviceRegionPrefixes = record.terms.serviceRegionPrefixes
        serviceCircle = record.terms.serviceCircle.map(CircleResource.init)
        eligibleStatuses = record.terms.eligibleStatuses.map(\.rawValue)
        requiredFlags = record.terms.requiredFlags.map(\.rawValue)
        memberAges = record.terms.memberAges.map(RangeResource.init)
        householdSize = record.terms.householdSize.map(RangeResource.init)
        availableFrom = record.terms.availableFrom
        availableUntil = record.terms.availableUntil
        version = record.version
        createdAt = record.createdAt
        updatedAt = record.updatedAt
    }
}

/// The body of `POST /v1/offers` (with `category`) and `PUT /v1/offers/{id}` (without).
struct OfferInput: Decodable, Sendable {
    var category: String?
    var title: String
    var description: String?
    var capacity: Int
    var unit: String?
    var unitValue: Decimal?
    var serviceRegionPrefixes: [String]?
    var serviceCircle: CircleResource?
    var eligibleStatuses: [AssistanceStatus]?
    var requiredFlags: [VulnerabilityFlag]?
    var memberAges: RangeResource?
    var householdSize: RangeResource?
    var availableFrom: Date?
    var availableUntil: Date?

    func terms() throws -> OfferTerms {
        var errors: [Problem.FieldError] = []
        if let memberAges, memberAges.closedRange == nil {
            errors.append(.init(field: "/member_ages", message: "min must not exceed max"))
        }
        if let householdSize, householdSize.closedRange == nil {
            errors.append(.init(field: "/household_size", message: "min must not exceed max"))
        }
        guard errors.isEmpty else { throw Problem.validation(errors) }
        return OfferTerms(
            title: title, description: description, capacity: capacity, unit: unit, unitValue: unitValue,
            serviceRegionPrefixes: serviceRegionPrefixes ?? [], serviceCircle: serviceCircle?.circle,
            eligibleStatuses: eligibleStatuses ?? [], requiredFlags: requiredFlags ?? [],
            memberAges: memberAges?.closedRange, householdSize: householdSize?.closedRange,
            availableFrom: availableFrom, availableUntil: availableUntil)
    }
}
