import Foundation
import Postgres

/// What a complaint is about (投诉类别).
public enum ComplaintCategory: String, Sendable, CaseIterable, Codable {
    /// Opened by a caseworker's dispute of a delivery, never raised by hand.
    case deliveryDisputed = "delivery_disputed"
    case notDelivered = "not_delivered"
    case poorQuality = "poor_quality"
    case misconduct, privacy, other
}

/// Where a complaint is in its handling.
public enum ComplaintStatus: String, Sendable, CaseIterable, Codable {
    case open, resolved, dismissed
}

/// What a complaint concerns; the charity is derived from it and stored with the complaint.
public enum ComplaintSubject: Sendable, Equatable, Codable {
    case match(Int64)
    case offer(Int64)
    case charity(Int64)

    /// The `subject_type` column's code.
    public var kind: EntityKind {
        switch self {
        case .match: .match
        case .offer: .offer
        case .charity: .charity
        }
    }

    /// The id of the match, offer or charity.
    public var id: Int64 {
        switch self {
        case .match(let id), .offer(let id), .charity(let id): id
        }
    }

    /// The subject of `kind` (`match`, `offer`, `charity`) and `id`, or nil for another kind.
    public init?(kind: String, id: Int64) {
        switch kind {
        case "match": self = .match(id)
        case "offer": self = .offer(id)
        case "charity": self = .charity(id)
        default: return nil
        }
    }
}

/// What a person writes when raising a complaint; the Store judges it.
public struct ComplaintDraft: Sendable, Equatable {
    public var subject: ComplaintSubject
    public var category: ComplaintCategory
    /// What happened, in the raiser's words (up to 2,000 characters, lines allowed).
    public var text: String
    /// Where the evidence is (a photo kept by the office, a receipt number); optional.
    public var evidenceNote: String?

    public init(subject: ComplaintSubject, category: ComplaintCategory, text: String, evidenceNote: String? = nil) {
        self.subject = subject
        self.category = category
        self.text = text
        self.evidenceNote = evidenceNote
    }
}

/// One complaint as stored.
public struct ComplaintRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var subject: ComplaintSubject
    public var charityID: Int64
    public var category: ComplaintCategory
    public var text: String
    public var evidenceNote: String?
    public var raisedBy: Int64?
    public var raisedRole: UserRole
    public var raisedAt: Date
    /// Where it is handled (a 12-digit code); nil: by administrators only.
    public var regionCode: String?
    public var status: ComplaintStatus
    /// The time limit: open past it is overdue.
    public var dueAt: Date
    public var outcome: String?
    public var handledBy: Int64?
    public var handledAt: Date?
    /// Still open past ``dueAt`` when read.
    public var overdue: Bool

    static let columns = """
        c.id, c.subject_type, c.match_id, c.offer_id, c.charity_id, c.category, c.body, c.evidence_note, c.raised_by,
        c.raised_role, c.raised_at, c.region_code, c.status, c.due_at, c.outcome, c.handled_by, c.handled_at,
        (c.status = 'open' AND c.due_at < now()) AS overdue
        """

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        let kind = try row.decode(String.self, "subject_type")
        let subjectID = try row.decode(Int64?.self, kind == "match" ? "match_id" : "offer_id")
        charityID = try row.decode(Int64.self, "charity_id")
        guard let subject = ComplaintSubject(kind: kind, id: kind == "charity" ? charityID : subjectID ?? 0) else {
            throw PostgresError(code: .decoding, reason: "column subject_type holds an unknown code")
        }
        self.subject = subject
        category = try row.decodeCode(ComplaintCategory.self, "category")
        text = try row.decode(String.self, "body")
        evidenceNote = try row.decode(String?.self, "evidence_note")
        raisedBy = try row.decode(Int64?.self, "raised_by")
        raisedRole = try row.decodeCode(UserRole.self, "raised_role")
        raisedAt = try row.decode(Date.self, "raised_at")
        regionCode = try row.decode(String?.self, "region_code")
        status = try row.decodeCode(ComplaintStatus.self, "status")
        dueAt = try row.decode(Date.self, "due_at")
        outcome = try row.decode(String?.self, "outcome")
        handledBy = try row.decode(Int64?.self, "handled_by")
        handledAt = try row.decode(Date?.self, "handled_at")
        overdue = try row.decode(Bool.self, "overdue")
    }
}

/// Which complaints a list shows, within the reader's reach.
public struct ComplaintFilter: Sendable, Equatable {
    public var status: ComplaintStatus?
    /// Only open complaints past their time limit.
    public var overdueOnly: Bool

    public init(status: ComplaintStatus? = nil, overdueOnly: Bool = false) {
        self.status = status
        self.overdueOnly = overdueOnly
    }
}

/// Complaints counted for one charity: public, like its delivered figures.
public struct ComplaintCount: Sendable, Equatable, Codable {
    public var open: Int
    public var total: Int

    public init(open: Int, total: Int) {
        self.open = open
        self.total = total
    }
}
