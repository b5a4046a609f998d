import Matching

/// Renders a ``ScoreBreakdown`` as the same JSON object its `Codable` conformance writes,
/// without going through `JSONEncoder`, which costs tens of microseconds per object and
/// dominated writing a large run's proposals.
enum BreakdownJSON {
    static func text(_ breakdown: ScoreBreakdown) -> String {
        var text = "{\"terms\":["
        for (index, term) in breakdown.terms.enumerated() {
            if index > 0 { text += "," }
            text += "{\"factor\":\"\(term.factor.rawValue)\",\"value\":\(term.value),\"weight\":\(term.weight),"
            text += "\"contribution_micro\":\(term.contributionMicro)}"
        }
        text += "],\"policy_name\":\(quoted(breakdown.policyName)),\"policy_version\":\(breakdown.policyVersion),"
        text += "\"score_micro\":\(breakdown.scoreMicro)}"
        return text
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func quoted(_ value: String) -> String {
        var text = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case _ where scalar.value < 0x20:
                text +=
                    "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: text.unicodeScalars.append(scalar)
            }
        }
        return text + "\""
    }
}
