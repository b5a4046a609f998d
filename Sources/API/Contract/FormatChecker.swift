import Foundation
import Store

/// The `format` values the contract relies on, checked as assertions rather than annotations.
///
/// JSON Schema 2020-12 treats `format` as an annotation by default; the API instead rejects a `date` that is not a
/// calendar date, because storing `2026-02-30` would fail later in PostgreSQL with a far less helpful error.
/// `single-line` and `multi-line` are this project's own: the characters free text may hold, as the Store's
/// ``TextRule`` defines them. Unknown formats are ignored.
enum FormatChecker {
    /// Returns the message for a value that breaks `format`, or `nil` when it conforms or the format is not checked.
    static func violation(of format: String, by value: JSONValue) -> String? {
        switch (format, value) {
        case ("date", .string(let text)):
            return isDate(text) ? nil : "must be a date written yyyy-mm-dd"
        case ("date-time", .string(let text)):
            return isDateTime(text)
                ? nil : "must be a date and time written as in RFC 3339, such as 2026-01-31T09:30:00Z"
        case ("int32", .integer), ("int32", .number):
            return isWithin(value, Int64(Int32.min), Int64(Int32.max))
                ? nil : "must be between \(Int32.min) and \(Int32.max)"
        case ("single-line", .string(let text)), ("multi-line", .string(let text)):
            return TextRule(rawValue: format)?.violation(in: text)
        case ("int64", .number):
            return isWithin(value, Int64.min, Int64.max) ? nil : "must be between \(Int64.min) and \(Int64.max)"
        default:
            return nil
        }
    }

    static func isDate(_ text: String) -> Bool {
        guard let match = text.wholeMatch(of: /([0-9]{4})-([0-9]{2})-([0-9]{2})/),
            let year = Int(match.1), let month = Int(match.2), let day = Int(match.3)
        else { return false }
        return isCalendarDate(year: year, month: month, day: day)
    }

    static func isDateTime(_ text: String) -> Bool {
        let pattern =
            #/
            ([0-9]{4})-([0-9]{2})-([0-9]{2}) [Tt]
            ([0-9]{2}):([0-9]{2}):([0-9]{2}) (?:\.[0-9]+)?
            ([Zz]|[+-][0-9]{2}:[0-9]{2})
            /#
        guard let match = text.wholeMatch(of: pattern),
            let year = Int(match.1), let month = Int(match.2), let day = Int(match.3),
            let hour = Int(match.4), let minute = Int(match.5), let second = Int(match.6)
        else { return false }
        guard isCalendarDate(year: year, month: month, day: day), hour <= 23, minute <= 59, second <= 60 else {
            return false
        }
        let offset = match.7
        guard offset.count == 6 else { return true }
        guard let offsetHour = Int(offset.dropFirst().prefix(2)), let offsetMinute = Int(offset.suffix(2)) else {
            return false
        }
        return offsetHour <= 23 && offsetMinute <= 59
    }

    private static func isCalendarDate(year: Int, month: Int, day: Int) -> Bool {
        let isLeapYear = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let daysInMonth = [31, isLeapYear ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month) else { return false }
        return (1...daysInMonth[month - 1]).contains(day)
    }

    private static func isWithin(_ value: JSONValue, _ lower: Int64, _ upper: Int64) -> Bool {
        guard let low = NumberComparison.compare(value, .integer(lower)),
            let high = NumberComparison.compare(value, .integer(upper))
        else { return true }
        return low != .orderedAscending && high != .orderedDescending
    }
}
