import Foundation
import Matching
import Postgres

/// What a run loaded: the needs, households and offers in scope as engine values, and the
/// eligible pairs as compressed rows (`pairOffers[pairStart[n] ..< pairStart[n + 1]]` are
/// indices into `offers` for need `n`).
struct CandidateSet: Sendable {
    var needs: [Need] = []
    var households: [Int64: Household] = [:]
    var offers: [Offer] = []
    var pairStart: [Int32] = [0]
    var pairOffers: [Int32] = []
    var context: MatchingContext
    /// What the households' matches already hold of the household cap; empty without a cap.
    var capUsage = HouseholdCapUsage()

    var pairCount: Int { pairOffers.count }

    /// Which part of the needs a connection works on: those whose id modulo `count` falls in
    /// `residues`.
    struct Shard: Sendable {
        var residues: ClosedRange<Int>
        var count: Int
        static let all = Shard(residues: 0...0, count: 1)
    }

    /// Eligible offer ids of each need of one shard, unsorted and possibly repeated.
    typealias PairRows = [(need: Int64, offers: [Int])]

    /// Runs candidate generation in the caller's transaction, on one connection.
    static func load(
        scope: RegionScope, at now: Date, lookBackDays: Int, coolDownDays: Int = 30, on connection: PostgresConnection
    ) throws -> CandidateSet {
        try prepare(
            scope: scope, at: now, lookBackDays: lookBackDays, coolDownDays: coolDownDays, shard: .all, allNeeds: true,
            on: connection)
        var set = try loadEntities(at: now, lookBackDays: lookBackDays, coolDownDays: coolDownDays, on: connection)
        set.attach([try pairRows(on: connection)])
        return set
    }

    /// Fills this transaction's temporary tables with the run's needs (all of them, or only
    /// `shard`'s; only a takeover's when `takeover` is given), offers and exclusions; ``pairRows(on:)`` then finds the pairs of `shard`'s needs.
    static func prepare(
        scope: RegionScope, at now: Date, lookBackDays: Int, coolDownDays: Int, shard: Shard, allNeeds: Bool,
        takeover: Int64? = nil, on connection: PostgresConnection
    ) throws {
        try connection.query(
            CandidateQuery.settings,
            [
                scope.prefix, try now.postgresText(), String(lookBackDays), String(shard.residues.lowerBound),
                String(shard.count), String(allNeeds), String(shard.residues.upperBound), String(coolDownDays),
                String(takeover ?? 0),
            ])
        // Temporary tables have no statistics until analysed, and the misestimates make JIT
        // compilation look worthwhile where it only adds its compile time.
        try connection.executeScript("SET LOCAL jit = off")
        try connection.executeScript(CandidateQuery.needs)
        try connection.executeScript(CandidateQuery.offers)
        try connection.executeScript(CandidateQuery.exclusions)
    }

    /// The needs, households, offers and context of a prepared transaction, without pairs.
    static func loadEntities(
        at now: Date, lookBackDays: Int, coolDownDays: Int, on connection: PostgresConnection
    ) throws
        -> CandidateSet
    {
        var set = CandidateSet(
            context: MatchingContext(
                now: now, lookBackDays: lookBackDays, categories: try loadCategories(on: connection),
                aidHistory: try loadAid(on: connection), coolDownDays: coolDownDays,
                refusals: try refusals(from: connection.query("SELECT * FROM run_refused_pairs"))))
        set.needs = try connection.query(
            """
            SELECT need_id, household_id, category_id, remaining, urgency, emergency, needed_by, recorded_at
              FROM run_needs ORDER BY need_id
            """
        ).map(need(from:))
        set.households = try loadHouseholds(on: connection)
        set.offers = try loadOffers(on: connection)
        return set
    }

    /// The eligible pairs of a prepared transaction's needs.
    static func pairRows(on connection: PostgresConnection) throws -> PairRows {
        // The planner underestimates the joins of temporary tables by orders of magnitude and
        // picks nested loops that take minutes, or merge joins that sort millions of pairs;
        // every join here is an equality, so hash joins are right at any size.
        try connection.executeScript("SET LOCAL enable_nestloop = off; SET LOCAL enable_mergejoin = off")
        let rows = try connection.query(CandidateQuery.pairs)
        try connection.executeScript("RESET enable_nestloop; RESET enable_mergejoin")
        return try rows.map { row in (try row.decode(Int64.self, "need_id"), try row.decode([Int].self, "offers")) }
    }

    /// Builds the compressed rows from the pair rows of every shard: each need's offer
    /// indices in one flat array, sorted and without repeats.
    mutating func attach(_ shards: [PairRows]) {
        var needIndex: [Int64: Int32] = [:]
        needIndex.reserveCapacity(needs.count)
        for (index, need) in needs.enumerated() { needIndex[need.id] = Int32(index) }
        var offerIndex: [Int64: Int32] = [:]
        offerIndex.reserveCapacity(offers.count)
        for (index, offer) in offers.enumerated() { offerIndex[offer.id] = Int32(index) }
        // Room for each need's rows as they came, repeats and all, then compacted in place.
        var room = [Int32](repeating: 0, count: needs.count + 1)
        for rows in shards {
            for (needID, offerIDs) in rows {
                guard let need = needIndex[needID] else { continue }
                room[Int(need) + 1] += Int32(offerIDs.count)
            }
        }
        for need in 0..<needs.count { room[need + 1] += room[need] }
        var fill = room
        var flat = [Int32](repeating: 0, count: Int(room[needs.count]))
        for rows in shards {
            for (needID, offerIDs) in rows {
                guard let need = needIndex[needID].map(Int.init) else { continue }
                for id in offerIDs {
                    guard let offer = offerIndex[Int64(id)] else { continue }
                    flat[Int(fill[need])] = offer
                    fill[need] += 1
                }
            }
        }
        pairStart = [Int32](repeating: 0, count: needs.count + 1)
        var kept = 0
        flat.withUnsafeMutableBufferPointer { flat in
            for need in 0..<needs.count {
                var list = UnsafeMutableBufferPointer(rebasing: flat[Int(room[need])..<Int(fill[need])])
                list.sort()
                let first = kept
                for offer in list where kept == first || flat[kept - 1] != offer {
                    flat[kept] = offer
                    kept += 1
                }
                pairStart[need + 1] = Int32(kept)
            }
        }
        flat.removeLast(flat.count - kept)
        pairOffers = flat
    }

    static func loadCategories(on connection: PostgresConnection) throws -> [Int64: Matching.Category] {
        var categories: [Int64: Matching.Category] = [:]
        for row in try connection.query("SELECT id, code, parent_id FROM categories") {
            let id = try row.decode(Int64.self, "id")
            categories[id] = Matching.Category(
                id: id, code: try row.decode(String.self, "code"), parentID: try row.decode(Int64?.self, "parent_id"))
        }
        return categories
    }

    private static func loadAid(on connection: PostgresConnection) throws -> [Int64: [AidRecord]] {
        var history: [Int64: [AidRecord]] = [:]
        for row in try connection.query("SELECT household_id, category_id, given_on, units FROM run_recent_aid") {
            let record = try aidRecord(from: row)
            history[record.householdID, default: []].append(record)
        }
        return history
    }

    /// The refusals still cooling down of need `id` at `now`, as ``MatchingContext/refusals``.
    static func refusals(
        ofNeed id: Int64, at now: Date, coolDownDays: Int, on connection: PostgresConnection
    ) throws -> [Int64: [Int64: Date]] {
        try refusals(
            from: connection.query(
                CandidateQuery.refusedPairs(of: "SELECT $1::bigint", now: "$2::timestamptz", coolDownDays: "$3::int"),
                [id, now, coolDownDays]))
    }

    /// Rows of `need_id`, `offer_id` and `refused_at` by need and then offer.
    private static func refusals(from rows: PostgresRows) throws -> [Int64: [Int64: Date]] {
        var refusals: [Int64: [Int64: Date]] = [:]
        for row in rows {
            refusals[try row.decode(Int64.self, "need_id"), default: [:]][try row.decode(Int64.self, "offer_id")] =
                try row.decode(Date.self, "refused_at")
        }
        return refusals
    }

    private static func loadHouseholds(on connection: PostgresConnection) throws -> [Int64: Household] {
        let rows = try connection.query(
            """
            SELECT DISTINCT ON (household_id) household_id, region_code, lat, lon,
                   assistance_statuses::text[] AS statuses, vulnerability_flags::text[] AS flags, members,
                   per_capita_income, consent_given_at, consent_withdrawn_at, ages
              FROM run_needs ORDER BY household_id
            """)
        var households: [Int64: Household] = [:]
        households.reserveCapacity(rows.count)
        for row in rows {
            guard let household = try household(from: row) else { continue }
            households[household.id] = household
        }
        return households
    }

    /// A need as the engine sees it, from the columns of `run_needs`; its quantity is what
    /// is still unmatched (`remaining`).
    static func need(from row: PostgresRow) throws -> Need {
        Need(
            id: try row.decode(Int64.self, "need_id"), householdID: try row.decode(Int64.self, "household_id"),
            categoryID: try row.decode(Int64.self, "category_id"), quantity: try row.decode(Int.self, "remaining"),
            urgency: try row.decode(Int.self, "urgency"), isEmergency: try row.decode(Bool.self, "emergency"),
            neededBy: try row.decode(Date?.self, "needed_by"), recordedAt: try row.decode(Date.self, "recorded_at"))
    }

    /// A household as the engine sees it, from the columns of `run_needs` (statuses and flags
    /// as text arrays); nil when its region code is not a valid one.
    static func household(from row: PostgresRow) throws -> Household? {
        guard let region = RegionCode(try row.decode(String.self, "region_code")) else { return nil }
        let latitude = try row.decode(Double?.self, "lat")
        let longitude = try row.decode(Double?.self, "lon")
        return Household(
            id: try row.decode(Int64.self, "household_id"), region: region, size: try row.decode(Int.self, "members"),
            statuses: Set(try row.decode([String].self, "statuses").compactMap(AssistanceStatus.init(rawValue:))),
            flags: Set(try row.decode([String].self, "flags").compactMap(VulnerabilityFlag.init(rawValue:))),
            perCapitaIncome: try row.decode(Decimal?.self, "per_capita_income"),
            location: latitude.flatMap { lat in longitude.map { GeoPoint(latitude: lat, longitude: $0) } },
            memberAges: try row.decode([Int].self, "ages"),
            consent: Consent(
                givenAt: try row.decode(Date?.self, "consent_given_at"),
                withdrawnAt: try row.decode(Date?.self, "consent_withdrawn_at")))
    }

    /// One aid record from `household_id`, `category_id`, `given_on` and `units` columns.
    static func aidRecord(from row: PostgresRow) throws -> AidRecord {
        AidRecord(
            householdID: try row.decode(Int64.self, "household_id"),
            categoryID: try row.decode(Int64.self, "category_id"),
            givenOn: try row.decode(Date.self, "given_on"), units: try row.decode(Int.self, "units"))
    }

    private static func loadOffers(on connection: PostgresConnection) throws -> [Offer] {
        let rows = try connection.query(
            """
            SELECT ro.id, ro.charity_id, ro.category_id, ro.remaining, ro.service_region_prefixes, ro.center_lat,
                   ro.center_lon, ro.radius_km, ro.eligible_statuses::text[] AS statuses,
                   ro.required_flags::text[] AS flags, ro.min_age, ro.max_age, ro.min_household_size,
                   ro.max_household_size, ro.available_from, ro.available_until,
                   ch.status AS charity_status, ch.banned_until, ro.suspended_patterns,
                   coalesce(s.delivered, 0) AS delivered, coalesce(s.failed, 0) AS failed,
                   coalesce(s.satisfaction_sum, 0) AS satisfaction_sum,
                   coalesce(s.satisfaction_count, 0) AS satisfaction_count, e.evaluation_score
              FROM run_offers ro
              JOIN charities ch ON ch.id = ro.charity_id
              LEFT JOIN (\(CandidateQuery.charityRecords(of: "SELECT charity_id FROM run_offers"))) s
                     ON s.charity_id = ro.charity_id
              LEFT JOIN (\(CandidateQuery.publishedScores(of: "SELECT charity_id FROM run_offers"))) e
                     ON e.charity_id = ro.charity_id
             ORDER BY ro.id
            """)
        return try rows.map(offer(from:))
    }

    /// An offer as the engine sees it, from the columns ``loadOffers(on:)`` reads.
    static func offer(from row: PostgresRow) throws -> Offer {
        let radius = try row.decode(Double?.self, "radius_km")
        let centreLatitude = try row.decode(Double?.self, "center_lat")
        let centreLongitude = try row.decode(Double?.self, "center_lon")
        var circle: ServiceArea.Circle?
        if let radius, let centreLatitude, let centreLongitude {
            circle = .init(
                center: GeoPoint(latitude: centreLatitude, longitude: centreLongitude), radiusKilometres: radius)
        }
        let minAge = try row.decode(Int?.self, "min_age")
        let maxAge = try row.decode(Int?.self, "max_age")
        let minSize = try row.decode(Int?.self, "min_household_size")
        let maxSize = try row.decode(Int?.self, "max_household_size")
        let status: CharityStanding.Status =
            switch try row.decode(String.self, "charity_status") {
            case "active": .active
            case "banned": .banned(until: try row.decode(Date?.self, "banned_until"))
            default: .suspended
            }
        return Offer(
            id: try row.decode(Int64.self, "id"), charityID: try row.decode(Int64.self, "charity_id"),
            categoryID: try row.decode(Int64.self, "category_id"),
            remainingCapacity: try row.decode(Int.self, "remaining"),
            serviceArea: ServiceArea(
                scopes: try row.decode([String].self, "service_region_prefixes").compactMap(RegionScope.init(prefix:)),
                circle: circle),
            eligibility: EligibilityRules(
                statuses: Set(try row.decode([String].self, "statuses").compactMap(AssistanceStatus.init(rawValue:))),
                requiredFlags: Set(
                    try row.decode([String].self, "flags").compactMap(VulnerabilityFlag.init(rawValue:))),
                memberAges: minAge == nil && maxAge == nil ? nil : (minAge ?? 0)...(maxAge ?? 1000),
                householdSize: minSize == nil && maxSize == nil ? nil : (minSize ?? 1)...(maxSize ?? Int.max)),
            availableFrom: try row.decode(Date.self, "available_from"),
            availableUntil: try row.decode(Date?.self, "available_until"),
            charity: CharityStanding(
                status: status, delivered: try row.decode(Int.self, "delivered"),
                failed: try row.decode(Int.self, "failed"),
                satisfactionSum: try row.decode(Int.self, "satisfaction_sum"),
                satisfactionCount: try row.decode(Int.self, "satisfaction_count"),
                suspendedIn: try row.decode([String].self, "suspended_patterns").map { String($0.dropLast()) },
                evaluationScore: try row.decode(Double?.self, "evaluation_score")))
    }
}
