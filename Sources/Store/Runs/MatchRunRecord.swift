import Foundation
import Matching
import Postgres

/// Where a stored matching run is: still running, completed, failed, or a dry run kept for
/// the record.
public enum MatchRunStatus: String, Sendable, Codable, CaseIterable {
    case running, completed, failed
    case dryRun = "dry_run"
}

/// A matching run as stored, for the coordinator who reviews it: what it covered, under
/// which weights and options, what it found and proposed, how long it took, who started it.
public struct MatchRunRecord: Sendable, Equatable, Codable {
    public var id: Int64
    /// The 12-digit code of the region whose households' needs were matched.
    public var region: String
    public var status: MatchRunStatus
    /// Computed and reported without writing proposals.
    public var dryRun: Bool
    /// The weight policy's row; nil for the built-in default weights.
    public var policyID: Int64?
    public var policyName: String?
    public var policyVersion: Int?
    /// The region whose version of the policy the run used: "" for the national default,
    /// else its 2, 4 or 6 digit prefix; nil for trial weights.
    public var policyRegion: String?
    /// The weights actually used, normalised as the engine used them.
    public var weights: [ScoreFactor: Double]
    /// Units one household could receive in the run; nil for no cap.
    public var householdCap: Int?
    /// `kind` (each kind of aid apart) or `household` (all units together).
    public var householdCapScope: String?
    /// Days of aid history that blocked duplicate aid and lowered fairness.
    public var lookBackDays: Int?
    /// Open needs, offers and eligible pairs the run considered.
    public var needs: Int
    public var offers: Int
    public var edges: Int
    /// Proposals written and the units they carry.
    public var matches: Int
    public var units: Int
    /// Σ units × score in millionths: what the assignment maximised.
    public var objectiveMicro: Int64
    public var solver: String
    /// SHA-256 of the instance's CSV files, to check an export or an independent solve against.
    public var inputFingerprint: String?
    /// Seconds per phase; nil until the run completes.
    public var seconds: MatchingRunReport.Timings?
    public var startedAt: Date
    public var finishedAt: Date?
    /// The user who started it; nil for the system (a command-line run).
    public var startedBy: Int64?

    static let columns = """
        r.id, r.region_code, r.status, r.policy_id, wp.name AS policy_name, r.policy_version, wp.region_prefix AS policy_region, r.weights,
        (r.options ->> 'household_cap')::integer AS household_cap, r.options ->> 'household_cap_scope' AS cap_scope,
        (r.options ->> 'look_back_days')::integer AS look_back_days, r.options -> 'seconds' AS seconds,
        r.needs_count, r.offers_count, r.edges_count, r.matches_count, r.units_count, r.objective_micro, r.solver,
        r.input_fingerprint, r.started_at, r.finished_at, r.created_by
        """

    /// `match_runs r` with the policy's name beside it.
    static let tables = "match_runs r LEFT JOIN weight_policies wp ON wp.id = r.policy_id"

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        region = try row.decode(String.self, "region_code")
        status = try row.decodeCode(MatchRunStatus.self, "status")
        dryRun = status == .dryRun
        policyID = try row.decode(Int64?.self, "policy_id")
        policyName = try row.decode(String?.self, "policy_name")
        policyVersion = try row.decode(Int?.self, "policy_version")
        policyRegion = try row.decode(String?.self, "policy_region")
        weights = try row.decodeJSON([ScoreFactor: Double].self, "weights")
        householdCap = try row.decode(Int?.self, "household_cap")
        householdCapScope = try row.decode(String?.self, "cap_scope")
        lookBackDays = try row.decode(Int?.self, "look_back_days")
        seconds = try row.decode(PostgresJSON<MatchingRunReport.Timings>?.self, "seconds")?.value
        needs = try row.decode(Int.self, "needs_count")
        offers = try row.decode(Int.self, "offers_count")
        edges = try row.decode(Int.self, "edges_count")
        matches = try row.decode(Int.self, "matches_count")
        units = try row.decode(Int.self, "units_count")
        objectiveMicro = try row.decode(Int64.self, "objective_micro")
        solver = try row.decode(String.self, "solver")
        inputFingerprint = try row.decode(String?.self, "input_fingerprint")
        startedAt = try row.decode(Date.self, "started_at")
        finishedAt = try row.decode(Date?.self, "finished_at")
        startedBy = try row.decode(Int64?.self, "created_by")
    }
}

extension MatchingRuns {
    /// Stored runs over regions inside `scope` (nil: all), newest first: the cursor is the
    /// last id of a page and the next page holds the ids below it. A run over a wider region
    /// than `scope` (the county, for a township's coordinator) is not listed.
    public func runs(
        within scope: RegionScope?, page: PageRequest<Int64> = PageRequest()
    ) async throws -> Page<MatchRunRecord, Int64> {
        let limit = try page.validatedLimit()
        let rows = try await client.query(
            """
            SELECT \(MatchRunRecord.columns) FROM \(MatchRunRecord.tables)
             WHERE ($1::text IS NULL OR r.region_code LIKE $1::text || '%') AND r.id < $2
             ORDER BY r.id DESC LIMIT $3
            """, [scope?.prefix, page.after ?? Int64.max, limit + 1])
        return Page(fetched: try rows.map(MatchRunRecord.init(row:)), limit: limit) { $0.id }
    }

    /// The run, or nil when it does not exist or its region is not inside `scope`; the two
    /// look the same.
    public func run(id: Int64, within scope: RegionScope?) async throws -> MatchRunRecord? {
        try await client.query(
            """
            SELECT \(MatchRunRecord.columns) FROM \(MatchRunRecord.tables)
             WHERE r.id = $1 AND ($2::text IS NULL OR r.region_code LIKE $2::text || '%')
            """, [id, scope?.prefix]
        ).first.map(MatchRunRecord.init(row:))
    }
}
