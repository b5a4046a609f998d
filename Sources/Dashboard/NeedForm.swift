import Foundation
import Store

/// The need form as a caseworker filled it in: every value kept as typed, so a refused form
/// comes back as it was sent, and the refusals by field.
///
/// The dashboard checks only what it must to call the Store (whole numbers where numbers
/// are asked for, the API's bounds on them); the Store's own checks decide the rest, and
/// their refusals land next to the field they name through ``refuse(_:)``.
struct NeedForm: Sendable {
    /// The API's bound on a need's quantity, which the Store leaves to its callers.
    static let maximumQuantity = 1_000_000
    /// The longest description the API accepts.
    static let maximumDescription = 2000
    /// Unit codes a need may name, in the order the form offers them; empty is the
    /// category's default unit.
    static let units = ["", "portion", "set", "piece", "box", "yuan", "hour", "session"]

    var household = ""
    var category = ""
    var quantity = ""
    var unit = ""
    var urgency = "3"
    var isEmergency = false
    var neededBy = ""
    var description = ""
    /// The version an edit form was read at; empty when recording.
    var version = ""
    /// Text keys of the refusals, by form field.
    var errors: [String: String] = [:]

    init(household: String = "") {
        self.household = household
    }

    /// The form filled with a stored need, for correcting it.
    init(_ need: NeedRecord, caseNumber: String) {
        household = caseNumber
        category = String(need.categoryID)
        quantity = String(need.quantity)
        unit = need.unit
        urgency = String(need.urgency)
        isEmergency = need.isEmergency
        neededBy = need.neededBy ?? ""
        description = need.description ?? ""
        version = String(need.version)
    }

    init(_ form: HTMLForm) {
        let value = { (name: String) in (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        household = value("household")
        category = value("category")
        quantity = value("quantity")
        unit = value("unit")
        urgency = value("urgency")
        isEmergency = form["emergency"] != nil
        neededBy = value("needed_by")
        description = value("description")
        version = value("version")
    }

    /// The category id and the details when the dashboard's checks pass; nil with
    /// ``errors`` filled otherwise.
    mutating func checked() -> (category: Int64, details: NeedDetails)? {
        if household.isEmpty { errors["household"] = "error.householdRequired" }
        let category = Int64(self.category)
        if category == nil { errors["category"] = "error.category" }
        let quantity = Int(self.quantity).flatMap { (1...Self.maximumQuantity).contains($0) ? $0 : nil }
        if quantity == nil { errors["quantity"] = "error.quantity" }
        let urgency = Int(self.urgency).flatMap { (1...5).contains($0) ? $0 : nil }
        if urgency == nil { errors["urgency"] = "error.urgency" }
        if description.count > Self.maximumDescription { errors["description"] = "error.description" }
        guard errors.isEmpty, let category, let quantity, let urgency else { return nil }
        return (
            category,
            NeedDetails(
                quantity: quantity, unit: unit.isEmpty ? nil : unit, urgency: urgency, isEmergency: isEmergency,
                neededBy: neededBy.isEmpty ? nil : neededBy, description: description.isEmpty ? nil : description)
        )
    }

    /// Puts a Store refusal next to the field it concerns; false when it concerns none of
    /// them (the caller lets it propagate).
    mutating func refuse(_ error: StoreError) -> Bool {
        switch error {
        case .invalid(let field, _):
            let fields = [
                "category_id": ("category", "error.category"), "quantity": ("quantity", "error.quantity"),
                "unit": ("unit", "error.unit"), "urgency": ("urgency", "error.urgency"),
                "needed_by": ("needed_by", "error.neededBy"), "description": ("description", "error.description"),
            ]
            guard let (name, key) = fields[field] else { return false }
            errors[name] = key
        case .notFound(.household, _):
            errors["household"] = "error.householdNotFound"
        case .conflict(.belowCommitted):
            errors["quantity"] = "error.quantityBelowCommitted"
        case .conflict:
            errors["category"] = "error.openNeedExists"
        case .versionMismatch:
            errors["form"] = "error.needChangedMeanwhile"
        case .invalidTransition:
            errors["form"] = "error.needNotOpen"
        default:
            return false
        }
        return true
    }
}
