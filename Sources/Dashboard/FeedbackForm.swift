import Foundation
import Store

/// A household's rating of a delivered match as a caseworker entered it, kept as typed so
/// that a refused form comes back filled in, with the refusals by field.
struct FeedbackForm: Sendable {
    /// The longest comment the API accepts.
    static let maximumComment = 2000

    var match: Int64
    var satisfaction: String
    var comment: String
    /// Text keys of the refusals, by form field (`form` for none in particular).
    var errors: [String: String] = [:]

    init(match: Int64, _ form: HTMLForm) {
        self.match = match
        satisfaction = (form["satisfaction"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        comment = (form["comment"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The satisfaction and the comment when the form's checks pass; nil with ``errors``
    /// filled otherwise.
    mutating func checked() -> (satisfaction: Int, comment: String?)? {
        let satisfaction = Int(self.satisfaction).flatMap { (1...5).contains($0) ? $0 : nil }
        if satisfaction == nil { errors["satisfaction"] = "error.satisfaction" }
        if comment.count > Self.maximumComment { errors["comment"] = "error.comment" }
        guard errors.isEmpty, let satisfaction else { return nil }
        return (satisfaction, comment.isEmpty ? nil : comment)
    }

    /// Puts a Store refusal on the form; false when it is not one a person can act on here.
    mutating func refuse(_ error: StoreError) -> Bool {
        switch error {
        case .invalid(let field, _) where field == "satisfaction": errors["satisfaction"] = "error.satisfaction"
        case .conflict: errors["form"] = "error.alreadyRated"
        case .invalidTransition: errors["form"] = "error.notDelivered"
        default: return false
        }
        return true
    }
}
