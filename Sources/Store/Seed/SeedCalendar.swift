import Postgres

/// Day arithmetic for the seeder without Foundation's formatters, which are far too slow to
/// call millions of times. Dates are UTC days since 1970-01-01.
struct SeedCalendar {
    /// The seed's "today", as days since the epoch; every generated date is relative to it.
    let today: Int

    /// `yyyy-mm-dd` of day `days`.
    static func dateText(_ days: Int) -> String {
        let (year, month, day) = civil(days)
        return "\(year)-\(pad(month))-\(pad(day))"
    }

    /// `yyyy-mm-dd hh:mm:ss+00` of `seconds` since the epoch.
    static func timestampText(_ seconds: Int) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        return "\(dateText(days)) \(pad(rest / 3600)):\(pad(rest / 60 % 60)):\(pad(rest % 60))+00"
    }

    /// `yyyymmdd` as an integer, the form ID-number validation compares.
    static func compactDate(_ days: Int) -> Int {
        let (year, month, day) = civil(days)
        return year * 10_000 + month * 100 + day
    }

    static func civil(_ days: Int) -> (Int, Int, Int) {
        let (year, month, day) = CivilCalendar.date(fromDays: Int64(days))
        return (Int(year), Int(month), Int(day))
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
