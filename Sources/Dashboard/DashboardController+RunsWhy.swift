import Foundation
import Matching
import Store

/// Why a run proposed nothing, said from the counts the Store computes for the region at
/// the run's moment (``RunSupplyFacts``): a coordinator reads what holds the needs or the
/// offers instead of an unexplained 0.
extension DashboardController {
    /// The reasons, most decisive first, and the counts behind them as a table.
    func nothingProposed(
        _ report: MatchingRunReport, region: RegionCode, _ texts: [String: String]
    ) async throws -> [String: Any] {
        let facts = try await coordination.runs.supplyFacts(in: region)
        return [
            "reasons": Self.reasons(facts, pairs: report.edges, texts).map { ["text": $0] },
            "facts": Self.factRows(facts, texts),
        ]
    }

    /// The sentences that explain an empty run. The first cause that leaves nothing to pair
    /// is the answer; the causes behind it follow so the coordinator sees the whole picture.
    static func reasons(_ facts: RunSupplyFacts, pairs: Int, _ texts: [String: String]) -> [String] {
        func say(_ key: String, _ values: [String: Int]) -> String {
            filled(texts["why." + key] ?? key, values.mapValues { String($0) })
        }
        var reasons: [String] = []
        if facts.openNeeds == 0 { return [say("noOpenNeeds", [:])] }
        if facts.needsWaiting == 0 {
            reasons.append(say("allNeedsHeld", ["open": facts.openNeeds]))
        }
        if facts.needsHeldByProposals > 0 {
            reasons.append(say("heldByProposals", ["needs": facts.needsHeldByProposals]))
        }
        if facts.needsFullyHeld > facts.needsHeldByProposals {
            reasons.append(say("heldByMatches", ["needs": facts.needsFullyHeld - facts.needsHeldByProposals]))
        }
        if facts.needsWithoutConsent > 0 {
            reasons.append(say("withoutConsent", ["needs": facts.needsWithoutConsent]))
        }
        if facts.offersWithUnits == 0 {
            reasons.append(say("noOfferWithUnits", ["offers": facts.offersReaching]))
            if facts.offersHeldByProposals > 0 {
                reasons.append(say("offersHeld", ["offers": facts.offersHeldByProposals]))
            }
            if facts.offersFullyAllocated > 0 {
                reasons.append(say("offersAllocated", ["offers": facts.offersFullyAllocated]))
            }
            if facts.offersOutsideWindow > 0 {
                reasons.append(say("offersOutsideWindow", ["offers": facts.offersOutsideWindow]))
            }
        }
        if facts.needsWaiting > 0, facts.offersWithUnits > 0, pairs == 0 {
            reasons.append(say("noPairs", ["needs": facts.needsWaiting, "offers": facts.offersWithUnits]))
        }
        return reasons
    }

    /// The counts as label/value rows.
    static func factRows(_ facts: RunSupplyFacts, _ texts: [String: String]) -> [[String: String]] {
        let rows: [(String, Int)] = [
            ("openNeeds", facts.openNeeds), ("needsHeldByProposals", facts.needsHeldByProposals),
            ("needsFullyHeld", facts.needsFullyHeld), ("needsWithoutConsent", facts.needsWithoutConsent),
            ("needsWaiting", facts.needsWaiting), ("unitsWanted", facts.unitsWanted),
            ("offersReaching", facts.offersReaching), ("offersWithUnits", facts.offersWithUnits),
            ("unitsLeft", facts.unitsLeft), ("offersHeld", facts.offersHeldByProposals),
            ("offersAllocated", facts.offersFullyAllocated), ("offersOutsideWindow", facts.offersOutsideWindow),
        ]
        return rows.map { ["label": texts["fact." + $0.0] ?? $0.0, "value": String($0.1)] }
    }
}
