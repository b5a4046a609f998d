import Foundation
import Matching
import Postgres

/// Ranks the open offers for one need the way a matching run would: the same eligibility
/// rules (``Eligibility/evaluate(need:household:offer:context:)``, every reason kept), the
/// same inputs read the same way (the need's unmatched units, the household's location
/// falling back to its region's centre, member ages on the UTC day, aid inside the
/// look-back window, each offer's units left after reservations and pending proposals, each
/// charity's record), and the same ``Scorer``, so a ranked offer carries exactly the
/// breakdown a run would store for the pair.
///
/// Besides the need's own category it reads the offers of the need's group (which fit it
/// as a parent) and of the group's other categories (which do not, and say so), so the
/// caseworker also sees the near misses.
public struct CandidateRanking: Sendable {
    /// The most offers one answer ranks.
    public static let maximumLimit = 100

    private let client: PostgresClient
    private let lookBackDays: Int
    private let coolDownDays: Int

    /// `lookBackDays` is the duplicate-aid window, as ``MatchingRunRequest/lookBackDays``
    /// (0 to 3650; the runs' default is 90), and `coolDownDays` how long a refused pair stays
    /// out, as ``MatchingRunRequest/coolDownDays`` (0 to 3650; the runs' default is 30).
    public init(client: PostgresClient, lookBackDays: Int = 90, coolDownDays: Int = 30) {
        self.client = client
        self.lookBackDays = lookBackDays
        self.coolDownDays = coolDownDays
    }

    /// The offers that fit need `id` at `asOf`, best first, at most `limit` (1 to 100) of
    /// them, scored with the active version of `policyName` (nil: `standard`); with
    /// `includeIneligible`, also every other open offer considered and why it does not fit.
    ///
    /// A need that does not exist or whose household lies outside `scope` is
    /// ``StoreError/notFound(entity:id:)``; a need that is not open, or whose units are all
    /// matched already, ranks nothing, and each offer says so.
    public func candidates(
        forNeed id: Int64, within scope: RegionScope?, policyName: String?, limit: Int, includeIneligible: Bool,
        asOf: Date
    ) async throws -> NeedCandidates {
        guard (1...Self.maximumLimit).contains(limit) else {
            throw StoreError.invalid(field: "limit", reason: "must be between 1 and \(Self.maximumLimit)")
        }
        guard (0...3650).contains(lookBackDays) else {
            throw StoreError.invalid(field: "look_back_days", reason: "must be between 0 and 3650")
        }
        guard (0...3650).contains(coolDownDays) else {
            throw StoreError.invalid(field: "cool_down_days", reason: "must be between 0 and 3650")
        }
        let (lookBackDays, coolDownDays) = (self.lookBackDays, self.coolDownDays)
        let loaded = try await client.withTransaction(isolation: .repeatableRead) { connection in
            try NeedEvaluation(
                need: id, scope: scope, policyName: policyName ?? "standard", at: asOf,
                windows: (lookBackDays, coolDownDays), servingOnly: !includeIneligible, on: connection)
        }
        return loaded.judged(limit: limit, includeIneligible: includeIneligible)
    }
}

/// Everything one need's ranking reads, in one snapshot: the need, its household, the
/// policy that applies there, and the offers judged against it. A hand-made proposal reads
/// the same for its one offer (``init(need:scope:policyName:at:windows:servingOnly:offer:on:)``
/// with `offer`), so it is held to exactly the rules and score of a run.
struct NeedEvaluation: Sendable {
    struct Candidate: Sendable {
        var offer: Offer
        var title: String
        var charityName: String
        /// The need already has a live match on this offer.
        var alreadyMatched: Bool
    }

    var record: NeedRecord
    /// A charity has taken the need on by an accepted referral.
    var referred: Bool
    var need: Need
    var household: Household
    var policy: WeightPolicy
    var context: MatchingContext
    var candidates: [Candidate]

    /// `servingOnly` reads just the offers that serve the household's place in the need's
    /// category or group, as a run's pair search does, for callers that want no reasons.
    /// `offer` reads that one offer whatever its category or area, so every reason it
    /// cannot serve the need is reported.
    init(
        need id: Int64, scope: RegionScope?, policyName: String, at now: Date,
        windows: (lookBackDays: Int, coolDownDays: Int), servingOnly: Bool, offer: Int64? = nil,
        on connection: PostgresConnection
    ) throws {
        let records = try connection.query(
            """
            SELECT \(NeedRecord.columns) FROM needs n JOIN households h ON h.id = n.household_id
             WHERE n.id = $1 AND ($2::text IS NULL OR h.region_code LIKE $2::text || '%')
            """, [id, scope?.prefix])
        guard let recordRow = records.first else { throw StoreError.notFound(entity: .need, id: String(id)) }
        record = try NeedRecord(row: recordRow)
        referred = try !connection.query(
            "SELECT 1 FROM case_transfers WHERE need_id = $1 AND kind = 'referral' AND status = 'accepted'", [id]
        ).isEmpty
        let row = try connection.query(
            """
            SELECT n.id AS need_id, n.household_id, n.category_id, c.parent_id,
                   n.quantity - n.fulfilled_quantity - coalesce(live.units, 0) AS remaining,
                   n.urgency, n.emergency, n.needed_by, n.recorded_at,
                   h.region_code, coalesce(h.latitude, r.centroid_lat) AS lat,
                   coalesce(h.longitude, r.centroid_lon) AS lon,
                   h.assistance_statuses::text[] AS statuses, h.vulnerability_flags::text[] AS flags, h.members,
                   h.per_capita_income, h.consent_given_at, h.consent_withdrawn_at,
                   \(CandidateQuery.memberAges(at: "$2::timestamptz")) AS ages
              FROM needs n
              JOIN households h ON h.id = n.household_id
              JOIN regions r ON r.code = h.region_code
              JOIN categories c ON c.id = n.category_id
              LEFT JOIN LATERAL (SELECT sum(m.units) AS units FROM matches m
                                  WHERE m.need_id = n.id AND m.status IN ('proposed', 'approved', 'accepted')) live
                     ON true
             WHERE n.id = $1
            """, [id, now])[0]
        need = try CandidateSet.need(from: row)
        guard let household = try CandidateSet.household(from: row) else {
            throw StoreError.conflict(
                .inconsistent("household \(need.householdID) has an invalid region code; this is a bug"))
        }
        self.household = household
        let recent = CandidateQuery.givenRecently(now: "$2::timestamptz", lookBackDays: "$3::integer")
        let aid = try connection.query(
            """
            SELECT a.household_id, a.category_id, a.given_on, coalesce(a.units, 1) AS units FROM aid_records a
             WHERE a.household_id = $1 AND \(recent)
            """, [household.id, now, windows.lookBackDays]
        ).map(CandidateSet.aidRecord(from:))
        context = MatchingContext(
            now: now, lookBackDays: windows.lookBackDays, categories: try CandidateSet.loadCategories(on: connection),
            aidHistory: [household.id: aid], coolDownDays: windows.coolDownDays,
            refusals: try CandidateSet.refusals(ofNeed: id, at: now, coolDownDays: windows.coolDownDays, on: connection)
        )
        policy = try WeightPolicyRepository.active(named: policyName, for: household.region, on: connection).policy
        let group = try row.decode(Int64?.self, "parent_id")
        candidates = try Self.offers(
            for: id, category: need.categoryID, group: group, only: offer,
            serving: servingOnly && offer == nil
                ? (
                    try row.decode(String.self, "region_code"), household.location?.latitude,
                    household.location?.longitude
                ) : nil,
            on: connection)
    }

    /// Open offers of the need's category, its group, and the group's other categories; with
    /// `serving`, only those of the need's category or group that serve the household's region
    /// (by prefix) or its point (by circle), the same tests as a run's pair search, so the
    /// eligible ones are the same and the many that cannot be are not read at all.
    private static func offers(
        for need: Int64, category: Int64, group: Int64?, only offer: Int64?, serving place: (String, Double?, Double?)?,
        on connection: PostgresConnection
    ) throws -> [Candidate] {
        let categories =
            offer != nil
            ? "SELECT o.category_id FROM offers o WHERE o.id = $4::bigint"
            : place == nil
                ? "SELECT c.id FROM categories c WHERE c.id = $2 OR c.id = $3::bigint OR c.parent_id = $3::bigint"
                : "SELECT c.id FROM categories c WHERE c.id = $2 OR c.id = $3::bigint"
        let area =
            place == nil
            ? ""
            : """
             AND (o.service_region_prefixes && region_ancestor_prefixes($4::text)
                  OR (o.radius_km IS NOT NULL AND $5::float8 IS NOT NULL
                      AND 2 * 6371.0088 * asin(least(1, sqrt(
                              sin(radians($5::float8 - o.center_lat) / 2) ^ 2
                              + cos(radians($5::float8)) * cos(radians(o.center_lat))
                                * sin(radians($6::float8 - o.center_lon) / 2) ^ 2))) <= o.radius_km))
            """
        var parameters: [(any PostgresEncodable)?] = [need, category, group]
        if let offer {
            parameters.append(offer)
        } else if let (region, latitude, longitude) = place {
            parameters += [region, latitude, longitude]
        }
        return try connection.query(
            """
            SELECT o.id, o.title, o.charity_id, ch.name AS charity_name, o.category_id,
                   o.capacity - o.allocated - coalesce(pending.units, 0) AS remaining,
                   o.service_region_prefixes, o.center_lat, o.center_lon, o.radius_km::float8 AS radius_km,
                   o.eligible_statuses::text[] AS statuses, o.required_flags::text[] AS flags, o.min_age, o.max_age,
                   o.min_household_size, o.max_household_size, o.available_from, o.available_until,
                   ch.status AS charity_status, ch.banned_until,
                   charity_suspension_patterns(ch.id) AS suspended_patterns,
                   coalesce(s.delivered, 0) AS delivered, coalesce(s.failed, 0) AS failed,
                   coalesce(s.satisfaction_sum, 0) AS satisfaction_sum,
                   coalesce(s.satisfaction_count, 0) AS satisfaction_count, e.evaluation_score,
                   EXISTS (SELECT 1 FROM matches lm
                            WHERE lm.need_id = $1 AND lm.offer_id = o.id
                              AND lm.status IN ('proposed', 'approved', 'accepted')) AS already_matched
              FROM offers o
              JOIN charities ch ON ch.id = o.charity_id
              LEFT JOIN LATERAL (SELECT sum(m.units) AS units FROM matches m
                                  WHERE m.offer_id = o.id AND m.status = 'proposed') pending ON true
              LEFT JOIN (\(CandidateQuery.charityRecords(
                  of: "SELECT o.charity_id FROM offers o WHERE o.status = 'open' AND o.category_id IN (\(categories))"
              ))) s ON s.charity_id = o.charity_id
              LEFT JOIN (\(CandidateQuery.publishedScores(
                  of: "SELECT o.charity_id FROM offers o WHERE o.status = 'open' AND o.category_id IN (\(categories))"
              ))) e ON e.charity_id = o.charity_id
             WHERE o.status = 'open' AND o.category_id IN (\(categories))\(offer == nil ? area : " AND o.id = $4::bigint")
             ORDER BY o.id
            """, parameters
        ).map { row in
            Candidate(
                offer: try CandidateSet.offer(from: row), title: try row.decode(String.self, "title"),
                charityName: try row.decode(String.self, "charity_name"),
                alreadyMatched: try row.decode(Bool.self, "already_matched"))
        }
    }

    /// Every offer judged: the eligible ones scored and ranked, the others with their reasons.
    func judged(limit: Int, includeIneligible: Bool) -> NeedCandidates {
        let scorer = Scorer(policy: policy, context: context)
        var needReasons: [ExcludedOffer.Reason] = []
        if record.status != .open {
            needReasons.append(.needNotOpen(record.status))
        } else if referred {
            needReasons.append(.needReferred)
        } else if need.quantity <= 0 {
            needReasons.append(.needFullyCovered)
        }
        var ranked: [RankedCandidate] = []
        var excluded: [ExcludedOffer] = []
        for candidate in candidates {
            let offer = candidate.offer
            var reasons = needReasons
            let verdict = Eligibility.evaluate(need: need, household: household, offer: offer, context: context)
            if case .ineligible(let why) = verdict {
                reasons += why.map { ExcludedOffer.Reason($0, context: context) }
            }
            if candidate.alreadyMatched { reasons.append(.alreadyMatched) }
            if case .eligible(let fit) = verdict, reasons.isEmpty {
                ranked.append(
                    RankedCandidate(
                        offerID: offer.id, offerTitle: candidate.title, charityID: offer.charityID,
                        charityName: candidate.charityName, remaining: offer.remainingCapacity,
                        units: min(need.quantity, offer.remainingCapacity),
                        breakdown: scorer.breakdown(need: need, household: household, offer: offer, fit: fit)))
            } else if includeIneligible {
                excluded.append(
                    ExcludedOffer(
                        offerID: offer.id, offerTitle: candidate.title, charityID: offer.charityID,
                        charityName: candidate.charityName, reasons: reasons))
            }
        }
        ranked.sort {
            $0.breakdown.scoreMicro != $1.breakdown.scoreMicro
                ? $0.breakdown.scoreMicro > $1.breakdown.scoreMicro : $0.offerID < $1.offerID
        }
        return NeedCandidates(
            need: record, openQuantity: need.quantity, policyName: policy.name, policyVersion: policy.version,
            asOf: context.now, ranked: Array(ranked.prefix(limit)), eligibleCount: ranked.count, ineligible: excluded)
    }
}
