import Foundation

/// The factor formulas. Each returns a value in [0, 1]; higher means "serve this pair first".
public enum ScoreFactors {
    /// Urgency: 急难 (emergency) = 1; otherwise (urgency − 1) / 5, so urgency 5 gives 0.8
    /// and an emergency always outranks the most urgent ordinary need.
    public static func urgency(_ need: Need) -> Double {
        need.isEmergency ? 1 : Double(min(max(need.urgency, 1), 5) - 1) / 5
    }

    /// Vulnerability: the strongest assistance status sets a base — 特困 0.8 > 低保 0.6 >
    /// 低保边缘 0.4 > 临时救助 and 医疗救助 0.3 (none 0.1) — and each vulnerability flag adds
    /// 0.1, capped at 1, so a 低保 household with a disabled member living alone can rank
    /// with a 特困 one.
    public static func vulnerability(_ household: Household) -> Double {
        let base = household.statuses.map(statusBase).max() ?? 0.1
        return min(1, base + 0.1 * Double(household.flags.count))
    }

    static func statusBase(_ status: AssistanceStatus) -> Double {
        switch status {
        case .tekun: 0.8
        case .dibao: 0.6
        case .dibaoEdge: 0.4
        case .temporary, .medical: 0.3
        }
    }

    /// Proximity: inside the offer's circle, 1 − chord(home, centre) / chord(radius), the
    /// straight-line distance on the sphere against the radius (within 0.01 % of the
    /// great-circle ratio at county scale, and monotonic in it); by region, the narrower
    /// the listed scope that contains the household the better — village 1, township 0.8,
    /// county 0.6, prefecture 0.4, province 0.2. The better of the two counts; 0 when
    /// neither covers.
    public static func proximity(household: Household, area: ServiceArea) -> Double {
        var value = 0.0
        if let circle = area.circle, let location = household.location {
            value = circleProximity(
                home: location.unitVector,
                centre: circle.center.unitVector,
                inverseChordRadius: circle.inverseUnitChordRadius
            )
        }
        if let scope = area.narrowestScope(containing: household.region) {
            value = max(value, regionProximity(scope.level))
        }
        return value
    }

    @inline(__always)
    static func circleProximity(home: SIMD3<Double>, centre: SIMD3<Double>, inverseChordRadius: Double) -> Double {
        let delta = home - centre
        return circleProximity(chordSquared: (delta * delta).sum(), inverseChordRadius: inverseChordRadius)
    }

    @inline(__always)
    static func circleProximity(chordSquared: Double, inverseChordRadius: Double) -> Double {
        min(max(1 - chordSquared.squareRoot() * inverseChordRadius, 0), 1)
    }

    static func regionProximity(_ level: RegionCode.Level) -> Double { Double(level.rawValue) / 5 }

    /// Waiting time: days since the need was recorded over 60, capped at 1, so a need that
    /// has waited two months is never passed over for a fresh one on waiting alone.
    public static func waitingTime(_ need: Need, now: Date) -> Double {
        let days = now.timeIntervalSince(need.recordedAt) / 86_400
        return min(max(days / 60, 0), 1)
    }

    /// Category fit: the exact category 1; the need's group (a general offer) 0.5.
    public static func categoryFit(_ fit: CategoryFit) -> Double {
        switch fit {
        case .exact: 1
        case .parent: 0.5
        case .none: 0
        }
    }

    /// Reliability: half satisfaction, half completion, each a Bayesian mean that starts
    /// from a prior worth five observations (satisfaction 3.5 of 5, completion 80 %), so a
    /// new charity scores in the middle (0.7125) and a few ratings cannot make it top or
    /// bottom. Once a charity has a published evaluation (绩效评价), its record weighs half
    /// and the evaluation's 0–100 score the other half: the evaluation weighs confirmed
    /// receipts, lapses, takeovers and complaints the raw record cannot see.
    public static func reliability(_ charity: CharityStanding) -> Double {
        let prior = 5.0
        let satisfaction =
            (Double(charity.satisfactionSum) + prior * 3.5) / (Double(charity.satisfactionCount) + prior)
        let completion =
            (Double(charity.delivered) + prior * 0.8) / (Double(charity.delivered + charity.failed) + prior)
        let record = min(max(0.5 * (satisfaction - 1) / 4 + 0.5 * completion, 0), 1)
        guard let evaluation = charity.evaluationScore else { return record }
        return min(max(0.5 * record + 0.5 * evaluation / 100, 0), 1)
    }

    /// Fairness: 1 / (1 + k) for k aid records received inside the look-back window, so
    /// households helped recently give way to those not yet helped (no duplicate aid).
    public static func fairness(recentAidCount: Int) -> Double { 1 / (1 + Double(max(recentAidCount, 0))) }

    /// Deadline fit: 0 when the offer opens after the need's deadline (it would come too
    /// late); otherwise the closer the deadline the higher, from 0.5 (60 days or more away)
    /// to 1 (due now or overdue); 0.5 when the need has no deadline.
    public static func deadlineFit(_ need: Need, offer: Offer, now: Date) -> Double {
        guard let neededBy = need.neededBy else { return 0.5 }
        return offer.availableFrom > neededBy ? 0 : deadlinePressure(neededBy: neededBy, now: now)
    }

    /// The offer-independent part of deadline fit: 1 − 0.5 · min(days left / 60, 1).
    static func deadlinePressure(neededBy: Date?, now: Date) -> Double {
        guard let neededBy else { return 0.5 }
        return 1 - 0.5 * min(max(neededBy.timeIntervalSince(now) / 86_400 / 60, 0), 1)
    }
}
