import Foundation

/// Scores many candidate pairs at once with the same numbers as ``Scorer/breakdown``.
///
/// Everything that depends on the need or the offer alone is computed once per need and
/// per offer, as whole-millionth contributions; per pair only category fit, deadline fit
/// and proximity remain, a few loads and one square root. The contributions are floored
/// exactly as ``ScoreBreakdown`` floors them, so a pair's batch score equals its
/// breakdown's sum to the millionth.
public struct BatchScorer: Sendable {
    private struct NeedColumn {
        var fixedMicro: Int64
        var deadlineMicro: Int64
        var neededBy: Double
        var category: Int64
        var home: SIMD3<Double>
        var hasHome: Bool
        var regionTruncations: (UInt64, UInt64, UInt64, UInt64, UInt64)
    }

    private struct OfferColumn {
        var reliabilityMicro: Int64
        var category: Int64
        var availableFrom: Double
        var centre: SIMD3<Double>
        var chordRadius: Double
        var hasCircle: Bool
        var scopeStart: Int32
        var scopeEnd: Int32
    }

    private let needColumns: [NeedColumn]
    private let offerColumns: [OfferColumn]
    private let scopePrefixes: [UInt64]
    private let scopeLevels: [UInt8]
    private let proximityWeight: Double
    private let exactFitMicro: Int64
    private let parentFitMicro: Int64

    /// Precomputes the per-need and per-offer parts. `households` must hold every need's
    /// household; a need whose household is missing scores only its own factors.
    public init(needs: [Need], households: [Int64: Household], offers: [Offer], scorer: Scorer) {
        let policy = scorer.policy
        let context = scorer.context
        func micro(_ factor: ScoreFactor, _ value: Double) -> Int64 {
            ScoreBreakdown.micro(policy.weight(factor) * min(max(value, 0), 1))
        }
        let now = context.now
        needColumns = needs.map { need in
            let household = households[need.householdID]
            var fixed =
                micro(.urgency, ScoreFactors.urgency(need))
                + micro(.waitingTime, ScoreFactors.waitingTime(need, now: now))
            if let household {
                fixed += micro(.vulnerability, ScoreFactors.vulnerability(household))
                fixed += micro(
                    .fairness, ScoreFactors.fairness(recentAidCount: context.recentAid(of: household.id).count))
            } else {
                fixed += micro(.vulnerability, 0) + micro(.fairness, 0)
            }
            let deadlineValue = ScoreFactors.deadlinePressure(neededBy: need.neededBy, now: now)
            let code = household.flatMap { UInt64($0.region.digits) } ?? 0
            return NeedColumn(
                fixedMicro: fixed,
                deadlineMicro: micro(.deadlineFit, deadlineValue),
                neededBy: need.neededBy?.timeIntervalSinceReferenceDate ?? .infinity,
                category: need.categoryID,
                home: household?.location?.unitVector ?? .zero,
                hasHome: household?.location != nil,
                regionTruncations: (code / 10_000_000_000, code / 100_000_000, code / 1_000_000, code / 1_000, code)
            )
        }
        var prefixes: [UInt64] = []
        var levels: [UInt8] = []
        offerColumns = offers.map { offer in
            let start = Int32(prefixes.count)
            for scope in offer.serviceArea.scopes {
                prefixes.append(UInt64(scope.prefix) ?? 0)
                levels.append(UInt8(scope.level.rawValue))
            }
            return OfferColumn(
                reliabilityMicro: micro(.reliability, ScoreFactors.reliability(offer.charity)),
                category: offer.categoryID,
                availableFrom: offer.availableFrom.timeIntervalSinceReferenceDate,
                centre: offer.serviceArea.circle?.center.unitVector ?? .zero,
                chordRadius: offer.serviceArea.circle?.unitChordRadius ?? 0,
                hasCircle: offer.serviceArea.circle != nil,
                scopeStart: start,
                scopeEnd: Int32(prefixes.count)
            )
        }
        scopePrefixes = prefixes
        scopeLevels = levels
        proximityWeight = policy.weight(.proximity)
        exactFitMicro = micro(.categoryFit, ScoreFactors.categoryFit(.exact))
        parentFitMicro = micro(.categoryFit, ScoreFactors.categoryFit(.parent))
    }

    /// Scores the pairs of need `n`, the offers `pairOffers[pairStart[n] ..< pairStart[n + 1]]`
    /// (indices into the `offers` given at init); all pairs must be eligible.
    public func scores(pairStart: [Int32], pairOffers: [Int32]) -> [Int64] {
        var result = [Int64](repeating: 0, count: pairOffers.count)
        result.withUnsafeMutableBufferPointer { output in
            pairOffers.withUnsafeBufferPointer { pairOffers in
                needColumns.withUnsafeBufferPointer { needs in
                    offerColumns.withUnsafeBufferPointer { offers in
                        for need in 0..<min(needs.count, pairStart.count - 1) {
                            let column = needs[need]
                            for pair in Int(pairStart[need])..<Int(pairStart[need + 1]) {
                                output[pair] = score(column, offers[Int(pairOffers[pair])])
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    @inline(__always)
    private func score(_ need: NeedColumn, _ offer: OfferColumn) -> Int64 {
        var proximity = 0.0
        if offer.hasCircle, need.hasHome {
            proximity = ScoreFactors.circleProximity(
                home: need.home, centre: offer.centre, chordRadius: offer.chordRadius)
        }
        var scope = Int(offer.scopeStart)
        while scope < Int(offer.scopeEnd) {
            let level = scopeLevels[scope]
            let truncated: UInt64
            switch level {
            case 1: truncated = need.regionTruncations.0
            case 2: truncated = need.regionTruncations.1
            case 3: truncated = need.regionTruncations.2
            case 4: truncated = need.regionTruncations.3
            default: truncated = need.regionTruncations.4
            }
            if truncated == scopePrefixes[scope] {
                proximity = max(
                    proximity, ScoreFactors.regionProximity(RegionCode.Level(rawValue: Int(level)) ?? .village))
            }
            scope += 1
        }
        let fit = offer.category == need.category ? exactFitMicro : parentFitMicro
        let deadline = offer.availableFrom > need.neededBy ? 0 : need.deadlineMicro
        return need.fixedMicro + offer.reliabilityMicro + fit + deadline
            + ScoreBreakdown.micro(proximityWeight * proximity)
    }
}
