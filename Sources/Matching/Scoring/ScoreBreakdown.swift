import Foundation

/// Why a pair scored what it did: every factor's value, its weight and its contribution.
///
/// Contributions are whole millionths, `⌊weight × value × 10⁶⌋`, and the score is their
/// sum, so the parts add up to the score exactly and the score never exceeds 1.
public struct ScoreBreakdown: Sendable, Equatable, Codable {
    public struct Term: Sendable, Equatable, Codable {
        public var factor: ScoreFactor
        public var value: Double
        public var weight: Double
        public var contributionMicro: Int64

        enum CodingKeys: String, CodingKey {
            case factor, value, weight
            case contributionMicro = "contribution_micro"
        }
    }

    /// One term per factor, in ``ScoreFactor/allCases`` order.
    public var terms: [Term]
    /// The policy the weights came from.
    public var policyName: String
    public var policyVersion: Int

    enum CodingKeys: String, CodingKey {
        case terms
        case policyName = "policy_name"
        case policyVersion = "policy_version"
        case scoreMicro = "score_micro"
    }

    public init(values: [ScoreFactor: Double], policy: WeightPolicy) {
        terms = ScoreFactor.allCases.map { factor in
            let value = min(max(values[factor] ?? 0, 0), 1)
            let weight = policy.weight(factor)
            return Term(factor: factor, value: value, weight: weight, contributionMicro: Self.micro(weight * value))
        }
        policyName = policy.name
        policyVersion = policy.version
    }

    /// The score in millionths: the sum of the contributions.
    public var scoreMicro: Int64 { terms.reduce(0) { $0 + $1.contributionMicro } }

    /// The score as a number in [0, 1].
    public var score: Double { Double(scoreMicro) / 1_000_000 }

    /// `⌊x × 10⁶⌋` for x ≥ 0 (weights and values are never negative, so truncation is the
    /// floor, one instruction): flooring keeps the sum of contributions within 1.
    @inline(__always)
    static func micro(_ weighted: Double) -> Int64 { Int64(weighted * 1_000_000) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        terms = try container.decode([Term].self, forKey: .terms)
        policyName = try container.decode(String.self, forKey: .policyName)
        policyVersion = try container.decode(Int.self, forKey: .policyVersion)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(terms, forKey: .terms)
        try container.encode(policyName, forKey: .policyName)
        try container.encode(policyVersion, forKey: .policyVersion)
        try container.encode(scoreMicro, forKey: .scoreMicro)
    }
}

/// Scores eligible pairs under one policy and context.
public struct Scorer: Sendable {
    public let policy: WeightPolicy
    public let context: MatchingContext

    public init(policy: WeightPolicy, context: MatchingContext) {
        self.policy = policy
        self.context = context
    }

    /// The factor values of a pair, before weighting.
    public func factorValues(need: Need, household: Household, offer: Offer, fit: CategoryFit) -> [ScoreFactor: Double]
    {
        [
            .urgency: ScoreFactors.urgency(need),
            .vulnerability: ScoreFactors.vulnerability(household),
            .proximity: ScoreFactors.proximity(household: household, area: offer.serviceArea),
            .waitingTime: ScoreFactors.waitingTime(need, now: context.now),
            .categoryFit: ScoreFactors.categoryFit(fit),
            .reliability: ScoreFactors.reliability(offer.charity),
            .fairness: ScoreFactors.fairness(recentAidCount: context.recentAid(of: household.id).count),
            .deadlineFit: ScoreFactors.deadlineFit(need, offer: offer, now: context.now),
        ]
    }

    /// The full explanation of a pair's score.
    public func breakdown(need: Need, household: Household, offer: Offer, fit: CategoryFit) -> ScoreBreakdown {
        ScoreBreakdown(values: factorValues(need: need, household: household, offer: offer, fit: fit), policy: policy)
    }
}
