/// The reasons people give for turning a match or a need down, defined once: the Store
/// refuses any other code, `openapi.yaml` lists them (`ReasonCode`, held to this by a
/// test) and the dashboard offers them in its forms. `other` needs a note saying what it
/// was, or the reports learn nothing from it.
///
/// The system's own codes (`hold_expired`, `consent_withdrawn`, `need_cancelled`) are
/// written by the Store itself and are not for people to give.
public enum DecisionReasons {
    /// A coordinator rejecting a proposal or an approval.
    public static let reject = ["not_eligible", "duplicate_aid", "no_capacity", "other"]
    /// A charity declining an approved match.
    public static let decline = [
        "no_capacity", "cannot_reach_household", "outside_service_area", "not_eligible", "household_declined", "other",
    ]
    /// A caseworker or coordinator cancelling a match, or a caseworker cancelling a need.
    public static let cancel = [
        "household_moved", "need_met_elsewhere", "household_declined", "recorded_in_error", "other",
    ]

    /// The code a note must explain.
    public static let other = "other"

    /// The codes a person may give for `transition`; empty for the steps that take none.
    public static func codes(for transition: MatchTransition) -> [String] {
        switch transition {
        case .reject: reject
        case .decline: decline
        case .cancel: cancel
        case .approve, .accept, .deliver, .expire: []
        }
    }

    /// Every code a person may give, sorted: what the contract's `ReasonCode` lists.
    public static var all: [String] { Array(Set(reject + decline + cancel)).sorted() }

    /// The note, checked and trimmed (nil when blank), after checking that `code` is one of
    /// `allowed` (or absent when `required` is false) and that `other` comes with a note.
    static func validated(
        code: String?, note: String?, allowed: [String], required: Bool, action: String
    ) throws(StoreError) -> String? {
        let note = try optionalText(note, field: "note", maxLength: 2000, rule: .multiLine)
        guard let code else {
            if required { throw .invalid(field: "reason_code", reason: "is required for this decision") }
            return note
        }
        guard allowed.contains(code) else {
            throw .invalid(
                field: "reason_code",
                reason: allowed.isEmpty
                    ? "is not given to \(action)" : "must be one of: \(allowed.joined(separator: ", "))")
        }
        if code == other && note == nil {
            throw .invalid(field: "note", reason: "is required when the reason is other: say what it was")
        }
        return note
    }
}
