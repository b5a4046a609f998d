/// Why a write collided with the state it found (HTTP 409), as a stable ``code`` that the
/// API names in its problem details and the dashboard words in both languages, with the
/// English sentence as ``description``. Ids and codes only, never a name or an ID number.
public enum ConflictReason: Sendable, Equatable, CustomStringConvertible {
    /// A unique key is taken: a case number, an ID number (never repeated), a credit code,
    /// a login, a government aid record's external reference.
    case taken(Key, value: String?)
    /// The household already has an open or matched need in the category.
    case needAlreadyOpen(household: Int64, need: Int64, category: String)
    /// An offer's capacity or a need's quantity cannot drop below the units already
    /// delivered or reserved (nil: not known when the database refused it).
    case belowCommitted(EntityKind, id: Int64?, units: Int?)
    /// The entity's state does not allow this: a charity that is not active posting an
    /// offer, a disabled user given a token, an offer that is not open, a need that is closed.
    case notActive(EntityKind, id: Int64, status: String)
    /// The household of the need withdrew its consent to share with charities.
    case consentWithdrawn(need: Int64)
    /// The charity is suspended or banned where the household lives.
    case charityNotInGoodStanding(charity: Int64)
    /// The household received aid of this kind (government aid, or another match's
    /// delivery) after the match was proposed, inside the duplicate-aid look-back.
    case duplicateAid(need: Int64, aid: Int64)
    /// The match already has its feedback.
    case feedbackRecorded(match: Int64)
    /// The delivery's receipt was already confirmed or disputed.
    case receiptReviewed(match: Int64)
    /// The household already has a pending transfer or referral: it is never in two places at once.
    case transferPending(household: Int64, transfer: Int64)
    /// A proposal was made by hand on a pair the run chose while it was computing.
    case proposedMeanwhile
    /// Another writer changed what this one read; trying again works.
    case changedMeanwhile(String)
    /// The database is not ready for this command (not migrated, or the county is seeded).
    case notReady(String)
    /// The stored data contradicts itself: a bug to report, not the caller's doing.
    case inconsistent(String)

    /// The unique keys of ``taken(_:value:)``.
    public enum Key: String, Sendable, Equatable {
        case caseNumber = "case_number"
        case idNumber = "id_number"
        case creditCode = "credit_code"
        case login
        case externalReference = "external_ref"
    }

    /// A stable code, e.g. `taken.case_number` or `not_active.offer`.
    public var code: String {
        switch self {
        case .taken(let key, _): "taken.\(key.rawValue)"
        case .needAlreadyOpen: "need_already_open"
        case .belowCommitted(let entity, _, _): "below_committed.\(entity.rawValue)"
        case .notActive(let entity, _, _): "not_active.\(entity.rawValue)"
        case .consentWithdrawn: "consent_withdrawn"
        case .charityNotInGoodStanding: "charity_not_in_good_standing"
        case .duplicateAid: "duplicate_aid"
        case .feedbackRecorded: "feedback_recorded"
        case .receiptReviewed: "receipt_reviewed"
        case .transferPending: "transfer_pending"
        case .proposedMeanwhile: "proposed_meanwhile"
        case .changedMeanwhile: "changed_meanwhile"
        case .notReady: "not_ready"
        case .inconsistent: "inconsistent"
        }
    }

    /// The values a sentence about the conflict names, by placeholder (`id`, `status`,
    /// `units`, `value`, `need`, `household`, `category`, `charity`, `match`, `entity`).
    public var figures: [String: String] {
        switch self {
        case .taken(_, let value): ["value": value ?? ""]
        case .needAlreadyOpen(let household, let need, let category):
            ["household": String(household), "need": String(need), "category": category]
        case .belowCommitted(let entity, let id, let units):
            ["entity": entity.rawValue, "id": id.map { String($0) } ?? "", "units": units.map { String($0) } ?? ""]
        case .notActive(let entity, let id, let status):
            ["entity": entity.rawValue, "id": String(id), "status": status]
        case .consentWithdrawn(let need): ["need": String(need)]
        case .charityNotInGoodStanding(let charity): ["charity": String(charity)]
        case .duplicateAid(let need, let aid): ["need": String(need), "id": String(aid)]
        case .feedbackRecorded(let match), .receiptReviewed(let match): ["match": String(match)]
        case .transferPending(let household, let transfer): ["household": String(household), "id": String(transfer)]
        case .proposedMeanwhile, .changedMeanwhile, .notReady, .inconsistent: [:]
        }
    }

    public var description: String {
        switch self {
        case .taken(.idNumber, _): "a household with this ID number is already registered"
        case .taken(.login, let value): "login \(value ?? "") is taken"
        case .taken(.externalReference, let value):
            "government aid with external reference \(value ?? "") is already recorded"
        case .taken(.creditCode, let value): "a charity with credit code \(value ?? "") is already registered"
        case .taken(.caseNumber, let value): "case number \(value ?? "") is already registered"
        case .needAlreadyOpen(let household, let need, let category):
            "household \(household) already has need \(need) open for \(category)"
        case .belowCommitted(let entity, let id?, let units?):
            "\(entity.word) \(id) has \(units) unit(s) delivered or reserved; it cannot drop below that"
        case .belowCommitted(let entity, _, _):
            "the \(entity.word)'s units cannot drop below those already delivered or reserved"
        case .notActive(let entity, let id, let status): "\(entity.word) \(id) is \(status); it cannot do this now"
        case .consentWithdrawn(let need):
            "the household of need \(need) has withdrawn its consent to share with charities"
        case .charityNotInGoodStanding(let charity):
            "charity \(charity) is suspended or banned where this household lives; its matches there cannot go ahead"
        case .duplicateAid(let need, let aid):
            "the household of need \(need) already received aid of this kind (aid record \(aid)); one aid per need"
        case .feedbackRecorded(let match): "match \(match) already has feedback"
        case .receiptReviewed(let match): "the delivery of match \(match) was already confirmed or disputed"
        case .transferPending(let household, let transfer):
            "household \(household) already has transfer \(transfer) pending; it is decided or withdrawn first"
        case .proposedMeanwhile: "a match was proposed by hand on a pair this run chose; run the matching again"
        case .changedMeanwhile(let what), .notReady(let what), .inconsistent(let what): what
        }
    }
}
