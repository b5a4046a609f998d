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
        /// The household's region code cut to each level's prefix, indexed by level (1…5).
        var regionPrefixes: SIMD8<UInt64>
    }

    private struct OfferColumn {
        var reliabilityMicro: Int64
        var category: Int64
        var availableFrom: Double
        var centre: SIMD3<Double>
        var inverseChordRadius: Double
        var hasCircle: Bool
        /// The first listed scope inline (level 0 when none), the rest in the shared arrays.
        var firstScopePrefix: UInt64
        var firstScopeLevel: Int32
        var moreScopesStart: Int32
        var moreScopesEnd: Int32
    }

    private let needColumns: [NeedColumn]
    private let offerColumns: [OfferColumn]
    private let scopePrefixes: [UInt64]
    private let scopeLevels: [UInt8]
    /// Region proximity by scope level, 0 for "no scope".
    private let levelProximity: SIMD8<Double>
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
                regionPrefixes: SIMD8(
                    UInt64.max, code / 10_000_000_000, code / 100_000_000, code / 1_000_000, code / 1_000, code,
                    UInt64.max, UInt64.max)
            )
        }
        var prefixes: [UInt64] = []
        var levels: [UInt8] = []
        offerColumns = offers.map { offer in
            let scopes = offer.serviceArea.scopes
            let start = Int32(prefixes.count)
            for scope in scopes.dropFirst() {
                prefixes.append(UInt64(scope.prefix) ?? 0)
                levels.append(UInt8(scope.level.rawValue))
            }
            return OfferColumn(
                reliabilityMicro: micro(.reliability, ScoreFactors.reliability(offer.charity)),
                category: offer.categoryID,
                availableFrom: offer.availableFrom.timeIntervalSinceReferenceDate,
                centre: offer.serviceArea.circle?.center.unitVector ?? .zero,
                inverseChordRadius: offer.serviceArea.circle?.inverseUnitChordRadius ?? 0,
                hasCircle: offer.serviceArea.circle != nil,
                firstScopePrefix: scopes.first.flatMap { UInt64($0.prefix) } ?? UInt64.max,
                firstScopeLevel: Int32(scopes.first?.level.rawValue ?? 0),
                moreScopesStart: start,
                moreScopesEnd: Int32(prefixes.count)
            )
        }
        scopePrefixes = prefixes
        scopeLevels = levels
        var proximityByLevel = SIMD8<Double>(repeating: 0)
        for level in RegionCode.Level.allCases {
            proximityByLevel[level.rawValue] = ScoreFactors.regionProximity(level)
        }
        levelProximity = proximityByLevel
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
        let circle = ScoreFactors.circleProximity(
            home: need.home, centre: offer.centre, inverseChordRadius: offer.inverseChordRadius)
        var proximity = offer.hasCircle && need.hasHome ? circle : 0
        let level = Int(offer.firstScopeLevel)
        let region = need.regionPrefixes[level] == offer.firstScopePrefix ? levelProximity[level] : 0
        proximity = max(proximity, region)
        if offer.moreScopesEnd > offer.moreScopesStart {
            for scope in Int(offer.moreScopesStart)..<Int(offer.moreScopesEnd) {
                let level = Int(scopeLevels[scope])
                if need.regionPrefixes[level] == scopePrefixes[scope] {
                    proximity = max(proximity, levelProximity[level])
                }
            }
        }
        let fit = offer.category == need.category ? exactFitMicro : parentFitMicro
        let deadline = offer.availableFrom > need.neededBy ? 0 : need.deadlineMicro
        return need.fixedMicro + offer.reliabilityMicro + fit + deadline
            + ScoreBreakdown.micro(proximityWeight * proximity)
    }
}
