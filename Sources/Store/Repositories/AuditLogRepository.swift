import Foundation
import Postgres

/// A JSON value as stored in a jsonb column, kept as it is: audit details differ by action.
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// One row of the audit trail.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var id: Int64
    public var at: Date
    /// Nil for the system.
    public var actorUserID: Int64?
    /// Dotted verb such as `match.approve`.
    public var action: String
    public var entityType: String
    public var entityID: String
    public var reason: String?
    public var details: [String: JSONValue]

    static let columns = "id, at, actor_user_id, action, entity_type, entity_id, reason, details"

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        at = try row.decode(Date.self, "at")
        actorUserID = try row.decode(Int64?.self, "actor_user_id")
        action = try row.decode(String.self, "action")
        entityType = try row.decode(String.self, "entity_type")
        entityID = try row.decode(String.self, "entity_id")
        reason = try row.decode(String?.self, "reason")
        details = try row.decodeJSON([String: JSONValue].self, "details")
    }
}

/// Which audit rows to read; every filter is optional and they combine with AND.
public struct AuditFilter: Sendable, Equatable {
    public var entityType: String?
    public var entityID: String?
    public var actorUserID: Int64?
    /// `match` matches `match.approve` and `match.cancel`, and `match.approve` itself; never
    /// `matchmaking.x`.
    public var actionPrefix: String?
    /// From this instant, inclusive.
    public var from: Date?
    /// Up to this instant, exclusive.
    public var until: Date?

    public init(
        entityType: String? = nil, entityID: String? = nil, actorUserID: Int64? = nil, actionPrefix: String? = nil,
        from: Date? = nil, until: Date? = nil
    ) {
        self.entityType = entityType
        self.entityID = entityID
        self.actorUserID = actorUserID
        self.actionPrefix = actionPrefix
        self.from = from
        self.until = until
    }
}

/// Reads of the append-only audit trail; the writes happen inside each repository's own
/// transactions through ``AuditTrail``.
public struct AuditLogRepository: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Matching rows, newest first: the cursor is the id of the last row read, and the next
    /// page holds older rows.
    public func list(
        _ filter: AuditFilter = AuditFilter(), page: PageRequest<Int64> = PageRequest()
    ) async throws
        -> Page<AuditEntry, Int64>
    {
        let limit = try page.validatedLimit()
        if let prefix = filter.actionPrefix,
            prefix.isEmpty || !prefix.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || "._".contains($0)) })
        {
            throw StoreError.invalid(
                field: "action", reason: "must be a dotted lower-case action such as match.approve")
        }
        let rows = try await client.query(
            """
            SELECT \(AuditEntry.columns) FROM audit_log
             WHERE ($1::text IS NULL OR entity_type = $1::text) AND ($2::text IS NULL OR entity_id = $2::text)
               AND ($3::bigint IS NULL OR actor_user_id = $3::bigint)
               AND ($4::text IS NULL OR action = $4::text OR starts_with(action, $4::text || '.'))
               AND ($5::timestamptz IS NULL OR at >= $5::timestamptz)
               AND ($6::timestamptz IS NULL OR at < $6::timestamptz)
               AND ($7::bigint IS NULL OR id < $7::bigint)
             ORDER BY id DESC LIMIT $8
            """,
            [
                filter.entityType, filter.entityID, filter.actorUserID, filter.actionPrefix, filter.from, filter.until,
                page.after, limit + 1,
            ])
        return Page(fetched: try rows.map(AuditEntry.init(row:)), limit: limit) { $0.id }
    }
}
