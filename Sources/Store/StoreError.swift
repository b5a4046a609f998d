/// Why a Store operation was refused, in terms a caller can map to a response.
///
/// Each case says what was wrong without echoing personal data: ids and codes only, never
/// a name or an ID number. Database failures reach callers only as
/// ``databaseUnavailable`` or ``databaseFailure(code:)`` (see ``init(translating:)``), so
/// the layers above the Store never see a driver's error.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The entity does not exist (or is outside the caller's reach, which must look the same).
    case notFound(entity: EntityKind, id: String)
    /// The action is not allowed from the entity's current state.
    case invalidTransition(entity: EntityKind, id: String, from: String, action: String)
    /// The offer cannot hold this many more units.
    case capacityExhausted(offerID: Int64, requested: Int, remaining: Int)
    /// Another write got there first, a uniqueness rule was hit, or the state does not allow it.
    case conflict(ConflictReason)
    /// A value failed validation; `field` names it.
    case invalid(field: String, reason: String)
    /// A matching run over an overlapping region is in progress.
    case runInProgress(region: String)
    /// An update named a version of the entity that is no longer current (HTTP 412): someone
    /// else changed it since the caller read it. `current` is the version now stored.
    case versionMismatch(entity: EntityKind, id: String, current: Int)
    /// The caller's role may not ask for this at all, or not from their region (`scope`).
    case forbidden(role: String, action: Action, scope: String?)
    /// The pair cannot be matched: each code is an ``IneligibilityReason`` code (or
    /// `already_matched`, `need_not_open`, `need_fully_covered`), the same answer a run gives.
    case ineligible(reasons: [String])
    /// The request's `Idempotency-Key` was used for this very request before: the effect is
    /// not repeated, and the answer is the outcome read afresh.
    case idempotentReplay(IdempotencyOutcome)
    /// The request's `Idempotency-Key` was used for a different request.
    case idempotencyKeyReused
    /// The database cannot be reached right now; trying again later may work.
    case databaseUnavailable
    /// The database refused in a way no input explains; `code` is its SQLSTATE (or the
    /// driver's kind), for the log only.
    case databaseFailure(code: String)

    public var description: String {
        switch self {
        case .notFound(let entity, let id): "\(entity.word) \(id) does not exist"
        case .invalidTransition(let entity, let id, let from, let action):
            "\(entity.word) \(id) is \(from); it cannot be \(action)"
        case .capacityExhausted(let offer, let requested, let remaining):
            "offer \(offer) has \(remaining) unit(s) left; \(requested) requested"
        case .conflict(let reason): reason.description
        case .invalid(let field, let reason): "\(field): \(reason)"
        case .runInProgress(let region):
            "a matching run over a region overlapping \(region) is in progress; try again when it has finished"
        case .versionMismatch(let entity, let id, let current):
            "\(entity.word) \(id) has changed since it was read; it is now at version \(current)"
        case .forbidden(let role, let action, let scope?):
            "a \(role) of region \(scope) may not \(action.phrase)"
        case .forbidden(let role, let action, nil): "a \(role) may not \(action.phrase)"
        case .ineligible(let reasons): "the offer cannot serve the need: \(reasons.joined(separator: ", "))"
        case .idempotentReplay: "this request was made before with the same idempotency key"
        case .idempotencyKeyReused: "this idempotency key was used for a different request; use a new key"
        case .databaseUnavailable: "the database cannot be reached right now"
        case .databaseFailure(let code): "the database refused the request (\(code))"
        }
    }
}
