import Matching

/// Which matches a list or a read may return: the narrowing a caller asks for (status, run,
/// offer, need, category) and the reach a caller is allowed (region, charity) in one value.
///
/// Every field is optional; nil means "any". The HTTP layer sets ``region`` from a
/// caseworker's or coordinator's scope and ``charity`` from a charity user's organisation,
/// so a match outside them reads exactly like a missing one.
public struct MatchFilter: Sendable, Equatable {
    public var status: MatchStatus?
    /// Matches proposed by this matching run.
    public var run: Int64?
    /// Only hand-made proposals (a caseworker's, not a run's).
    public var handMade: Bool
    public var offer: Int64?
    public var need: Int64?
    /// The need's category, or a group (level-1 category) containing it.
    public var category: Int64?
    /// household region prefix; nil = everywhere
    public var region: RegionScope?
    /// only matches on this charity's offers
    public var charity: Int64?

    public init(
        status: MatchStatus? = nil, run: Int64? = nil, offer: Int64? = nil, need: Int64? = nil, category: Int64? = nil,
        region: RegionScope? = nil, charity: Int64? = nil, handMade: Bool = false
    ) {
        self.status = status
        self.run = run
        self.handMade = handMade
        self.offer = offer
        self.need = need
        self.category = category
        self.region = region
        self.charity = charity
    }

    /// Only the fields that limit what a caller may see, the ones a single read honours.
    var visibility: MatchFilter { MatchFilter(region: region, charity: charity) }
}
