import Foundation
import Postgres

/// What a household cap has left for a run: the cap less the units the household's matches
/// already hold in the cap's rolling window, so that daily runs give a household one cap
/// per window rather than one per run.
///
/// Proposed matches count as well as approved, accepted and delivered ones: a proposal
/// waiting for review is a promise the cap must already cover, or two runs a day apart with
/// nobody reviewing in between would offer the household two caps' worth. A match counts
/// from its latest decision (delivery, acceptance, approval), or from when it was made while
/// still proposed; refused and cancelled matches do not count.
struct HouseholdCapUsage: Sendable {
    /// Units held, by cap key (see ``key(household:categoryCode:scope:)``).
    private(set) var units: [Int64: Int] = [:]

    /// The cap a need counts against: its household's, or with ``MatchingRunRequest/CapScope/kind``
    /// its household's for its kind of aid, numbered household id × 4 + kind (1 material,
    /// 2 money, 3 service), which is also the id an export's `households.csv` shows.
    static func key(household: Int64, categoryCode: String, scope: MatchingRunRequest.CapScope) -> Int64 {
        guard scope == .kind else { return household }
        let kind: Int64 = categoryCode.hasPrefix("material") ? 1 : categoryCode.hasPrefix("money") ? 2 : 3
        return household * 4 + kind
    }

    /// The usage of the households of this transaction's `run_needs`, in the `windowDays`
    /// before `now` (and after it: a match decided later than the run's instant still counts).
    static func load(
        windowDays: Int, at now: Date, scope: MatchingRunRequest.CapScope, on connection: PostgresConnection
    ) throws -> HouseholdCapUsage {
        let rows = try connection.query(
            """
            SELECT n.household_id, c.code, sum(coalesce(m.delivered_units, m.units))::bigint AS units
              FROM matches m JOIN needs n ON n.id = m.need_id JOIN categories c ON c.id = n.category_id
             WHERE n.household_id IN (SELECT household_id FROM run_needs)
               AND m.status IN ('proposed', 'approved', 'accepted', 'delivered')
               AND coalesce(m.decided_at, m.created_at) > $1::timestamptz - make_interval(days => $2::int)
             GROUP BY n.household_id, c.code
            """, [now, windowDays])
        var usage = HouseholdCapUsage()
        for row in rows {
            let key = Self.key(
                household: try row.decode(Int64.self, "household_id"),
                categoryCode: try row.decode(String.self, "code"),
                scope: scope)
            usage.units[key, default: 0] += try row.decode(Int.self, "units")
        }
        return usage
    }

    /// What `cap` leaves for cap `key`, never below zero.
    func remaining(of cap: Int, key: Int64) -> Int32 { Int32(max(0, cap - units[key, default: 0])) }
}
