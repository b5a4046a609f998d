import Foundation
import Matching

/// The review page's selection: which run (every run by default), which filters, which
/// page. It is read alike from a GET's query and from the decision form's hidden fields, so
/// the page after a decision shows the same selection the coordinator was working through.
struct ReviewQuery {
    /// One run's proposals; nil for every waiting proposal in the region.
    var run: Int64?
    /// The hand-made proposals (`run=manual`) instead of a run's.
    var handMade: Bool
    /// A township's 12-digit code.
    var township: String?
    var category: String?
    var charity: String?
    /// Scores as typed, numbers from 0 to 1.
    var minimumScore: String?
    var maximumScore: String?
    /// Proposed on or after `from` and on or before `until` (`yyyy-mm-dd`, China time).
    var from: String?
    var until: String?
    /// The page, from 1.
    var page: Int

    /// Reads the fields through `value`; blank fields are absent.
    init(_ value: (String) -> String?) {
        func text(_ name: String) -> String? {
            value(name).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        run = text("run").flatMap { Int64($0) }
        handMade = text("run") == "manual"
        township = text("township")
        category = text("category")
        charity = text("charity")
        minimumScore = text("min")
        maximumScore = text("max")
        from = text("from")
        until = text("until")
        page = text("page").flatMap { Int($0) }.map { max(1, min($0, 100_000)) } ?? 1
    }

    /// The selection without the page, as (name, value) pairs for links and hidden fields.
    var fields: [(String, String?)] {
        [
            ("run", handMade ? "manual" : run.map { String($0) }), ("township", township), ("category", category),
            ("charity", charity),
            ("min", minimumScore), ("max", maximumScore), ("from", from), ("until", until),
        ]
    }

    /// What the filters mean once checked, or the message for each field that is wrong.
    struct Checked {
        var township: RegionScope?
        var category: Int64?
        var charity: Int64?
        var scoreMicro: ClosedRange<Int64>?
        var createdFrom: Date?
        var createdBefore: Date?
        /// Messages by field name.
        var errors: [String: String] = [:]
    }

    /// Checks the filters: a township inside `limit`, a known category, a charity id, and
    /// scores from 0 to 1 with the lower not above the upper.
    func checked(
        within limit: RegionScope?, categories: Set<Int64>, texts: [String: String], day: (String) -> Date?
    ) -> Checked {
        var result = Checked()
        if let township {
            if let code = RegionCode(township), code.level == .township, limit?.contains(code) ?? true {
                result.township = code.scope
            } else {
                result.errors["township"] = texts["invalid.township"] ?? ""
            }
        }
        if let category {
            if let id = Int64(category), categories.contains(id) {
                result.category = id
            } else {
                result.errors["category"] = texts["invalid.category"] ?? ""
            }
        }
        if let charity {
            if let id = Int64(charity) {
                result.charity = id
            } else {
                result.errors["charity"] = texts["invalid.charity"] ?? ""
            }
        }
        if let from {
            result.createdFrom = day(from)
            if result.createdFrom == nil { result.errors["from"] = texts["invalid.date"] ?? "" }
        }
        if let until {
            result.createdBefore = day(until).map { $0.addingTimeInterval(24 * 3600) }
            if result.createdBefore == nil { result.errors["until"] = texts["invalid.date"] ?? "" }
        }
        let low = Self.score(minimumScore), high = Self.score(maximumScore)
        if minimumScore != nil, low == nil { result.errors["min"] = texts["invalid.score"] ?? "" }
        if maximumScore != nil, high == nil { result.errors["max"] = texts["invalid.score"] ?? "" }
        if minimumScore != nil || maximumScore != nil, result.errors["min"] == nil, result.errors["max"] == nil {
            let range = (low ?? 0, high ?? 1_000_000)
            if range.0 <= range.1 {
                result.scoreMicro = range.0...range.1
            } else {
                result.errors["max"] = texts["invalid.scoreRange"] ?? ""
            }
        }
        return result
    }

    /// A score from 0 to 1 in millionths, or nil.
    private static func score(_ text: String?) -> Int64? {
        guard let text, let value = Double(text), value.isFinite, (0...1).contains(value) else { return nil }
        return Int64((value * 1_000_000).rounded())
    }
}
