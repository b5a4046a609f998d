import Foundation
import Postgres

/// Who a message is for.
public enum InboxAudience: Sendable, Equatable {
    /// Every staff account of the charity.
    case charity(Int64)
    /// Every account of `role` whose region contains `region` (a 12-digit code): the
    /// caseworkers of a household's village, the coordinators over a township. An
    /// administrator of that role (no region) sees them all.
    case staff(role: UserRole, region: String)
    /// One account.
    case user(Int64)
}

/// Writes messages to people's inboxes, always on the connection (and so in the
/// transaction) of the change that causes them: a takeover's message exists exactly when the
/// takeover committed, never for one that rolled back.
public enum Inbox {
    /// Posts one message. `kind` is a dotted code (`match.taken_over`) that pages and clients
    /// turn into words with `details`; the entity is what the message is about. `details`
    /// must never hold a household's name or ID number: messages are shown to charities and
    /// copied to other systems.
    public static func post(
        on connection: PostgresConnection, to audience: InboxAudience, kind: String, entityType: String,
        entityID: String, details: [String: String] = [:]
    ) throws {
        let json = String(decoding: try JSONEncoder.audit.encode(details), as: UTF8.self)
        var user: Int64?
        var charity: Int64?
        var role: String?
        var region: String?
        switch audience {
        case .charity(let id): charity = id
        case .user(let id): user = id
        case .staff(let staffRole, let place):
            role = staffRole.rawValue
            region = place
        }
        try connection.query(
            """
            INSERT INTO inbox_messages (kind, entity_type, entity_id, details, recipient_user_id,
                                        recipient_charity_id, recipient_role, recipient_region)
            VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)
            """, [kind, entityType, entityID, json, user, charity, role, region])
    }

    /// The SQL condition "message `m` is for the reader", over parameters: `$user` the
    /// reader's id, `$role` their role, `$prefix` their region's scope prefix (NULL for an
    /// administrator), `$charity` their charity (NULL for staff).
    static func addressedTo(user: String, role: String, prefix: String, charity: String) -> String {
        """
        (m.recipient_user_id = \(user)
         OR m.recipient_charity_id = \(charity)
         OR (m.recipient_role = \(role)
             AND (\(prefix) IS NULL OR starts_with(m.recipient_region, \(prefix)))))
        """
    }
}
