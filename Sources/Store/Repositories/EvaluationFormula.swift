import Foundation

/// What one charity did for a region's households in a period, counted from the rows
/// themselves when an evaluation is computed.
public struct EvaluationFigures: Sendable, Equatable, Codable {
    /// Matches the charity took on: delivered, or accepted and then lapsed or taken over.
    public var accepted: Int
    /// Matches marked delivered, and of them those whose receipt a caseworker confirmed or
    /// disputed. Only confirmed deliveries count as fulfilled.
    public var delivered: Int
    public var confirmed: Int
    public var disputed: Int
    /// Failures: declined after approval or expired after acceptance (``lapsed``), and
    /// cancelled because the charity was suspended, banned or closed the offer (``takenOver``).
    public var lapsed: Int
    public var takenOver: Int
    /// Median days from approval to delivery over the delivered matches; nil without any.
    public var medianDaysToDeliver: Double?
    /// Complaints about the charity raised in the region in the period, and those still open.
    public var complaints: Int
    public var complaintsOpen: Int
    /// The households' 1–5 satisfaction with the delivered matches: mean and count.
    public var satisfactionAverage: Double?
    public var satisfactionCount: Int

    public init(
        accepted: Int = 0, delivered: Int = 0, confirmed: Int = 0, disputed: Int = 0, lapsed: Int = 0,
        takenOver: Int = 0, medianDaysToDeliver: Double? = nil, complaints: Int = 0, complaintsOpen: Int = 0,
        satisfactionAverage: Double? = nil, satisfactionCount: Int = 0
    ) {
        self.accepted = accepted
        self.delivered = delivered
        self.confirmed = confirmed
        self.disputed = disputed
        self.lapsed = lapsed
        self.takenOver = takenOver
        self.medianDaysToDeliver = medianDaysToDeliver
        self.complaints = complaints
        self.complaintsOpen = complaintsOpen
        self.satisfactionAverage = satisfactionAverage
        self.satisfactionCount = satisfactionCount
    }
}

/// The one formula of an evaluation's 0–100 score (README, "Charity evaluation").
///
/// `score = 100 · Σ wₖ·cₖ`, every component `cₖ ∈ [0, 1]`, the households' satisfaction
/// weighted most because the policy asks that the served people's judgement count first:
///
/// | component | weight | value |
/// |---|---|---|
/// | satisfaction | 40 | (mean − 1) / 4 |
/// | delivery rate | 20 | confirmed ÷ (delivered + lapsed + taken over) |
/// | confirmed receipts | 15 | confirmed ÷ (confirmed + disputed) |
/// | timeliness | 10 | 1 within 7 days of approval, 0 at 35 days or more, linear between |
/// | complaints | 5 | 1 ÷ (1 + complaints + open complaints) |
/// | coordinator | 10 | the coordinator's score ÷ 100 |
///
/// The first four are shrunk toward a neutral 0.6 by a prior worth five observations
/// (`(n·value + 5·0.6) / (n + 5)`, n the count the value comes from), so one bad case cannot
/// sink a small charity nor one good case crown it; with no observations, or no coordinator's
/// score yet, a component is the neutral 0.6. A charity with nothing to show scores 62: all
/// neutral but complaints, where none counts in its favour.
public enum EvaluationFormula {
    /// The weights, summing to 1.
    public static let weights: [(component: String, weight: Double)] = [
        ("satisfaction", 0.40), ("delivery_rate", 0.20), ("confirmed_receipts", 0.15), ("timeliness", 0.10),
        ("complaints", 0.05), ("coordinator", 0.10),
    ]
    /// Where a component stands without evidence.
    public static let neutral = 0.6
    /// How many observations the neutral value is worth.
    public static let priorWeight = 5.0

    /// The components in the order of ``weights``.
    public static func components(_ figures: EvaluationFigures, coordinatorScore: Int?) -> [Double] {
        let commitments = figures.delivered + figures.lapsed + figures.takenOver
        let reviewed = figures.confirmed + figures.disputed
        let satisfaction = figures.satisfactionAverage.map { ($0 - 1) / 4 }
        let timeliness = figures.medianDaysToDeliver.map { 1 - min(max(($0 - 7) / 28, 0), 1) }
        return [
            shrunk(satisfaction, count: figures.satisfactionCount),
            shrunk(commitments > 0 ? Double(figures.confirmed) / Double(commitments) : nil, count: commitments),
            shrunk(reviewed > 0 ? Double(figures.confirmed) / Double(reviewed) : nil, count: reviewed),
            shrunk(timeliness, count: figures.delivered),
            1 / (1 + Double(figures.complaints + figures.complaintsOpen)),
            coordinatorScore.map { Double(min(max($0, 0), 100)) / 100 } ?? neutral,
        ]
    }

    /// The score, 0–100 to one decimal.
    public static func score(_ figures: EvaluationFigures, coordinatorScore: Int?) -> Double {
        let sum = zip(weights, components(figures, coordinatorScore: coordinatorScore))
            .reduce(0.0) { $0 + $1.0.weight * $1.1 }
        return (min(max(sum, 0), 1) * 1000).rounded() / 10
    }

    /// `value` over `count` observations pulled toward ``neutral``.
    static func shrunk(_ value: Double?, count: Int) -> Double {
        guard let value, count > 0 else { return neutral }
        let clamped = min(max(value, 0), 1)
        return (Double(count) * clamped + priorWeight * neutral) / (Double(count) + priorWeight)
    }
}
