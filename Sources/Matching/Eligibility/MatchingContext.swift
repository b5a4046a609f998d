import Foundation

/// What a matching run knows besides the need, household and offer in front of it: the
/// time, the taxonomy, each household's recent aid, and the pairs refused lately.
public struct MatchingContext: Sendable {
    /// The moment the run evaluates at; every time rule compares against it.
    public var now: Date
    /// How far back aid counts for the duplicate-aid rule and the fairness factor.
    public var lookBackDays: Int
    /// Categories by id, to find a need's parent group.
    public var categories: [Int64: Category]
    /// Aid received by each household (any age; the look-back is applied here).
    public var aidHistory: [Int64: [AidRecord]]
    /// How long a refused pair stays out of runs.
    public var coolDownDays: Int
    /// The latest uncleared refusal (rejected, declined or expired) of each pair, by need id
    /// and then offer id (any age; the cool-down is applied here).
    public var refusals: [Int64: [Int64: Date]]

    public init(
        now: Date,
        lookBackDays: Int = 90,
        categories: [Int64: Category] = [:],
        aidHistory: [Int64: [AidRecord]] = [:],
        coolDownDays: Int = 30,
        refusals: [Int64: [Int64: Date]] = [:]
    ) {
        self.now = now
        self.lookBackDays = lookBackDays
        self.categories = categories
        self.aidHistory = aidHistory
        self.coolDownDays = coolDownDays
        self.refusals = refusals
    }

    /// The start of the look-back window.
    public var lookBackStart: Date { now.addingTimeInterval(-Double(lookBackDays) * 86_400) }

    /// Aid the household received inside the look-back window.
    public func recentAid(of householdID: Int64) -> [AidRecord] {
        let start = lookBackStart
        return (aidHistory[householdID] ?? []).filter { $0.givenOn >= start && $0.givenOn <= now }
    }

    /// The start of the cool-down: refusals after it still count.
    public var coolDownStart: Date { now.addingTimeInterval(-Double(coolDownDays) * 86_400) }

    /// Whether the pair was refused after the start of the cool-down (a refusal recorded
    /// after `now` counts too: the run judges as of `now`, but a later "no" is still a "no").
    /// A cool-down of 0 days is none.
    public func wasRefusedRecently(need: Int64, offer: Int64) -> Bool {
        guard coolDownDays > 0, let refusedAt = refusals[need]?[offer] else { return false }
        return refusedAt > coolDownStart
    }

    /// How an offer's category serves a need's category.
    public func categoryFit(need: Int64, offer: Int64) -> CategoryFit {
        CategoryFit(need: need, offer: offer, parentOfNeed: categories[need]?.parentID)
    }
}
