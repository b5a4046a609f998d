import Foundation
import Matching
import Postgres

/// A message in someone's inbox, as they read it.
public struct InboxMessage: Sendable, Equatable, Codable {
    public var id: Int64
    public var createdAt: Date
    /// A dotted code such as `match.taken_over`; clients turn it into words with `details`.
    public var kind: String
    /// What the message is about: `match`, `need`, `household`, `charity`, …
    public var entityType: String
    public var entityID: String
    public var details: [String: String]
    /// When this reader marked it read; nil while unread.
    public var readAt: Date?

    static let columns = """
        m.id, m.created_at, m.kind, m.entity_type, m.entity_id, m.details, r.read_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        createdAt = try row.decode(Date.self, "created_at")
        kind = try row.decode(String.self, "kind")
        entityType = try row.decode(String.self, "entity_type")
        entityID = try row.decode(String.self, "entity_id")
        details = try row.decodeJSON([String: String].self, "details")
        readAt = try row.decode(Date?.self, "read_at")
    }
}

/// Each person's inbox: the messages addressed to them, to their charity, or to their role
/// over a place inside their region (see ``InboxAudience``), newest first. Reading is per
/// person: one caseworker marking a message to the township's caseworkers read leaves it
/// unread for the others.
public struct InboxRepository: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// The reader's messages, newest first, `unreadOnly` leaving out those they read.
    public func messages(
        for principal: Principal, unreadOnly: Bool = false, page: PageRequest<Int64> = PageRequest()
    ) async throws -> Page<InboxMessage, Int64> {
        try principal.authorize(.readInbox)
        let limit = try page.validatedLimit()
        let rows = try await client.query(
            """
            SELECT \(InboxMessage.columns)
              FROM inbox_messages m
              LEFT JOIN inbox_reads r ON r.message_id = m.id AND r.user_id = $1
             WHERE \(Self.addressed)
               AND ($5::bigint IS NULL OR m.id < $5::bigint)
               AND (NOT $6::boolean OR r.read_at IS NULL)
             ORDER BY m.id DESC LIMIT $7
            """, Self.reader(principal) + [page.after, unreadOnly, limit + 1])
        return Page(fetched: try rows.map(InboxMessage.init(row:)), limit: limit) { $0.id }
    }

    /// How many of the reader's messages they have not read.
    public func unreadCount(for principal: Principal) async throws -> Int {
        try principal.authorize(.readInbox)
        let rows = try await client.query(
            """
            SELECT count(*) AS unread FROM inbox_messages m
             WHERE \(Self.addressed)
               AND NOT EXISTS (SELECT 1 FROM inbox_reads r WHERE r.message_id = m.id AND r.user_id = $1)
            """, Self.reader(principal))
        return Int(try rows[0].decode(Int64.self, "unread"))
    }

    /// Marks one message read for the reader (again: no change). A message not addressed to
    /// them is ``StoreError/notFound(entity:id:)``, like a missing one.
    public func markRead(message id: Int64, by principal: Principal) async throws -> InboxMessage {
        try principal.authorize(.readInbox)
        let rows = try await client.query(
            """
            WITH target AS (SELECT m.id FROM inbox_messages m WHERE m.id = $5 AND \(Self.addressed)),
                 marked AS (
                     INSERT INTO inbox_reads (message_id, user_id) SELECT id, $1 FROM target
                     ON CONFLICT (user_id, message_id) DO NOTHING)
            SELECT m.id, m.created_at, m.kind, m.entity_type, m.entity_id, m.details,
                   coalesce(r.read_at, now()) AS read_at
              FROM target t JOIN inbox_messages m ON m.id = t.id
              LEFT JOIN inbox_reads r ON r.message_id = m.id AND r.user_id = $1
            """, Self.reader(principal) + [id])
        guard let row = rows.first else { throw StoreError.notFound(entity: .inboxMessage, id: String(id)) }
        return try InboxMessage(row: row)
    }

    /// Marks every message the reader has not read as read; returns how many.
    @discardableResult
    public func markAllRead(by principal: Principal) async throws -> Int {
        try principal.authorize(.readInbox)
        return try await client.query(
            """
            INSERT INTO inbox_reads (message_id, user_id)
            SELECT m.id, $1 FROM inbox_messages m WHERE \(Self.addressed)
            ON CONFLICT (user_id, message_id) DO NOTHING RETURNING 1
            """, Self.reader(principal)
        ).count
    }

    /// `$1`–`$4` of every query: the reader's id, role, region prefix and charity.
    private static func reader(_ principal: Principal) -> [(any PostgresEncodable)?] {
        [principal.userID, principal.role.rawValue, principal.regionLimit?.prefix, principal.charityID]
    }

    private static let addressed = Inbox.addressedTo(
        user: "$1::bigint", role: "$2::text", prefix: "$3::text", charity: "$4::bigint")
}
