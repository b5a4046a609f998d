import Foundation
import Store

/// A charity's decision as posted: the reason and note kept as typed, and the refusals.
struct DeclineEntry: Sendable {
    var reason: String
    var note: String
    /// Text keys of the refusals, by form field (`form` for none in particular).
    var errors: [String: String] = [:]

    init(_ form: HTMLForm) {
        reason = (form["reason_code"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        note = (form["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Puts a Store refusal on the form; false when it is not one a person can act on here.
    mutating func refuse(_ error: StoreError) -> Bool {
        switch error {
        case .invalid(let field, _) where field == "reason_code":
            errors["reason_code"] = reason.isEmpty ? "error.reasonRequired" : "error.reasonCode"
        case .invalid(let field, _) where field == "note":
            errors["note"] = note.isEmpty ? "error.noteRequired" : "error.noteCharacters"
        case .invalidTransition: errors["form"] = "error.matchMoved"
        case .conflict: errors["form"] = "error.noLongerWanted"
        default: return false
        }
        return true
    }
}
