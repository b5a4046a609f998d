import Foundation

/// Exact comparison and human formatting of JSON numbers.
///
/// Converting a large `Int64` to `Double` rounds it, which would let `9007199254740993` pass `maximum:
/// 9007199254740992`; comparing the integral parts as integers avoids that.
enum NumberComparison {
    /// Orders two numeric values, or returns `nil` when either is not a number.
    static func compare(_ lhs: JSONValue, _ rhs: JSONValue) -> ComparisonResult? {
        switch (lhs, rhs) {
        case (.integer(let left), .integer(let right)):
            return order(left, right)
        case (.integer(let left), .number(let right)):
            return compare(left, right)
        case (.number(let left), .integer(let right)):
            return invert(compare(right, left))
        case (.number(let left), .number(let right)):
            return left < right ? .orderedAscending : (left > right ? .orderedDescending : .orderedSame)
        default:
            return nil
        }
    }

    /// Whether `value` is an exact multiple of `divisor`, tolerating the rounding error of binary fractions.
    static func isMultiple(_ value: JSONValue, of divisor: JSONValue) -> Bool {
        if case .integer(let number) = value, case .integer(let step) = divisor, step > 0 {
            return number % step == 0
        }
        guard let number = value.doubleValue, let step = divisor.doubleValue, step > 0 else { return true }
        let quotient = number / step
        guard quotient.isFinite else { return false }
        return abs(quotient - quotient.rounded()) <= 1e-9 * max(1, abs(quotient))
    }

    /// Writes a schema number the way a person would: `5` rather than `5.0`.
    static func format(_ value: JSONValue) -> String {
        switch value {
        case .integer(let number):
            return String(number)
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 {
                return String(Int64(number))
            }
            return String(number)
        default:
            return ""
        }
    }

    private static func compare(_ left: Int64, _ right: Double) -> ComparisonResult? {
        guard !right.isNaN else { return nil }
        if right >= 0x1p63 { return .orderedAscending }
        if right < -0x1p63 { return .orderedDescending }
        let whole = right.rounded(.towardZero)
        let integral = Int64(whole)
        if left != integral { return order(left, integral) }
        let fraction = right - whole
        return fraction > 0 ? .orderedAscending : (fraction < 0 ? .orderedDescending : .orderedSame)
    }

    private static func order(_ left: Int64, _ right: Int64) -> ComparisonResult {
        left < right ? .orderedAscending : (left > right ? .orderedDescending : .orderedSame)
    }

    private static func invert(_ result: ComparisonResult?) -> ComparisonResult? {
        switch result {
        case .orderedAscending: return .orderedDescending
        case .orderedDescending: return .orderedAscending
        default: return result
        }
    }
}
