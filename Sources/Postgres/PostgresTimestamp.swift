import Foundation

/// `timestamptz` is sent in UTC with microseconds, the server's own precision.
extension Date: PostgresEncodable, PostgresDecodable {
    public static var postgresType: PostgresType { .timestamptz }

    public func postgresText() throws(PostgresError) -> String {
        let micros = (timeIntervalSince1970 * 1_000_000).rounded()
        guard micros.isFinite, abs(micros) < 2.5e17 else {
            throw PostgresError(code: .encoding, reason: "the date is outside the years 1–9999")
        }
        let total = Int64(micros)
        let (seconds, fraction) = total.floorDivided(by: 1_000_000)
        let (days, secondOfDay) = seconds.floorDivided(by: 86_400)
        let (year, month, day) = CivilCalendar.date(fromDays: days)
        guard (1...9999).contains(year) else {
            throw PostgresError(code: .encoding, reason: "the date is outside the years 1–9999")
        }
        return String(
            format: "%04lld-%02lld-%02lld %02lld:%02lld:%02lld.%06lld+00",
            year, month, day, secondOfDay / 3600, secondOfDay / 60 % 60, secondOfDay % 60, fraction
        )
    }

    public static func accepts(_ type: PostgresType) -> Bool {
        type == .timestamptz || type == .timestamp || type == .date
    }

    /// Parses the ISO output style this module sets on every connection:
    /// `YYYY-MM-DD[ HH:MM:SS[.ffffff][±HH[:MM[:SS]]]]`; a `timestamp` without zone and a
    /// `date` are taken as UTC.
    public init(postgresText bytes: UnsafeRawBufferPointer, type: PostgresType) throws(PostgresError) {
        var scanner = DigitScanner(bytes: bytes)
        guard let year = scanner.number(), scanner.skip("-"), let month = scanner.number(), scanner.skip("-"),
            let day = scanner.number(), (1...12).contains(month), (1...31).contains(day)
        else { throw .malformed("timestamp") }
        var seconds = CivilCalendar.days(year: year, month: month, day: day) * 86_400
        var fraction = 0.0
        if scanner.skip(" ") {
            guard let hour = scanner.number(), scanner.skip(":"), let minute = scanner.number(), scanner.skip(":"),
                let second = scanner.number()
            else { throw .malformed("timestamp") }
            seconds += hour * 3600 + minute * 60 + second
            if scanner.skip(".") { fraction = scanner.fraction() }
            if let sign = scanner.sign() {
                guard let offsetHours = scanner.number() else { throw .malformed("timestamp") }
                var offset = offsetHours * 3600
                if scanner.skip(":"), let offsetMinutes = scanner.number() { offset += offsetMinutes * 60 }
                if scanner.skip(":"), let offsetSeconds = scanner.number() { offset += offsetSeconds }
                seconds -= sign * offset
            }
        }
        guard scanner.isAtEnd else { throw .malformed("timestamp") }
        self = Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}

/// Proleptic Gregorian conversions (Howard Hinnant's `days_from_civil`), free of
/// `Calendar`, whose cost would dominate row decoding.
/// Proleptic Gregorian day arithmetic (Howard Hinnant's algorithms): days since 1970-01-01
/// to and from year, month and day, without Foundation's calendars, for code that formats
/// or parses millions of dates.
public enum CivilCalendar {
    /// Days since 1970-01-01 of a calendar date.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The calendar date of a day counted from 1970-01-01.
    public static func date(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

private struct DigitScanner {
    let bytes: UnsafeRawBufferPointer
    var index = 0

    var isAtEnd: Bool { index == bytes.count }

    mutating func number() -> Int64? {
        var value: Int64 = 0
        let start = index
        while index < bytes.count, index - start < 9, case let digit = bytes[index] &- 48, digit < 10 {
            value = value * 10 + Int64(digit)
            index += 1
        }
        return index > start ? value : nil
    }

    mutating func fraction() -> Double {
        var value = 0.0
        var scale = 0.1
        while index < bytes.count, case let digit = bytes[index] &- 48, digit < 10 {
            value += Double(digit) * scale
            scale /= 10
            index += 1
        }
        return value
    }

    mutating func skip(_ character: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: character) else { return false }
        index += 1
        return true
    }

    mutating func sign() -> Int64? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}

extension Int64 {
    /// Division rounding toward negative infinity, with a non-negative remainder.
    func floorDivided(by divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        let quotient = self / divisor
        let remainder = self % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
