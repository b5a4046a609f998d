import Foundation
import Matching
import Postgres

/// What stands between a region's needs and its offers at one instant: the counts a
/// coordinator reads when a run proposes nothing, so the page can say why (every open need
/// already held by proposals, no offer with units left, offers outside their window) from
/// facts rather than guesses.
///
/// The counts follow the run's own rules for which needs and offers it considers (see
/// `CandidateQuery`): a need waits when it is open, its household consents and units are
/// still missing after its live matches; an offer has room when it is open, in its window,
/// of a charity allowed to give, and has units left after allocations and pending proposals.
public struct RunSupplyFacts: Sendable, Equatable, Codable {
    /// Open needs of households in the region.
    public var openNeeds: Int
    /// Open needs whose household has not consented (or withdrew consent).
    public var needsWithoutConsent: Int
    /// Consenting open needs whose every missing unit is held by live matches, and how many
    /// of those have a proposal still waiting for review.
    public var needsFullyHeld: Int
    public var needsHeldByProposals: Int
    /// Needs a run would consider, and the units they still lack.
    public var needsWaiting: Int
    public var unitsWanted: Int
    /// Open offers of charities allowed to give whose area reaches the region (a listed
    /// region touching it, or a circle around a place in it).
    public var offersReaching: Int
    /// Of those: outside their window now, with every unit allocated, with the remaining
    /// units all held by pending proposals, and with units to give (and how many).
    public var offersOutsideWindow: Int
    public var offersFullyAllocated: Int
    public var offersHeldByProposals: Int
    public var offersWithUnits: Int
    public var unitsLeft: Int
}

extension MatchingRuns {
    /// The needs and offers of `region` as a run at `now` would find them; see
    /// ``RunSupplyFacts``.
    public func supplyFacts(in region: RegionCode, at now: Date = Date()) async throws -> RunSupplyFacts {
        let row = try await client.query(Self.supplyFactsSQL, [region.scope.prefix, now])[0]
        func count(_ name: String) throws -> Int { Int(try row.decode(Int64.self, name)) }
        return RunSupplyFacts(
            openNeeds: try count("open_needs"), needsWithoutConsent: try count("without_consent"),
            needsFullyHeld: try count("fully_held"), needsHeldByProposals: try count("held_by_proposals"),
            needsWaiting: try count("waiting"), unitsWanted: try count("units_wanted"),
            offersReaching: try count("reaching"), offersOutsideWindow: try count("outside_window"),
            offersFullyAllocated: try count("fully_allocated"), offersHeldByProposals: try count("offers_held"),
            offersWithUnits: try count("with_units"), unitsLeft: try count("units_left"))
    }

    /// `$1` the region's prefix, `$2` the instant.
    static let supplyFactsSQL = """
        WITH need_state AS (
            SELECT h.consent_given_at <= $2 AND (h.consent_withdrawn_at IS NULL OR h.consent_withdrawn_at > $2)
                       AS consents,
                   n.quantity - n.fulfilled_quantity - coalesce(live.units, 0) AS missing,
                   coalesce(live.proposed, false) AS proposed
              FROM needs n
              JOIN households h ON h.id = n.household_id
              LEFT JOIN LATERAL (SELECT sum(m.units) AS units, bool_or(m.status = 'proposed') AS proposed
                                   FROM matches m
                                  WHERE m.need_id = n.id AND m.status IN ('proposed', 'approved', 'accepted')) live
                     ON true
             WHERE n.status = 'open' AND h.region_code LIKE $1 || '%'
        ), offer_state AS (
            SELECT o.available_from <= $2 AND (o.available_until IS NULL OR o.available_until > $2) AS in_window,
                   o.capacity - o.allocated AS unallocated,
                   o.capacity - o.allocated - coalesce(pending.units, 0) AS remaining
              FROM offers o
              JOIN charities ch ON ch.id = o.charity_id
              LEFT JOIN LATERAL (SELECT sum(m.units) AS units FROM matches m
                                  WHERE m.offer_id = o.id AND m.status = 'proposed') pending ON true
             WHERE o.status = 'open'
               AND (ch.status = 'active' OR (ch.status = 'banned' AND ch.banned_until <= $2))
               AND (EXISTS (SELECT 1 FROM unnest(o.service_region_prefixes) AS p
                             WHERE p LIKE $1 || '%' OR $1 LIKE p || '%')
                    OR (o.radius_km IS NOT NULL
                        AND EXISTS (SELECT 1 FROM regions r
                                     WHERE r.code LIKE $1 || '%' AND r.centroid_lat IS NOT NULL
                                       AND 2 * 6371.0088 * asin(least(1, sqrt(
                                               sin(radians(r.centroid_lat - o.center_lat) / 2) ^ 2
                                               + cos(radians(r.centroid_lat)) * cos(radians(o.center_lat))
                                                 * sin(radians(r.centroid_lon - o.center_lon) / 2) ^ 2)))
                                           <= o.radius_km)))
        )
        SELECT (SELECT count(*) FROM need_state) AS open_needs,
               (SELECT count(*) FROM need_state WHERE NOT consents) AS without_consent,
               (SELECT count(*) FROM need_state WHERE consents AND missing <= 0) AS fully_held,
               (SELECT count(*) FROM need_state WHERE consents AND missing <= 0 AND proposed) AS held_by_proposals,
               (SELECT count(*) FROM need_state WHERE consents AND missing > 0) AS waiting,
               (SELECT coalesce(sum(missing), 0)::bigint FROM need_state WHERE consents AND missing > 0)
                   AS units_wanted,
               (SELECT count(*) FROM offer_state) AS reaching,
               (SELECT count(*) FROM offer_state WHERE NOT in_window) AS outside_window,
               (SELECT count(*) FROM offer_state WHERE in_window AND unallocated <= 0) AS fully_allocated,
               (SELECT count(*) FROM offer_state WHERE in_window AND unallocated > 0 AND remaining <= 0)
                   AS offers_held,
               (SELECT count(*) FROM offer_state WHERE in_window AND remaining > 0) AS with_units,
               (SELECT coalesce(sum(remaining), 0)::bigint FROM offer_state WHERE in_window AND remaining > 0)
                   AS units_left
        """
}
