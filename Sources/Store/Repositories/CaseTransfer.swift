import Foundation
import Postgres

/// What a 转介 sends: a whole household to the office of the village it moves to, or one of its
/// needs to a named charity that takes it on outside matching.
public enum TransferKind: String, Sendable, Codable, CaseIterable {
    case household
    case referral
}

/// Where a transfer stands. Only a pending one can be decided or withdrawn.
public enum TransferStatus: String, Sendable, Codable, CaseIterable {
    case pending, accepted, returned, withdrawn
}

/// Which side of a transfer the reader is on: `incoming` for the receiving office or charity,
/// `outgoing` for the sending office.
public enum TransferDirection: String, Sendable, Codable, CaseIterable {
    case incoming, outgoing
}

/// What a caseworker asks for when sending: a household transfer names the receiving village,
/// a referral the need and the charity. The reason is required either way.
public struct TransferRequest: Sendable, Equatable {
    public var kind: TransferKind
    public var householdID: Int64?
    /// Referrals: the need the charity is asked to take on (its household is implied).
    public var needID: Int64?
    /// Household transfers: the 12-digit village the household moves to.
    public var toRegion: String?
    /// Referrals: the charity asked.
    public var toCharityID: Int64?
    public var reason: String
    /// The receiver's time limit in days, 1 to 30; nil is ``CaseTransferRepository/defaultDueDays``.
    public var dueDays: Int?

    public init(
        kind: TransferKind, householdID: Int64? = nil, needID: Int64? = nil, toRegion: String? = nil,
        toCharityID: Int64? = nil, reason: String, dueDays: Int? = nil
    ) {
        self.kind = kind
        self.householdID = householdID
        self.needID = needID
        self.toRegion = toRegion
        self.toCharityID = toCharityID
        self.reason = reason
        self.dueDays = dueDays
    }
}

/// A transfer as its sender or receiver sees it: enough to decide (case number, assistance
/// statuses, open needs, the reason) and never the household's phone or address, which the
/// receiving office reads on the household once it has accepted, and a charity through
/// ``contact`` once it has taken the referral on (as far as the consent allows).
public struct CaseTransfer: Sendable, Equatable, Codable {
    public var id: Int64
    public var kind: TransferKind
    public var status: TransferStatus
    public var householdID: Int64
    /// Staff only: charities see the household through ``contact``'s reference.
    public var caseNumber: String?
    public var assistanceStatuses: [String]
    /// The household's open and matched needs now.
    public var openNeedIDs: [Int64]
    public var needID: Int64?
    /// The referred need's category code, and its quantity still missing.
    public var needCategory: String?
    public var needQuantity: Int?
    /// The household's region when it was sent.
    public var fromRegion: String
    public var toRegion: String?
    public var toCharityID: Int64?
    public var toCharityName: String?
    public var reason: String
    public var sentBy: Int64?
    public var sentAt: Date
    public var dueAt: Date
    public var decidedBy: Int64?
    public var decidedAt: Date?
    public var returnReason: String?
    /// Pending past ``dueAt``: the receiver is late.
    public var overdue: Bool
    /// Accepted referrals, for the charity: how to reach the household, when its consent allows.
    public var contact: DeliveryContact?

    static let columns = """
        t.id, t.kind, t.status, t.household_id, h.case_number, h.assistance_statuses::text[] AS statuses,
        ARRAY(SELECT x.id::integer FROM needs x
               WHERE x.household_id = t.household_id AND x.status IN ('open', 'matched') ORDER BY x.id) AS open_needs,
        t.need_id, c.code AS need_category, n.quantity - n.fulfilled_quantity AS need_quantity,
        t.from_region, t.to_region, t.to_charity_id, ch.name AS charity_name, t.reason, t.sent_by, t.sent_at,
        t.due_at, t.decided_by, t.decided_at, t.return_reason, (t.status = 'pending' AND t.due_at < now()) AS overdue,
        h.contact_phone, h.address, (h.consent_given_at IS NOT NULL AND h.consent_withdrawn_at IS NULL) AS consents
        """

    static let joins = """
        case_transfers t JOIN households h ON h.id = t.household_id
        LEFT JOIN needs n ON n.id = t.need_id LEFT JOIN categories c ON c.id = n.category_id
        LEFT JOIN charities ch ON ch.id = t.to_charity_id
        """

    /// `charity`: the reader's charity, which sees no case number and reaches the household
    /// only on an accepted referral with consent on file.
    init(row: PostgresRow, charity: Int64?, sealer: IDNumberSealer?) throws {
        id = try row.decode(Int64.self, "id")
        kind = TransferKind(rawValue: try row.decode(String.self, "kind")) ?? .household
        status = TransferStatus(rawValue: try row.decode(String.self, "status")) ?? .pending
        householdID = try row.decode(Int64.self, "household_id")
        caseNumber = charity == nil ? try row.decode(String.self, "case_number") : nil
        assistanceStatuses = try row.decode([String].self, "statuses")
        openNeedIDs = try row.decode([Int].self, "open_needs").map { Int64($0) }
        needID = try row.decode(Int64?.self, "need_id")
        needCategory = try row.decode(String?.self, "need_category")
        needQuantity = try row.decode(Int?.self, "need_quantity")
        fromRegion = try row.decode(String.self, "from_region")
        toRegion = try row.decode(String?.self, "to_region")
        toCharityID = try row.decode(Int64?.self, "to_charity_id")
        toCharityName = try row.decode(String?.self, "charity_name")
        reason = try row.decode(String.self, "reason")
        sentBy = try row.decode(Int64?.self, "sent_by")
        sentAt = try row.decode(Date.self, "sent_at")
        dueAt = try row.decode(Date.self, "due_at")
        decidedBy = try row.decode(Int64?.self, "decided_by")
        decidedAt = try row.decode(Date?.self, "decided_at")
        returnReason = try row.decode(String?.self, "return_reason")
        overdue = try row.decode(Bool.self, "overdue")
        if let charity, let sealer, status == .accepted, kind == .referral, try row.decode(Bool.self, "consents") {
            contact = DeliveryContact(
                householdReference: sealer.householdReference(household: householdID, charity: charity),
                contactPhone: try row.decode(String?.self, "contact_phone"),
                address: try row.decode(String?.self, "address"))
        }
    }
}
