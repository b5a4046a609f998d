import Foundation

/// A calendar date as roll files write it (`2024-03-01`), checked to exist.
///
/// Dates in a roll are local dates in China; a date is never turned into an instant
/// except for consent, which is taken at midnight China Standard Time (UTC+8).
struct CivilDate: Sendable, Hashable, CustomStringConvertible {
    /// `yyyymmdd`, the form ``ResidentIDNumber`` compares birth dates in.
    let number: Int

    /// Accepts `yyyy-mm-dd` (also `yyyy/mm/dd`, as spreadsheets write it) of a real date
    /// in the years 1880–9999.
    init?(_ text: String) {
        let parts = text.split(separator: text.contains("/") ? "/" : "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
            parts.allSatisfy(\.isASCIIDigits),
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            year >= 1880, Self.isCalendarDate(year: year, month: month, day: day)
        else { return nil }
        number = year * 10_000 + month * 100 + day
    }

    /// Today in China Standard Time, as `yyyymmdd`.
    static func today() -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = chinaStandardTime
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return (parts.year ?? 1970) * 10_000 + (parts.month ?? 1) * 100 + (parts.day ?? 1)
    }

    static let chinaStandardTime = TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt

    /// `yyyy-mm-dd`, PostgreSQL's `date` input.
    var description: String {
        let year = String(number / 10_000)
        let month = String(number / 100 % 100)
        let day = String(number % 100)
        return year + "-" + String(repeating: "0", count: 2 - month.count) + month + "-"
            + String(repeating: "0", count: 2 - day.count) + day
    }

    static func isCalendarDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    /// A consent time: a date (midnight, UTC+8) or an ISO 8601 timestamp
    /// `yyyy-mm-ddTHH:MM[:SS][Z|±HH:MM]` (a space may stand for `T`; no zone means UTC+8).
    /// Returns the date and the instant as PostgreSQL `timestamptz` input.
    static func instant(_ text: String) -> (date: CivilDate, timestamptz: String)? {
        let separator = text.firstIndex { $0 == "T" || $0 == " " }
        guard let date = CivilDate(String(text[..<(separator ?? text.endIndex)])) else { return nil }
        guard let separator else { return (date, "\(date) 00:00:00+08:00") }
        var rest = Substring(text[text.index(after: separator)...])
        var zone = "+08:00"
        if rest.hasSuffix("Z") {
            zone = "+00:00"
            rest = rest.dropLast()
        } else if let sign = rest.lastIndex(where: { $0 == "+" || $0 == "-" }) {
            let offset = rest[rest.index(after: sign)...].split(separator: ":", omittingEmptySubsequences: false)
            guard offset.count == 2, offset.allSatisfy({ $0.count == 2 && $0.isASCIIDigits }),
                let hours = Int(offset[0]), let minutes = Int(offset[1]), hours <= 14, minutes < 60
            else { return nil }
            zone = String(rest[sign...])
            rest = rest[..<sign]
        }
        let clock = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(clock.count), clock.allSatisfy({ $0.count == 2 && $0.isASCIIDigits }),
            let hour = Int(clock[0]), let minute = Int(clock[1]), hour < 24, minute < 60
        else { return nil }
        let second = clock.count == 3 ? Int(clock[2]) : 0
        guard let second, second < 60 else { return nil }
        let time = [hour, minute, second].map { $0 < 10 ? "0\($0)" : "\($0)" }.joined(separator: ":")
        return (date, "\(date) \(time)\(zone)")
    }
}

extension StringProtocol {
    /// Non-empty and only the digits 0–9 (no sign, no full-width digits).
    var isASCIIDigits: Bool { !isEmpty && utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }
}
