import Foundation
import Matching

/// Something a person may ask of the system. Who may ask is ``AccessPolicy``'s one table,
/// which the API, the dashboard and the command line all consult, so that no path grants
/// what another refuses.
public enum Action: String, Sendable, CaseIterable {
    case registerCharity = "register_charity"
    case listCharities = "list_charities"
    case readCharities = "read_charities"
    case editCharityProfile = "edit_charity_profile"
    case suspendCharity = "suspend_charity"
    case banCharity = "ban_charity"
    case reinstateCharity = "reinstate_charity"
    case postOffer = "post_offer"
    case changeOffer = "change_offer"
    case readOffers = "read_offers"
    case registerHousehold = "register_household"
    case changeHousehold = "change_household"
    case readHouseholds = "read_households"
    case recordConsent = "record_consent"
    case recordNeed = "record_need"
    case changeNeed = "change_need"
    case readNeeds = "read_needs"
    case rankCandidates = "rank_candidates"
    case startRun = "start_run"
    case readRuns = "read_runs"
    case readMatches = "read_matches"
    case proposeMatch = "propose_match"
    case approveMatch = "approve_match"
    case rejectMatch = "reject_match"
    case acceptMatch = "accept_match"
    case declineMatch = "decline_match"
    case deliverMatch = "deliver_match"
    case cancelMatch = "cancel_match"
    case recordFeedback = "record_feedback"
    case readWeightPolicies = "read_weight_policies"
    case publishWeightPolicy = "publish_weight_policy"
    case previewWeightPolicy = "preview_weight_policy"
    case importRoster = "import_roster"
    case exportMatches = "export_matches"
    case clearCoolDown = "clear_cool_down"
    /// Create and disable accounts, set and reset their passwords.
    case manageAccounts = "manage_accounts"
    /// Issue and revoke bearer tokens for any account.
    case issueTokens = "issue_tokens"
    /// Read one's own inbox and mark its messages read.
    case readInbox = "read_inbox"
    /// Record government aid a household received, one by one or from a file.
    case recordAid = "record_aid"
    /// See the takeovers of one's region and re-match their needs first (临时接管).
    case runTakeover = "run_takeover"
    /// Set how many days each stage of a case may take in one's region (限时办理).
    case setTimeLimits = "set_time_limits"
    /// Confirm or dispute a delivery (签收) for the household.
    case reviewReceipt = "review_receipt"
    /// Raise a complaint or flag (社会监督) about a match, offer or charity one can see.
    case raiseComplaint = "raise_complaint"
    /// Read the complaints one raised, those about one's charity, or a region's.
    case readComplaints = "read_complaints"
    /// Resolve or dismiss a complaint of one's region with an outcome.
    case handleComplaint = "handle_complaint"
    /// Send a household to another township's office, or refer a need to a named charity (转介).
    case sendTransfer = "send_transfer"
    /// Accept or return a transfer sent to one's office or charity.
    case decideTransfer = "decide_transfer"
    /// Withdraw a pending transfer one's office sent.
    case withdrawTransfer = "withdraw_transfer"
    /// Read the transfers one's office or charity sent or received.
    case readTransfers = "read_transfers"
    /// Compute, score, read and publish the periodic evaluations (绩效评价) of one's region.
    case evaluateCharities = "evaluate_charities"

    /// The words of a refusal: "A caseworker may not <phrase>."
    public var phrase: String {
        rawValue.replacingOccurrences(of: "_", with: " ")
    }
}

/// Who may take which action, and how far their reach goes.
///
/// Function level: the roles each ``Action`` is open to. Object level: coordinators and
/// caseworkers reach what lies inside their region (``Principal/regionLimit``), charity
/// staff what belongs to their charity, administrators everything; the Store applies these
/// limits inside the transaction that makes a change, so a check and its effect cannot
/// drift apart. Powers with effects beyond one place have an extra rule: weight policies
/// are published for a county or a wider region only (``publishingScope(for:)``), and
/// bans and country-wide suspensions are an administrator's.
public enum AccessPolicy {
    /// The roles each action is open to.
    public static func roles(for action: Action) -> Set<UserRole> {
        switch action {
        case .registerCharity, .banCharity, .manageAccounts, .issueTokens: [.admin]
        case .listCharities: [.admin, .coordinator, .caseworker]
        case .readCharities: [.admin, .coordinator, .caseworker, .charity]
        case .editCharityProfile: [.admin, .charity]
        case .suspendCharity, .reinstateCharity: [.admin, .coordinator]
        case .postOffer, .changeOffer: [.charity]
        case .readOffers: [.admin, .coordinator, .caseworker, .charity]
        case .registerHousehold, .changeHousehold, .recordConsent, .recordNeed, .changeNeed, .importRoster, .recordAid:
            [.admin, .caseworker]
        case .readHouseholds, .readNeeds, .rankCandidates: [.admin, .coordinator, .caseworker]
        case .startRun, .readRuns, .readWeightPolicies: [.admin, .coordinator, .caseworker]
        case .readMatches, .readInbox, .readTransfers: [.admin, .coordinator, .caseworker, .charity]
        case .sendTransfer, .withdrawTransfer: [.admin, .caseworker]
        case .decideTransfer: [.admin, .caseworker, .charity]
        case .proposeMatch: [.caseworker]
        case .approveMatch, .rejectMatch: [.admin, .coordinator]
        case .acceptMatch, .declineMatch, .deliverMatch: [.charity]
        case .cancelMatch: [.admin, .coordinator, .caseworker]
        case .recordFeedback, .reviewReceipt: [.admin, .caseworker]
        case .raiseComplaint, .readComplaints: [.admin, .coordinator, .caseworker, .charity]
        case .handleComplaint: [.admin, .coordinator]
        case .publishWeightPolicy, .previewWeightPolicy, .exportMatches, .clearCoolDown, .runTakeover, .setTimeLimits,
            .evaluateCharities:
            [.admin, .coordinator]
        }
    }

    /// The region a weight policy published by `principal` applies to when they name
    /// `requested` (nil: their own region; for an administrator, the whole country). A
    /// coordinator publishes for their region or a county or wider region inside it; a
    /// township or village coordinator publishes nothing, since a policy there would score
    /// a handful of households apart from their county.
    public static func publishingScope(
        for principal: Principal, requested: RegionScope?
    ) throws(StoreError)
        -> RegionScope?
    {
        try principal.authorize(.publishWeightPolicy)
        guard let limit = principal.regionLimit else {
            guard let requested else { return nil }
            guard requested.level <= .county else { throw publishingLevelRefused }
            return requested
        }
        guard limit.level <= .county else {
            throw .forbidden(role: principal.role.rawValue, action: .publishWeightPolicy, scope: limit.prefix)
        }
        let scope = requested ?? limit
        guard scope.prefix.hasPrefix(limit.prefix) else {
            throw .invalid(field: "region", reason: "must be your region or a region inside it")
        }
        guard scope.level <= .county else { throw publishingLevelRefused }
        return scope
    }

    private static let publishingLevelRefused = StoreError.invalid(
        field: "region", reason: "must be a province, prefecture or county (2, 4 or 6 digits)")
}

extension Principal {
    /// Whether the caller's role may ask for `action` at all.
    public func may(_ action: Action) -> Bool {
        AccessPolicy.roles(for: action).contains(role)
    }

    /// Refuses with ``StoreError/forbidden(role:action:scope:)`` unless ``may(_:)``.
    public func authorize(_ action: Action) throws(StoreError) {
        guard may(action) else { throw .forbidden(role: role.rawValue, action: action, scope: nil) }
    }

    /// The region a coordinator's or caseworker's reads and writes are confined to; nil for
    /// an administrator (everything). Charity staff have no region: see ``charityID``.
    public var regionLimit: RegionScope? {
        role == .admin ? nil : regionScope
    }

    /// The caller's charity after ``authorize(_:)``: charity staff only.
    public func charity(for action: Action) throws(StoreError) -> Int64 {
        try authorize(action)
        guard role == .charity, let charityID else {
            throw .forbidden(role: role.rawValue, action: action, scope: nil)
        }
        return charityID
    }

    /// The intersection of the caller's region and a requested one: a requested region
    /// wholly outside the caller's gives ``RegionNarrowing/none`` (an empty answer, never
    /// another region's data).
    public func narrowing(_ requested: RegionScope?) -> RegionNarrowing {
        guard let limit = regionLimit else { return .within(requested) }
        guard let requested else { return .within(limit) }
        if requested.prefix.hasPrefix(limit.prefix) { return .within(requested) }
        if limit.prefix.hasPrefix(requested.prefix) { return .within(limit) }
        return .none
    }
}

/// See ``Principal/narrowing(_:)``: nil inside `within` means "no limit".
public enum RegionNarrowing: Equatable, Sendable {
    case within(RegionScope?)
    case none
}
