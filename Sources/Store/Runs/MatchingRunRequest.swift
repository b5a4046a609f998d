import Foundation
import Matching

/// What a coordinator (or the CLI) asks a matching run to do.
public struct MatchingRunRequest: Sendable {
    /// Which assignment the run uses.
    public enum Solver: String, Sendable, Codable, CaseIterable {
        /// The optimum (``ExactAssigner``); what real runs use.
        case exact
        /// Greedy by score, the baseline; for comparisons only.
        case greedy
    }

    /// What one household cap counts.
    public enum CapScope: String, Sendable, Codable, CaseIterable {
        /// Units of each kind of aid (material, money, service) separately: goods, grants
        /// and service hours are not quantities that add up, so each kind has its own cap.
        case kind
        /// All units together, whatever their kind.
        case household
    }

    /// The region whose households' needs are matched.
    public var region: RegionCode
    /// The active version of this weight policy; nil means `standard`.
    public var policyName: String?
    /// Compute everything, write nothing (the what-if preview).
    public var dryRun: Bool
    /// Weights to try instead of the stored policy, such as a version not yet published;
    /// dry runs only, so no proposal ever rests on weights nobody published.
    public var trialPolicy: WeightPolicy?
    /// Units one household may receive within ``capWindowDays``, across its needs and across
    /// runs; nil for no cap. A run proposes at most the cap less the units the household's
    /// matches already hold in the window (proposed, approved, accepted or delivered).
    public var householdCap: Int?
    /// Whether the cap counts each kind of aid apart or all units together.
    public var capScope: CapScope
    /// The rolling window of the cap: matches decided (or, still proposed, made) within this
    /// many days before the run count against it.
    public var capWindowDays: Int
    /// Aid inside this many days blocks the same category (duplicate aid) and lowers fairness.
    public var lookBackDays: Int
    /// A pair rejected, declined or expired within this many days (0: no cool-down) is not
    /// proposed again, unless a coordinator cleared it (``MatchRepository/clearCoolDowns(need:offer:within:by:)``).
    public var coolDownDays: Int
    public var solver: Solver
    public var actor: Actor
    /// The `Idempotency-Key` of the request that started it; a dry run ignores it (it writes
    /// nothing, so repeating it is harmless).
    public var idempotency: IdempotencyClaim?
    /// The instant the run evaluates at; tests pin it, everyone else uses now.
    public var now: Date
    /// A takeover run (``TakeoverRepository/run(takeover:by:)``): only the needs this
    /// takeover released are matched, ahead of the region's next regular run.
    public var takeover: Int64?

    public init(
        region: RegionCode, policyName: String? = nil, dryRun: Bool = false, householdCap: Int? = 3,
        capScope: CapScope = .kind, capWindowDays: Int = 30,
        lookBackDays: Int = MatchRepository.duplicateAidLookBackDays, coolDownDays: Int = 30,
        solver: Solver = .exact, actor: Actor = .system, now: Date = Date()
    ) {
        self.region = region
        self.policyName = policyName
        self.dryRun = dryRun
        self.householdCap = householdCap
        self.capScope = capScope
        self.capWindowDays = capWindowDays
        self.lookBackDays = lookBackDays
        self.coolDownDays = coolDownDays
        self.solver = solver
        self.actor = actor
        self.now = now
        self.trialPolicy = nil
        self.idempotency = nil
        self.takeover = nil
    }

    /// Checks the numbers; each message names its field.
    public func validate() throws(StoreError) {
        if trialPolicy != nil, !dryRun {
            throw .invalid(field: "dry_run", reason: "must be true when trying unpublished weights")
        }
        if let householdCap, !(1...1000).contains(householdCap) {
            throw .invalid(field: "household_cap", reason: "must be between 1 and 1000")
        }
        guard (0...3650).contains(lookBackDays) else {
            throw .invalid(field: "look_back_days", reason: "must be between 0 and 3650")
        }
        guard (0...3650).contains(coolDownDays) else {
            throw .invalid(field: "cool_down_days", reason: "must be between 0 and 3650")
        }
        guard (1...3650).contains(capWindowDays) else {
            throw .invalid(field: "household_cap_window_days", reason: "must be between 1 and 3650")
        }
    }
}

/// What a run did, as the CLI prints it and the API returns it.
public struct MatchingRunReport: Sendable, Codable, Equatable {
    /// Seconds spent in each phase.
    public struct Timings: Sendable, Codable, Equatable {
        public var load: Double
        public var score: Double
        public var assign: Double
        public var persist: Double
        public var total: Double
    }

    /// The stored run's id; nil for a dry run.
    public var runID: Int64?
    public var region: String
    public var policyName: String
    public var policyVersion: Int
    /// The region whose version of the policy applied ("" for the national one).
    public var policyRegion: String
    public var dryRun: Bool
    public var needs: Int
    public var offers: Int
    public var edges: Int
    public var matches: Int
    public var units: Int
    public var objectiveMicro: Int64
    public var solver: String
    /// SHA-256 of the instance's CSV files, so an export can be checked against the run.
    public var inputFingerprint: String
    /// Proposed units per category code: what a what-if preview compares across policies.
    public var unitsByCategory: [String: Int]
    public var seconds: Timings

    enum CodingKeys: String, CodingKey {
        case runID = "run_id"
        case region
        case policyName = "policy_name"
        case policyVersion = "policy_version"
        case policyRegion = "policy_region"
        case dryRun = "dry_run"
        case needs, offers, edges, matches, units
        case objectiveMicro = "objective_micro"
        case solver
        case inputFingerprint = "input_fingerprint"
        case unitsByCategory = "units_by_category"
        case seconds
    }
}

/// A run's instance and answer in the engine's CSV format (`needs.csv`, `offers.csv`,
/// `edges.csv`, `households.csv` when a cap applies, and `assignment.csv`).
public struct MatchingRunExport: Sendable {
    public var instance: InstanceCSV.Files
    public var assignment: [UInt8]
}
