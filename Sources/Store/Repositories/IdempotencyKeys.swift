import Foundation
import Postgres

/// The replay store behind `Idempotency-Key`: a retried write gets the first answer back
/// instead of doing the work twice.
///
/// The key row is written inside the effect's own transaction (through a
/// ``TransactionAttachment``), so the effect and the key commit or vanish together, and a
/// duplicate racing the original blocks on the key's unique index until the original
/// commits, then collides instead of repeating the effect. The response is stored right
/// after the effect commits; between the two the key reads as in flight.
public struct IdempotencyKeys: Sendable {
    /// A stored answer, replayed byte for byte.
    public struct StoredResponse: Sendable, Equatable {
        public var status: Int
        public var contentType: String?
        public var body: [UInt8]

        public init(status: Int, contentType: String?, body: [UInt8]) {
            self.status = status
            self.contentType = contentType
            self.body = body
        }
    }

    /// What a key means for a request arriving now.
    public enum Lookup: Sendable, Equatable {
        /// Never used: go ahead.
        case unused
        /// Done before for the same request: send this again.
        case replay(StoredResponse)
        /// The same request is being processed right now.
        case inFlight
        /// Used before for a different request.
        case reusedForAnotherRequest
    }

    /// Another request with the same key committed first.
    public struct Collision: Error, Sendable {}

    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    public func lookup(user: Int64, key: String, requestHash: Data) async throws -> Lookup {
        let rows = try await client.query(
            """
            SELECT request_hash, response_status, response_content_type, response_body
              FROM idempotency_keys WHERE user_id = $1 AND key = $2
            """, [user, key])
        guard let row = rows.first else { return .unused }
        guard try row.decode(Data.self, "request_hash") == requestHash else { return .reusedForAnotherRequest }
        guard let status = try row.decode(Int?.self, "response_status") else { return .inFlight }
        return .replay(
            StoredResponse(
                status: status, contentType: try row.decode(String?.self, "response_content_type"),
                body: [UInt8](try row.decode(Data?.self, "response_body") ?? Data())))
    }

    /// The attachment that claims the key inside the effect's transaction; that transaction
    /// fails with ``Collision`` when another request claimed it first.
    public func claim(user: Int64, key: String, requestHash: Data) -> TransactionAttachment {
        TransactionAttachment { connection in
            do {
                try connection.query(
                    "INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3)",
                    [user, key, requestHash])
            } catch let error as PostgresError where error.sqlState == .uniqueViolation {
                throw Collision()
            }
        }
    }

    /// Stores the answer of a successful request. A key its effect did not claim (the work
    /// ran outside ``PostgresClient/withTransaction(isolation:maxAttempts:_:)``) is inserted
    /// complete instead, unless another request took it meanwhile.
    public func complete(user: Int64, key: String, requestHash: Data, response: StoredResponse) async throws {
        try await client.query(
            """
            INSERT INTO idempotency_keys
                   (user_id, key, request_hash, response_status, response_content_type, response_body, completed_at)
            VALUES ($1, $2, $3, $4, $5, $6, now())
            ON CONFLICT (user_id, key) DO UPDATE
               SET response_status = EXCLUDED.response_status,
                   response_content_type = EXCLUDED.response_content_type,
                   response_body = EXCLUDED.response_body, completed_at = EXCLUDED.completed_at
             WHERE idempotency_keys.completed_at IS NULL AND idempotency_keys.request_hash = EXCLUDED.request_hash
            """,
            [user, key, requestHash, response.status, response.contentType, Data(response.body)])
    }

    /// Forgets keys older than `age` (clients retry within minutes, not days); returns how many.
    @discardableResult
    public func purge(olderThan age: Duration) async throws -> Int {
        let seconds = Int(age.components.seconds)
        return try await client.query(
            "DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1::integer) RETURNING 1",
            [seconds]
        ).count
    }
}
