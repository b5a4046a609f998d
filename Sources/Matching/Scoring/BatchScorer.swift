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
        /// The household's place on the unit sphere; without one, a point off the sphere
        /// beyond every offer's reach, so no circle counts.
        var home: SIMD3<Double>
    }

    private struct OfferColumn {
        var reliabilityMicro: Int64
        var category: Int64
        var availableFrom: Double
        var centre: SIMD3<Double>
        var inverseChordRadius: Double
        /// Squared chords beyond this score 0 for the circle without a square root: a little
        /// over the radius squared, so rounding can never drop a pair that would score; -1
        /// without a circle; for a zero radius (which scores as the centre) 4.5, past the
        /// longest chord of the sphere (2) but short of ``BatchScorer/nowhere``.
        var reachSquared: Double
        /// The first listed scope inline (level 0 when none), the rest in the shared arrays.
        var firstScopePrefix: UInt64
        var firstScopeLevel: Int32
        /// The first scope's region proximity, kept beside it: looking it up by level in a
        /// vector per pair spilled the vector to memory each time.
        var firstScopeProximity: Double
        var moreScopesStart: Int32
        var moreScopesEnd: Int32
    }

    private let needColumns: [NeedColumn]
    /// Each need's household region code cut to each level's prefix: eight per need, indexed
    /// by level (1…5), the rest never matching. Kept apart so a pair reads one from memory.
    private let needRegionPrefixes: [UInt64]
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
        var regionPrefixes: [UInt64] = []
        regionPrefixes.reserveCapacity(needs.count * 8)
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
            regionPrefixes += [
                UInt64.max, code / 10_000_000_000, code / 100_000_000, code / 1_000_000, code / 1_000, code,
                UInt64.max, UInt64.max,
            ]
            return NeedColumn(
                fixedMicro: fixed,
                deadlineMicro: micro(.deadlineFit, deadlineValue),
                neededBy: need.neededBy?.timeIntervalSinceReferenceDate ?? .infinity,
                category: need.categoryID,
                home: household?.location?.unitVector ?? Self.nowhere
            )
        }
        needRegionPrefixes = regionPrefixes
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
                reachSquared: Self.reachSquared(of: offer.serviceArea.circle),
                firstScopePrefix: scopes.first.flatMap { UInt64($0.prefix) } ?? UInt64.max,
                firstScopeLevel: Int32(scopes.first?.level.rawValue ?? 0),
                firstScopeProximity: scopes.first.map { ScoreFactors.regionProximity($0.level) } ?? 0,
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
                    needRegionPrefixes.withUnsafeBufferPointer { regionPrefixes in
                        offerColumns.withUnsafeBufferPointer { offers in
                            guard let firstPrefix = regionPrefixes.baseAddress else { return }
                            for need in 0..<min(needs.count, pairStart.count - 1) {
                                let column = needs[need]
                                let prefixes = firstPrefix + need * 8
                                for pair in Int(pairStart[need])..<Int(pairStart[need + 1]) {
                                    output[pair] = score(column, prefixes, offers[Int(pairOffers[pair])])
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    @inline(__always)
    private func score(_ need: NeedColumn, _ regionPrefixes: UnsafePointer<UInt64>, _ offer: OfferColumn) -> Int64 {
        let delta = need.home - offer.centre
        let chordSquared = (delta * delta).sum()
        var proximity = 0.0
        if chordSquared <= offer.reachSquared {
            proximity = ScoreFactors.circleProximity(
                chordSquared: chordSquared, inverseChordRadius: offer.inverseChordRadius)
        }
        let level = Int(offer.firstScopeLevel) & 7
        let region = regionPrefixes[level] == offer.firstScopePrefix ? offer.firstScopeProximity : 0
        proximity = max(proximity, region)
        if offer.moreScopesEnd > offer.moreScopesStart {
            for scope in Int(offer.moreScopesStart)..<Int(offer.moreScopesEnd) {
                let level = Int(scopeLevels[scope]) & 7
                if regionPrefixes[level] == scopePrefixes[scope] {
                    proximity = max(proximity, levelProximity[level])
                }
            }
        }
        let fit = offer.category == need.category ? exactFitMicro : parentFitMicro
        let deadline = offer.availableFrom > need.neededBy ? 0 : need.deadlineMicro
        return need.fixedMicro &+ offer.reliabilityMicro &+ fit &+ deadline
            &+ ScoreBreakdown.micro(proximityWeight * proximity)
    }

    private static func reachSquared(of circle: ServiceArea.Circle?) -> Double {
        guard let circle else { return -1 }
        let chord = circle.unitChordRadius
        return chord > 0 ? chord * chord * (1 + 1e-9) : 4.5
    }

    /// Where a need without a location sits: its squared chord to any point of the sphere is
    /// at least 243, beyond every reach.
    private static let nowhere = SIMD3<Double>(10, 10, 10)
}
