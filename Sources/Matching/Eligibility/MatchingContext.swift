import Foundation

/// What a matching run knows besides the need, household and offer in front of it: the
/// time, the taxonomy, and each household's recent aid.
public struct MatchingContext: Sendable {
    /// The moment the run evaluates at; every time rule compares against it.
    public var now: Date
    /// How far back aid counts for the duplicate-aid rule and the fairness factor.
    public var lookBackDays: Int
    /// Categories by id, to find a need's parent group.
    public var categories: [Int64: Category]
    /// Aid received by each household (any age; the look-back is applied here).
    public var aidHistory: [Int64: [AidRecord]]

    public init(
        now: Date,
        lookBackDays: Int = 90,
        categories: [Int64: Category] = [:],
        aidHistory: [Int64: [AidRecord]] = [:]
    ) {
        self.now = now
        self.lookBackDays = lookBackDays
        self.categories = categories
        self.aidHistory = aidHistory
    }

    /// The start of the look-back window.
    public var lookBackStart: Date { now.addingTimeInterval(-Double(lookBackDays) * 86_400) }

    /// Aid the household received inside the look-back window.
    public func recentAid(of householdID: Int64) -> [AidRecord] {
        let start = lookBackStart
        return (aidHistory[householdID] ?? []).filter { $0.givenOn >= start && $0.givenOn <= now }
    }

    /// How an offer's category serves a need's category.
    public func categoryFit(need: Int64, offer: Int64) -> CategoryFit {
        CategoryFit(need: need, offer: offer, parentOfNeed: categories[need]?.parentID)
    }
}
