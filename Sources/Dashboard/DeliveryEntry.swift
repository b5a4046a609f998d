import Foundation
import Store

/// A charity's delivery as posted: units, day and the receiver's confirmation (签收) kept as
/// typed, and the refusals by field. The Store's ``DeliveryReport`` rules decide; this only
/// reads the form and puts the Store's refusals next to their fields.
struct DeliveryEntry: Sendable {
    var units: String
    var deliveredOn: String
    var receivedBy: String
    var receiptCode: String
    /// Text keys of the refusals, by form field (`form` for none in particular).
    var errors: [String: String] = [:]

    init(units: String = "", deliveredOn: String = "") {
        self.units = units
        self.deliveredOn = deliveredOn
        receivedBy = ""
        receiptCode = ""
    }

    init(_ form: HTMLForm) {
        let value = { (name: String) in (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        units = value("delivered_units")
        deliveredOn = value("delivered_on")
        receivedBy = value("received_by")
        receiptCode = value("receipt_code")
    }

    /// The report when the units are a whole number; nil with the refusal otherwise.
    mutating func report() -> DeliveryReport? {
        guard let count = Int(units) else {
            errors["delivered_units"] = "error.deliveredUnits"
            return nil
        }
        return DeliveryReport(
            units: count, deliveredOn: deliveredOn, receivedBy: receivedBy.isEmpty ? nil : receivedBy,
            receiptCode: receiptCode.isEmpty ? nil : receiptCode)
    }

    /// Puts a Store refusal on the form; false when it is not one a person can act on here.
    mutating func refuse(_ error: StoreError) -> Bool {
        switch error {
        case .invalid("delivered_units", _): errors["delivered_units"] = "error.deliveredUnits"
        case .invalid("delivered_on", _): errors["delivered_on"] = "error.deliveredOn"
        case .invalid("received_by", _):
            errors["received_by"] =
                receivedBy.isEmpty && receiptCode.isEmpty ? "error.receiptRequired" : "error.receiptText"
        case .invalid("receipt_code", _): errors["receipt_code"] = "error.receiptText"
        case .invalidTransition: errors["form"] = "error.matchMoved"
        case .conflict: errors["form"] = "error.noLongerWanted"
        default: return false
        }
        return true
    }
}
