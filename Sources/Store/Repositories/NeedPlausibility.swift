/// What a need may plausibly ask for, defined once for every way a need comes in (the API,
/// the needs import, the dashboard's form, all through the Store): a typo such as 1,000,000
/// 元 of heating costs for one person, rice counted in hours or a date in 2099 is refused
/// where it is typed instead of skewing every later run. README.md and `openapi.yaml`
/// state the same table; a test holds them to it.
public enum NeedPlausibility {
    /// The most one need may ask for: `perHousehold + perMember × members`.
    public struct Bound: Sendable, Equatable {
        public let perHousehold: Int
        public let perMember: Int

        /// The bound for a household of `members` people.
        public func maximum(members: Int) -> Int { perHousehold + perMember * max(1, members) }
    }

    /// The units each kind of aid is counted in: goods by portion, set, piece or box, money
    /// in yuan, services by the hour or the session.
    public static let units: [CategoryKind: [String]] = [
        .material: ["portion", "set", "piece", "box"], .money: ["yuan"], .service: ["hour", "session"],
    ]

    /// Bounds by unit, where no category has its own.
    public static let unitBounds: [String: Bound] = [
        "portion": Bound(perHousehold: 0, perMember: 60),
        "set": Bound(perHousehold: 0, perMember: 5),
        "piece": Bound(perHousehold: 5, perMember: 2),
        "box": Bound(perHousehold: 0, perMember: 30),
        "yuan": Bound(perHousehold: 0, perMember: 10_000),
        "hour": Bound(perHousehold: 0, perMember: 200),
        "session": Bound(perHousehold: 0, perMember: 50),
    ]

    /// Money categories whose sums follow their own scale: heating costs and living costs
    /// grow with the household, a medical bill or a house repair does not.
    public static let categoryBounds: [String: Bound] = [
        "money.heating": Bound(perHousehold: 0, perMember: 1_000),
        "money.temporary_living": Bound(perHousehold: 0, perMember: 5_000),
        "money.education": Bound(perHousehold: 0, perMember: 20_000),
        "money.medical": Bound(perHousehold: 300_000, perMember: 0),
        "money.housing_repair": Bound(perHousehold: 50_000, perMember: 0),
    ]

    /// How far ahead `needed_by` may lie: a need for later than a year from today is a typo
    /// or not yet a need.
    public static let horizonYears = 1

    /// The bound on a need of `category` counted in `unit`; nil when the unit has none.
    public static func bound(category: String, unit: String) -> Bound? {
        categoryBounds[category] ?? unitBounds[unit]
    }

    /// The latest `needed_by` (`yyyymmdd`) accepted on `today`: the same day a year on
    /// (29 February falls back to 28).
    public static func latestNeededBy(today: Int) -> Int {
        let year = today / 10_000 + horizonYears
        let monthDay = today % 10_000 == 229 ? 228 : today % 10_000
        return year * 10_000 + monthDay
    }

    /// What is implausible about a need, by field (`unit`, `quantity`, `needed_by`), in
    /// words a caseworker can act on; empty when it is plausible. `neededBy` is `yyyymmdd`.
    public static func problems(
        category: String, kind: CategoryKind, unit: String, quantity: Int, members: Int, neededBy: Int?, today: Int
    ) -> [(field: String, reason: String)] {
        var problems: [(field: String, reason: String)] = []
        let allowed = units[kind] ?? []
        if !allowed.contains(unit) {
            problems.append(
                ("unit", "\(category) is counted in \(allowed.joined(separator: ", ")), not in \(unit)"))
        } else if let bound = bound(category: category, unit: unit), quantity > bound.maximum(members: members) {
            let people = members == 1 ? "1 person" : "\(members) people"
            problems.append(
                (
                    "quantity",
                    "at most \(bound.maximum(members: members)) \(unit) of \(category) for a household of \(people)"
                ))
        }
        if let neededBy, neededBy > latestNeededBy(today: today) {
            problems.append(("needed_by", "must be within a year from today"))
        }
        return problems
    }
}
