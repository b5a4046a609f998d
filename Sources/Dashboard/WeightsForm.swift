import Foundation
import Matching

/// The eight factor weights of the preview and publish forms: as typed (to show them
/// again), as numbers, and a message per field that is wrong.
struct WeightsForm {
    /// The text of each field, by factor.
    var typed: [ScoreFactor: String]
    /// Messages by factor name, or `weights` for the set as a whole.
    var errors: [String: String] = [:]

    /// The form filled with `policy`'s weights, as runs use them now.
    init(policy: WeightPolicy) {
        typed = Dictionary(uniqueKeysWithValues: ScoreFactor.allCases.map { ($0, Self.decimal(policy.weight($0))) })
    }

    /// The fields `w.<factor>` of a posted form; a blank field weighs 0.
    init(_ form: HTMLForm) {
        typed = Dictionary(
            uniqueKeysWithValues: ScoreFactor.allCases.map {
                ($0, (form["w." + $0.rawValue] ?? "").trimmingCharacters(in: .whitespaces))
            })
    }

    /// The weights as a trial policy named `name`, or nil with ``errors`` saying why: a
    /// field that is not a number, a negative one, or all of them zero.
    mutating func policy(named name: String, _ texts: [String: String]) -> WeightPolicy? {
        var weights: [ScoreFactor: Double] = [:]
        for factor in ScoreFactor.allCases {
            let text = typed[factor] ?? ""
            guard let value = text.isEmpty ? 0 : Double(text), value.isFinite else {
                errors[factor.rawValue] = texts["invalid.weightNumber"] ?? ""
                continue
            }
            weights[factor] = value
        }
        guard errors.isEmpty else { return nil }
        do {
            return try WeightPolicy(name: name, version: 1, weights: weights)
        } catch {
            switch error {
            case .negativeWeight(let factor), .notFinite(let factor):
                errors[factor.rawValue] = texts["invalid.weightNegative"] ?? ""
            case .noPositiveWeight, .emptyName, .versionNotPositive:
                errors["weights"] = texts["invalid.weightsNone"] ?? ""
            }
            return nil
        }
    }

    /// The fields for a template: factor code, its name, the value typed, its error.
    func fields(_ labels: [ScoreFactor: String]) -> [[String: Any]] {
        ScoreFactor.allCases.map { factor in
            var field: [String: Any] = [
                "factor": factor.rawValue, "label": labels[factor] ?? factor.rawValue, "value": typed[factor] ?? "",
            ]
            field["error"] = errors[factor.rawValue]
            return field
        }
    }

    /// A weight with at most three decimals and no trailing zeros: 0.25, not 0.250000.
    static func decimal(_ value: Double) -> String {
        var text = String(format: "%.3f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
