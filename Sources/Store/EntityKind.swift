import Foundation

/// The kinds of thing the Store keeps, by the stable code its refusals, the audit trail and
/// idempotency outcomes use (`match_run`, `weight_policy`): the API names them in problem
/// details by ``word``, the dashboard by its own words for the same codes in both languages.
public enum EntityKind: String, Sendable, CaseIterable, Codable {
    case charity, offer, household, need, match, region, user, category
    case matchRun = "match_run"
    case weightPolicy = "weight_policy"
    case apiToken = "api_token"
    case aidRecord = "aid_record"
    case inboxMessage = "inbox_message"
    case takeover
    case complaint
    /// A 转介: a household sent to another office or a need referred to a charity.
    case transfer
    case evaluation

    /// The kind in an English sentence ("match run").
    public var word: String {
        switch self {
        case .apiToken: "token"
        default: rawValue.replacingOccurrences(of: "_", with: " ")
        }
    }
}
