import Matching

/// The SQL of candidate generation: everything a run may consider, filtered hard in the
/// database so that the engine only scores pairs that are eligible.
///
/// The run's scope prefix, instant and look-back are transaction-local settings (see
/// ``settings``), because `CREATE TABLE AS` takes no bind parameters; the instant is shared
/// with the engine so both sides judge time rules at the same moment. Region coverage is a hash join on
/// (category, prefix) between each need's ancestor prefixes and each offer's listed prefixes;
/// circles are a hash join on 0.1° grid cells followed by the exact great-circle test; the
/// remaining rules are cheap per-pair tests. Every rule here mirrors one in
/// `Matching.Eligibility`, and a test holds the two to the same answers.
enum CandidateQuery {
    /// Sets scope (`$1`), instant (`$2`, ISO text), look-back days (`$3`), cool-down days
    /// (`$8`), the takeover whose needs alone a takeover run matches (`$9`, 0: none) and which shard of the needs (need id modulo `$5` between `$4` and `$7`) this
    /// connection finds pairs for, and whether it loads every need (`$6`: the connection that
    /// also reads the run's needs) or only those of its shard, for this transaction.
    static let settings = """
        SELECT set_config('charity_match.scope', $1, true), set_config('charity_match.now', $2, true),
               set_config('charity_match.look_back_days', $3, true),
               set_config('charity_match.shard_first', $4, true), set_config('charity_match.shards', $5, true),
               set_config('charity_match.all_needs', $6, true), set_config('charity_match.shard_last', $7, true),
               set_config('charity_match.cool_down_days', $8, true), set_config('charity_match.takeover', $9, true)
        """

    /// Open needs of consenting households in scope that still lack units, except those a
    /// charity has taken on by an accepted referral (转介); of a takeover run, only the needs
    /// its takeover released.
    static let needs = """
        CREATE TEMP TABLE run_needs ON COMMIT DROP AS
        SELECT n.id AS need_id, n.household_id, n.category_id, c.parent_id,
               n.quantity - n.fulfilled_quantity - coalesce(live.units, 0) AS remaining,
               n.urgency, n.emergency, n.needed_by, n.recorded_at,
               h.region_code, coalesce(h.latitude, r.centroid_lat) AS lat,
               coalesce(h.longitude, r.centroid_lon) AS lon,
               h.assistance_statuses, h.vulnerability_flags, h.members, h.per_capita_income,
               \(statusMask("h.assistance_statuses")) AS status_mask,
               \(flagMask("h.vulnerability_flags")) AS flag_mask,
               h.consent_given_at, h.consent_withdrawn_at,
               \(memberAges(at: now)) AS ages
          FROM needs n
          JOIN households h ON h.id = n.household_id
          JOIN regions r ON r.code = h.region_code
          JOIN categories c ON c.id = n.category_id
          LEFT JOIN LATERAL (SELECT sum(m.units) AS units FROM matches m
                              WHERE m.need_id = n.id AND m.status IN ('proposed', 'approved', 'accepted')) live
                 ON true
         WHERE ((SELECT current_setting('charity_match.all_needs')::bool)
                OR n.id % (SELECT current_setting('charity_match.shards')::int)
                   BETWEEN (SELECT current_setting('charity_match.shard_first')::int)
                       AND (SELECT current_setting('charity_match.shard_last')::int))
           AND n.status = 'open' AND h.region_code LIKE (SELECT current_setting('charity_match.scope')) || '%'
           AND h.consent_given_at <= (SELECT current_setting('charity_match.now')::timestamptz)
           AND (h.consent_withdrawn_at IS NULL OR h.consent_withdrawn_at > (SELECT current_setting('charity_match.now')::timestamptz))
           AND n.quantity - n.fulfilled_quantity - coalesce(live.units, 0) > 0
           AND ((SELECT current_setting('charity_match.takeover')::bigint) = 0
                OR n.id IN (SELECT tm.need_id FROM takeover_matches tm
                             WHERE tm.takeover_id = (SELECT current_setting('charity_match.takeover')::bigint)))
           AND NOT EXISTS (SELECT 1 FROM case_transfers t
                            WHERE t.need_id = n.id AND t.kind = 'referral' AND t.status = 'accepted')
        """

    /// Open offers of active charities, inside their window, with units not yet reserved or
    /// proposed, whose listed area touches the scope (circles are judged pair by pair).
    static let offers = """
        CREATE TEMP TABLE run_offers ON COMMIT DROP AS
        SELECT o.id, o.charity_id, o.category_id, o.service_region_prefixes, o.center_lat, o.center_lon,
               o.radius_km::float8 AS radius_km, o.eligible_statuses, o.required_flags, o.min_age, o.max_age,
               o.min_household_size, o.max_household_size, o.available_from, o.available_until,
               \(statusMask("o.eligible_statuses")) AS status_mask, \(flagMask("o.required_flags")) AS flag_mask,
               o.min_age IS NOT NULL OR o.max_age IS NOT NULL AS has_age_rule,
               o.capacity - o.allocated - coalesce(pending.units, 0) AS remaining,
               charity_suspension_patterns(o.charity_id) AS suspended_patterns
          FROM offers o
          JOIN charities ch ON ch.id = o.charity_id
          LEFT JOIN LATERAL (SELECT sum(m.units) AS units FROM matches m
                              WHERE m.offer_id = o.id AND m.status = 'proposed') pending ON true
         WHERE o.status = 'open' AND o.available_from <= (SELECT current_setting('charity_match.now')::timestamptz)
           AND (o.available_until IS NULL OR o.available_until > (SELECT current_setting('charity_match.now')::timestamptz))
           AND (ch.status = 'active' OR (ch.status = 'banned' AND ch.banned_until <= (SELECT current_setting('charity_match.now')::timestamptz)))
           AND o.capacity - o.allocated - coalesce(pending.units, 0) > 0
           AND (o.radius_km IS NOT NULL
                OR EXISTS (SELECT 1 FROM unnest(o.service_region_prefixes) AS p
                            WHERE p LIKE (SELECT current_setting('charity_match.scope')) || '%' OR (SELECT current_setting('charity_match.scope')) LIKE p || '%'))
        """

    /// The run's instant as SQL.
    private static let now = "(SELECT current_setting('charity_match.now')::timestamptz)"

    /// The ages in whole years of the members of household `h` on the UTC day of `now` (an
    /// SQL timestamptz), as the offers' age rules read them.
    static func memberAges(at now: String) -> String {
        "ARRAY(SELECT date_part('year', age((\(now) AT TIME ZONE 'UTC')::date, b))::int"
            + " FROM unnest(h.member_birth_dates) AS b)"
    }

    /// Whether aid record `a` was given inside the look-back window ending at `now` (SQL
    /// timestamptz and integer days): the aid that blocks duplicates and lowers fairness.
    static func givenRecently(now: String, lookBackDays: String) -> String {
        "(a.given_on::timestamp AT TIME ZONE 'UTC') BETWEEN \(now) - make_interval(days => \(lookBackDays)) AND \(now)"
    }

    /// The latest refusal (rejected, declined or expired) of each pair of the needs `needs`
    /// (an SQL subquery) that no coordinator cleared and that came after the start of the
    /// cool-down of `coolDownDays` ending at `now` (SQL expressions): `need_id`, `offer_id`,
    /// `refused_at`. A refusal after `now` counts too, and a cool-down of 0 days is none, as
    /// in the engine.
    static func refusedPairs(of needs: String, now: String, coolDownDays: String) -> String {
        """
        SELECT m.need_id, m.offer_id, max(m.decided_at) AS refused_at FROM matches m
         WHERE m.need_id IN (\(needs)) AND m.status IN ('rejected', 'declined', 'expired')
           AND m.cooldown_cleared_at IS NULL AND \(coolDownDays) > 0
           AND m.decided_at > \(now) - make_interval(days => \(coolDownDays))
         GROUP BY m.need_id, m.offer_id
        """
    }

    /// Each charity's track record for the reliability factor, from its match and feedback
    /// rows: `charity_id`, `delivered`, `failed` (declined), `satisfaction_sum` and
    /// `satisfaction_count`, for the charities `charities` (an SQL subquery) selects. Only
    /// delivered and declined matches count, and feedback exists only on delivered ones, so
    /// the status index narrows the rows read to those two states.
    static func charityRecords(of charities: String) -> String {
        """
        SELECT o.charity_id,
               count(*) FILTER (WHERE m.status = 'delivered') AS delivered,
               count(*) FILTER (WHERE m.status = 'declined') AS failed,
               sum(f.satisfaction) AS satisfaction_sum, count(f.id) AS satisfaction_count
          FROM matches m JOIN offers o ON o.id = m.offer_id
          LEFT JOIN feedback f ON f.match_id = m.id
         WHERE m.status IN ('delivered', 'declined') AND o.charity_id IN (\(charities))
         GROUP BY o.charity_id
        """
    }

    /// The 0–100 score of each charity's latest published evaluation (the latest period,
    /// then the latest published): `charity_id`, `evaluation_score`, for the charities
    /// `charities` (an SQL subquery) selects. A handful of rows per charity, read by the
    /// charity index, so a run stays as fast as before.
    static func publishedScores(of charities: String) -> String {
        """
        SELECT DISTINCT ON (ec.charity_id) ec.charity_id, ec.score AS evaluation_score
          FROM evaluation_charities ec JOIN evaluations e ON e.id = ec.evaluation_id
         WHERE e.status = 'published' AND ec.charity_id IN (\(charities))
         ORDER BY ec.charity_id, e.ends_on DESC, e.published_at DESC, e.id DESC
        """
    }

    /// A set of codes as a bit mask (bit i = the i-th code of the closed set in the schema), so
    /// per-pair status and flag rules are integer operations instead of array comparisons.
    private static func mask(_ column: String, codes: [String]) -> String {
        let list = codes.map { "'\($0)'" }.joined(separator: ", ")
        return
            "(SELECT coalesce(sum(1 << (array_position(ARRAY[\(list)], c) - 1)), 0)::int FROM unnest(\(column)) AS c)"
    }

    private static func statusMask(_ column: String) -> String {
        mask(column, codes: AssistanceStatus.allCases.map(\.rawValue))
    }

    private static func flagMask(_ column: String) -> String {
        mask(column, codes: VulnerabilityFlag.allCases.map(\.rawValue))
    }

    /// Live pairs (a need may hold one live match per offer), pairs refused inside the
    /// cool-down, and recent aid, as hash tables.
    static let exclusions = """
        CREATE TEMP TABLE run_live_pairs ON COMMIT DROP AS
        SELECT DISTINCT m.need_id, m.offer_id FROM matches m JOIN run_needs rn USING (need_id)
         WHERE m.status IN ('proposed', 'approved', 'accepted');
        CREATE TEMP TABLE run_refused_pairs ON COMMIT DROP AS
        \(refusedPairs(
            of: "SELECT need_id FROM run_needs", now: now,
            coolDownDays: "(SELECT current_setting('charity_match.cool_down_days')::int)"));
        CREATE TEMP TABLE run_recent_aid ON COMMIT DROP AS
        SELECT a.household_id, a.category_id, a.given_on, coalesce(a.units, 1) AS units
          FROM aid_records a
         WHERE a.household_id IN (SELECT household_id FROM run_needs)
           AND \(givenRecently(now: now, lookBackDays: "(SELECT current_setting('charity_match.look_back_days')::int)"));
        ANALYZE run_needs; ANALYZE run_offers; ANALYZE run_live_pairs; ANALYZE run_refused_pairs;
        ANALYZE run_recent_aid;
        """

    /// The per-pair rules on a need row `n` and an offer row `o`: assistance status, required
    /// flags, household size, member age, and no regional suspension of the charity where
    /// the household lives (an empty pattern list for nearly every offer).
    private static let rules = """
        (o.status_mask = 0 OR o.status_mask & n.status_mask <> 0)
        AND NOT (n.region_code LIKE ANY (o.suspended_patterns))
        AND o.flag_mask & ~n.flag_mask = 0
        AND (o.min_household_size IS NULL OR n.members >= o.min_household_size)
        AND (o.max_household_size IS NULL OR n.members <= o.max_household_size)
        AND (NOT o.has_age_rule
             OR EXISTS (SELECT 1 FROM unnest(n.ages) AS a
                         WHERE a >= coalesce(o.min_age, 0) AND a <= coalesce(o.max_age, 1000)))
        """

    /// Eligible pairs grouped by need: `need_id`, `offers` in no particular order and possibly
    /// repeated (an offer listing both a region and a circle can reach a household twice):
    /// sorting and de-duplicating forty ids per need is cheaper in the engine than sorting
    /// millions of pairs in the database. Each key row carries what the rules need, so the
    /// rules apply right at the join instead of joining millions of pairs back to needs and
    /// offers. Aid in the need's own category removes the need before any join; aid in its
    /// parent category is one flag per need (`parent_aided`), so no pair is looked up in the
    /// aid records: an offer reaches a need only through the need's category or its parent.
    static let pairs = """
        WITH need_rows AS MATERIALIZED (
            SELECT rn.need_id, rn.household_id, rn.category_id, rn.parent_id, rn.region_code, rn.lat, rn.lon,
                   rn.status_mask, rn.flag_mask, rn.members, rn.ages,
                   EXISTS (SELECT 1 FROM run_recent_aid ra
                            WHERE ra.household_id = rn.household_id AND ra.category_id = rn.parent_id) AS parent_aided
              FROM run_needs rn
             WHERE rn.need_id % (SELECT current_setting('charity_match.shards')::int)
                   BETWEEN (SELECT current_setting('charity_match.shard_first')::int)
                       AND (SELECT current_setting('charity_match.shard_last')::int)
               AND NOT EXISTS (SELECT 1 FROM run_recent_aid ra
                                WHERE ra.household_id = rn.household_id AND ra.category_id = rn.category_id)
        ), need_keys AS MATERIALIZED (
            SELECT n.*, k.category AS key_category, p.prefix
              FROM need_rows n
             CROSS JOIN LATERAL unnest(ARRAY[n.category_id, n.parent_id]) AS k (category)
             CROSS JOIN LATERAL unnest(region_ancestor_prefixes(n.region_code)) AS p (prefix)
             WHERE k.category IS NOT NULL
        ), offer_keys AS MATERIALIZED (
            SELECT ro.*, p.prefix
              FROM run_offers ro CROSS JOIN LATERAL unnest(ro.service_region_prefixes) AS p (prefix)
        ), need_cells AS MATERIALIZED (
            SELECT n.*, k.category AS key_category, floor(n.lat * 10)::int AS cy, floor(n.lon * 10)::int AS cx
              FROM need_rows n
             CROSS JOIN LATERAL unnest(ARRAY[n.category_id, n.parent_id]) AS k (category)
             WHERE k.category IS NOT NULL AND n.lat IS NOT NULL
        ), offer_cells AS MATERIALIZED (
            SELECT ro.*, cy, cx
              FROM run_offers ro
             CROSS JOIN LATERAL (SELECT ro.radius_km * 1.05 / 111.0 AS dy,
                                        ro.radius_km * 1.05 / (111.0 * cos(radians(ro.center_lat))) AS dx) AS box
             CROSS JOIN LATERAL generate_series(floor((ro.center_lat - box.dy) * 10)::int,
                                                floor((ro.center_lat + box.dy) * 10)::int) AS cy
             CROSS JOIN LATERAL generate_series(floor((ro.center_lon - box.dx) * 10)::int,
                                                floor((ro.center_lon + box.dx) * 10)::int) AS cx
             WHERE ro.radius_km IS NOT NULL
        ), pairs AS (
            SELECT n.need_id, o.id AS offer_id
              FROM need_keys n JOIN offer_keys o ON o.category_id = n.key_category AND o.prefix = n.prefix
             WHERE NOT (n.parent_aided AND o.category_id = n.parent_id) AND \(rules)
            UNION ALL
            SELECT n.need_id, o.id
              FROM need_cells n JOIN offer_cells o ON o.category_id = n.key_category AND o.cy = n.cy AND o.cx = n.cx
             WHERE 2 * 6371.0088 * asin(least(1, sqrt(
                       sin(radians(n.lat - o.center_lat) / 2) ^ 2
                       + cos(radians(n.lat)) * cos(radians(o.center_lat))
                         * sin(radians(n.lon - o.center_lon) / 2) ^ 2))) <= o.radius_km
               AND NOT (n.parent_aided AND o.category_id = n.parent_id) AND \(rules)
        )
        SELECT p.need_id, array_agg(p.offer_id) AS offers
          FROM pairs p
         WHERE NOT EXISTS (SELECT 1 FROM run_live_pairs lp WHERE lp.need_id = p.need_id AND lp.offer_id = p.offer_id)
           AND NOT EXISTS (SELECT 1 FROM run_refused_pairs rp WHERE rp.need_id = p.need_id AND rp.offer_id = p.offer_id)
         GROUP BY p.need_id
        """
}
