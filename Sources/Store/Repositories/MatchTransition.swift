/// A step in a match's life, with the states it may start from and the state it leads to.
///
/// The table below is the whole state machine; ``MatchRepository`` refuses anything else
/// and the database's CHECKs refuse what would break its own rules.
public enum MatchTransition: String, Sendable, CaseIterable {
    /// Coordinator: the proposal goes ahead; reserves the offer's units.
    case approve
    /// Coordinator: the proposal (or an approval not yet taken up) is turned down.
    case reject
    /// Charity: takes on an approved match.
    case accept
    /// Charity: cannot serve an approved match.
    case decline
    /// Charity: the aid reached the household.
    case deliver
    /// Caseworker or coordinator: the match is no longer wanted.
    case cancel
    /// The system: the hold lapsed without the next step.
    case expire

    /// States the transition may start from.
    public var sources: Set<MatchStatus> {
        switch self {
        case .approve: [.proposed]
        case .reject: [.proposed, .approved]
        case .accept: [.approved]
        case .decline: [.approved]
        case .deliver: [.accepted]
        case .cancel, .expire: [.proposed, .approved, .accepted]
        }
    }

    /// The state it leads to.
    public var target: MatchStatus {
        switch self {
        case .approve: .approved
        case .reject: .rejected
        case .accept: .accepted
        case .decline: .declined
        case .deliver: .delivered
        case .cancel: .cancelled
        case .expire: .expired
        }
    }

    /// Whether the transition must carry a reason code (the refusals do).
    public var requiresReason: Bool { self == .reject || self == .decline || self == .cancel }

    /// The past participle used in messages ("cannot be approved").
    var participle: String {
        switch self {
        case .approve: "approved"
        case .reject: "rejected"
        case .accept: "accepted"
        case .decline: "declined"
        case .deliver: "delivered"
        case .cancel: "cancelled"
        case .expire: "expired"
        }
    }
}

/// How long each stage may wait for the next before the sweep expires it.
public struct HoldPolicy: Sendable, Equatable, Codable {
    /// A proposal waits this long for a coordinator.
    public var proposalHours: Int
    /// An approved match waits this long for the charity to accept.
    public var approvalHours: Int
    /// An accepted match waits this long for delivery.
    public var deliveryHours: Int

    public init(proposalHours: Int = 72, approvalHours: Int = 168, deliveryHours: Int = 336) {
        self.proposalHours = proposalHours
        self.approvalHours = approvalHours
        self.deliveryHours = deliveryHours
    }

    /// Hours the match may rest in `status` (nil when the status is final).
    func hours(in status: MatchStatus) -> Int? {
        switch status {
        case .proposed: proposalHours
        case .approved: approvalHours
        case .accepted: deliveryHours
        default: nil
        }
    }
}
