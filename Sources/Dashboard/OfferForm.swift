import Foundation
import Matching
import Store

/// The offer form as a charity filled it in: every value kept as typed, so a refused form
/// comes back as it was sent, and the refusals by field.
///
/// The area is either a set of townships or a circle (centre and radius in km); the form
/// says which with `area`. What the form does not show of an offer (eligibility rules,
/// unit value) is kept from the offer being edited. The Store's checks decide the rest,
/// and their refusals land next to the field they name through ``refuse(_:)``.
struct OfferForm: Sendable {
    /// How the service area is given.
    enum Area: String, Sendable {
        case townships, circle
    }

    /// The API's bound on an offer's capacity.
    static let maximumCapacity = 1_000_000
    /// The longest description the API accepts.
    static let maximumDescription = 2000

    var category = ""
    var title = ""
    var capacity = ""
    var unit = ""
    var availableFrom = ""
    var availableUntil = ""
    var area = Area.townships
    var townships: Set<String> = []
    var latitude = ""
    var longitude = ""
    var radius = ""
    var description = ""
    /// The offer's version the form was read at; empty for a new offer.
    var version = ""
    /// Text keys of the refusals, by form field (`form` for none in particular).
    var errors: [String: String] = [:]

    init() {}

    /// The form of an offer as stored, to edit it.
    init(_ offer: OfferRecord) {
        let terms = offer.terms
        category = String(offer.categoryID)
        title = terms.title
        capacity = String(terms.capacity)
        unit = terms.unit ?? ""
        availableFrom = terms.availableFrom.map(Self.dayText) ?? ""
        availableUntil = terms.availableUntil.map(Self.dayText) ?? ""
        townships = Set(terms.serviceRegionPrefixes)
        if let circle = terms.serviceCircle {
            area = terms.serviceRegionPrefixes.isEmpty ? .circle : .townships
            latitude = String(circle.center.latitude)
            longitude = String(circle.center.longitude)
            radius = String(circle.radiusKilometres)
        }
        description = terms.description ?? ""
        version = String(offer.version)
    }

    init(_ form: HTMLForm) {
        let value = { (name: String) in (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        category = value("category")
        title = value("title")
        capacity = value("capacity")
        unit = value("unit")
        availableFrom = value("available_from")
        availableUntil = value("available_until")
        area = Area(rawValue: value("area")) ?? .townships
        townships = Set(form.fields.keys.filter { $0.hasPrefix("township.") }.map { String($0.dropFirst(9)) })
        latitude = value("latitude")
        longitude = value("longitude")
        radius = value("radius_km")
        description = (form["description"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        version = value("version")
    }

    /// The terms when the dashboard's checks pass, starting from `base` (the offer being
    /// edited, whose hidden rules carry over); nil with ``errors`` filled otherwise.
    mutating func checked(base: OfferTerms? = nil) -> OfferTerms? {
        if title.isEmpty { errors["title"] = "error.titleRequired" }
        let capacity = Int(self.capacity).flatMap { (1...Self.maximumCapacity).contains($0) ? $0 : nil }
        if capacity == nil { errors["capacity"] = "error.capacity" }
        if description.count > Self.maximumDescription { errors["description"] = "error.description" }
        let from = day(availableFrom, field: "available_from")
        let until = day(availableUntil, field: "available_until")
        var circle: ServiceCircle?
        switch area {
        case .townships:
            if townships.isEmpty { errors["area"] = "error.townshipsRequired" }
        case .circle:
            let latitude = Double(latitude).flatMap { (-90...90).contains($0) ? $0 : nil }
            let longitude = Double(longitude).flatMap { (-180...180).contains($0) ? $0 : nil }
            let radius = Double(radius).flatMap { $0 > 0 && $0 <= 1000 && $0.isFinite ? $0 : nil }
            if latitude == nil || longitude == nil { errors["centre"] = "error.centre" }
            if radius == nil { errors["radius_km"] = "error.radius" }
            if let latitude, let longitude, let radius {
                circle = ServiceCircle(
                    center: GeoPoint(latitude: latitude, longitude: longitude), radiusKilometres: radius)
            }
        }
        guard errors.isEmpty, let capacity else { return nil }
        var terms = base ?? OfferTerms(title: title, capacity: capacity)
        terms.title = title
        terms.capacity = capacity
        terms.unit = unit.isEmpty ? nil : unit
        terms.description = description.isEmpty ? nil : description
        terms.availableFrom = from ?? base?.availableFrom
        terms.availableUntil = until
        terms.serviceRegionPrefixes = area == .townships ? townships.sorted() : []
        terms.serviceCircle = area == .circle ? circle : nil
        return terms
    }

    /// The day of `date` in China, `yyyy-mm-dd`.
    static func dayText(_ date: Date) -> String {
        dayFormatter().string(from: date)
    }

    private static func dayFormatter() -> DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        formatter.dateFormat = "yyyy-MM-dd"
        return formatter
    }

    /// A `yyyy-mm-dd` day as the start of that day in China; nil (and a refusal unless
    /// blank) otherwise.
    private mutating func day(_ text: String, field: String) -> Date? {
        guard !text.isEmpty else { return nil }
        guard let date = Self.dayFormatter().date(from: text) else {
            errors[field] = "error.day"
            return nil
        }
        return date
    }

    /// Puts a Store refusal next to the field it concerns; false when it concerns none of
    /// them (the caller lets it propagate).
    mutating func refuse(_ error: StoreError) -> Bool {
        switch error {
        case .invalid(let field, _):
            let fields = [
                "title": ("title", "error.titleRequired"), "description": ("description", "error.description"),
                "capacity": ("capacity", "error.capacity"), "unit": ("unit", "error.unit"),
                "category_id": ("category", "error.category"),
                "service_region_prefixes": ("area", "error.townshipsRequired"),
                "service_circle": ("centre", "error.centre"),
                "available_until": ("available_until", "error.untilAfterFrom"),
            ]
            guard let (name, key) = fields[field] else { return false }
            errors[name] = key
        case .conflict(.belowCommitted):
            errors["capacity"] = "error.belowAllocated"
        case .conflict(.notActive(.charity, _, _)):
            errors["form"] = "error.charityNotActive"
        case .versionMismatch:
            errors["form"] = "error.offerChangedElsewhere"
        case .invalidTransition:
            errors["form"] = "error.offerClosed"
        default:
            return false
        }
        return true
    }
}
