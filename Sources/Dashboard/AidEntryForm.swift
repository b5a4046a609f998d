import Foundation
import Store

/// The government aid form as a caseworker filled it in: values kept as typed, so a
/// refused form comes back as it was sent, and the refusals by field. The Store checks the
/// rules (the same as for a row of an aid file); the form only turns text into numbers.
struct AidEntryForm: Sendable {
    var category = ""
    var amount = ""
    var units = ""
    var givenOn = ""
    var program = ""
    var externalRef = ""
    /// Text keys of the refusals, by form field.
    var errors: [String: String] = [:]

    init() {}

    init(_ form: HTMLForm) {
        let value = { (name: String) in form[name] ?? "" }
        category = value("category")
        amount = value("amount")
        units = value("units")
        givenOn = value("given_on")
        program = value("program")
        externalRef = value("external_ref")
    }

    /// What the template fills the inputs with.
    var values: [String: String] {
        [
            "amount": amount, "units": units, "givenOn": givenOn, "program": program, "externalRef": externalRef,
        ]
    }

    /// The aid when the numbers parse; nil with ``errors`` filled otherwise.
    mutating func aid() -> GovernmentAid? {
        let category = Int64(category)
        if category == nil { errors["category"] = "error.aidCategory" }
        let amountText = amount.trimmingCharacters(in: .whitespaces)
        let plain = amountText.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        let amount =
            amountText.isEmpty || !plain ? nil : Decimal(string: amountText, locale: Locale(identifier: "en_US_POSIX"))
        if !amountText.isEmpty && amount == nil { errors["amount"] = "error.aidAmount" }
        let unitsText = units.trimmingCharacters(in: .whitespaces)
        let units = unitsText.isEmpty ? nil : Int(unitsText)
        if !unitsText.isEmpty && units == nil { errors["units"] = "error.aidUnits" }
        guard errors.isEmpty, let category else { return nil }
        return GovernmentAid(
            categoryID: category, amount: amount, units: units, givenOn: givenOn, program: program,
            externalRef: externalRef)
    }

    /// Puts a Store refusal next to the field it concerns; false when it concerns none.
    mutating func refuse(_ error: StoreError) -> Bool {
        switch error {
        case .invalid(let field, _):
            let fields = [
                "category_id": "error.aidCategory", "amount": "error.aidAmount", "units": "error.aidUnits",
                "given_on": "error.aidGivenOn", "program": "error.aidProgram", "external_ref": "error.aidReference",
            ]
            guard let key = fields[field] else { return false }
            errors[field == "category_id" ? "category" : field] = key
        case .conflict(.taken(.externalReference, _)):
            errors["external_ref"] = "error.aidReferenceTaken"
        default:
            return false
        }
        return true
    }
}
