import Foundation
import Postgres

/// What a write that carried an `Idempotency-Key` did: the entity it created or changed.
/// A retry is answered by reading that entity again, as the caller may see it now.
public struct IdempotencyOutcome: Sendable, Equatable {
    /// nil when the write answers with no entity (feedback).
    public var entity: EntityKind?
    public var id: Int64?
    /// Whether the write created the entity (rather than changing it).
    public var created: Bool

    public init(entity: EntityKind?, id: Int64?, created: Bool) {
        self.entity = entity
        self.id = id
        self.created = created
    }
}

/// An `Idempotency-Key` as a write carries it into the Store: an explicit argument of every
/// Store call that has an effect worth protecting, claimed and completed inside that call's
/// own transaction (``begin(on:)``, ``complete(_:on:)``).
///
/// The key row is inserted first, so a duplicate racing the original waits on the key's
/// unique index until the original commits, then finds the outcome and replays it instead
/// of repeating the effect; if the original rolls back, the duplicate goes ahead. The row
/// holds no answer, only the outcome, so it keeps no personal data, and since it commits
/// with the effect, a committed effect always has a completed key.
public struct IdempotencyClaim: Sendable, Equatable {
    public var user: Int64
    public var key: String
    /// SHA-256 of what makes two requests the same (method, path, body).
    public var requestHash: Data

    public init(user: Int64, key: String, requestHash: Data) {
        self.user = user
        self.key = key
        self.requestHash = requestHash
    }

    /// Claims the key inside the effect's transaction, before the effect. A key already used
    /// for this request throws ``StoreError/idempotentReplay(_:)`` with its outcome (the
    /// effect must not run again), one used for another request
    /// ``StoreError/idempotencyKeyReused``.
    func begin(on connection: PostgresConnection) throws {
        let claimed = try connection.query(
            """
            INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3)
            ON CONFLICT (user_id, key) DO NOTHING RETURNING 1
            """, [user, key, requestHash])
        guard claimed.isEmpty else { return }
        switch try IdempotencyKeys.lookup(self, on: connection) {
        case .replay(let outcome): throw StoreError.idempotentReplay(outcome)
        case .reusedForAnotherRequest: throw StoreError.idempotencyKeyReused
        case .unused:
            throw StoreError.conflict(.changedMeanwhile("the idempotency key vanished while it was claimed; retry"))
        }
    }

    /// Records the outcome, in the same transaction as the effect.
    func complete(_ outcome: IdempotencyOutcome, on connection: PostgresConnection) throws {
        try connection.query(
            """
            UPDATE idempotency_keys SET outcome_entity = $3, outcome_id = $4, outcome_created = $5, completed_at = now()
             WHERE user_id = $1 AND key = $2
            """, [user, key, outcome.entity?.rawValue, outcome.id, outcome.created])
    }
}

/// The keys' lookups and their housekeeping.
public struct IdempotencyKeys: Sendable {
    /// What a key means for a request arriving now.
    public enum Lookup: Sendable, Equatable {
        /// Never used: go ahead.
        case unused
        /// Done before for the same request: answer with this outcome, read afresh.
        case replay(IdempotencyOutcome)
        /// Used before for a different request.
        case reusedForAnotherRequest
    }

    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// What `claim`'s key means now; a key is only ever seen complete.
    public func lookup(_ claim: IdempotencyClaim) async throws -> Lookup {
        try await client.withConnection { try Self.lookup(claim, on: $0) }
    }

    static func lookup(_ claim: IdempotencyClaim, on connection: PostgresConnection) throws -> Lookup {
        let rows = try connection.query(
            """
            SELECT request_hash, outcome_entity, outcome_id, outcome_created
              FROM idempotency_keys WHERE user_id = $1 AND key = $2
            """, [claim.user, claim.key])
        guard let row = rows.first else { return .unused }
        guard try row.decode(Data.self, "request_hash") == claim.requestHash else { return .reusedForAnotherRequest }
        return .replay(
            IdempotencyOutcome(
                entity: try row.decode(String?.self, "outcome_entity").flatMap(EntityKind.init),
                id: try row.decode(Int64?.self, "outcome_id"), created: try row.decode(Bool.self, "outcome_created")))
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
