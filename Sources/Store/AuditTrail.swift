import Foundation
import Postgres

/// Appends to `audit_log`, always on the connection (and so in the transaction) of the
/// write it records: the trail and the effect commit or vanish together.
public enum AuditTrail {
    /// Records one action. `details` becomes the row's jsonb object.
    static func record(
        on connection: PostgresConnection,
        actor: Actor,
        action: String,
        entityType: String,
        entityID: String,
        reason: String? = nil,
        details: some Encodable = [String: String]()
    ) throws {
        let json = String(decoding: try JSONEncoder.audit.encode(details), as: UTF8.self)
        try connection.query(
            """
            INSERT INTO audit_log (actor_user_id, action, entity_type, entity_id, reason, details)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb)
            """,
            [actor.userID, action, entityType, entityID, reason, json]
        )
    }
}

extension JSONEncoder {
    /// Stable key order, so equal details give equal text.
    static let audit: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
}
