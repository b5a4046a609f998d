import Foundation
import Matching
import Postgres

/// Versioned weight policies: a change is always a new version, and one version per name is
/// active (the one runs use).
public struct WeightPolicyRepository: Sendable {
    /// A policy as stored: its row id and the validated weights.
    public struct Stored: Sendable, Equatable {
        public var id: Int64
        public var policy: WeightPolicy
        public var active: Bool
        public var createdAt: Date
    }

    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Every version of every policy, newest first within a name.
    public func list() async throws -> [Stored] {
        try await client.query(
            "SELECT id, name, version, weights, active, created_at FROM weight_policies ORDER BY name, version DESC"
        ).map(Self.stored(from:))
    }

    /// Stores `weights` as the next version of `name` and makes it the active one.
    public func publish(
        name: String, weights: [ScoreFactor: Double], description: String?, by actor: Actor
    )
        async throws -> Stored
    {
        _ = try Self.validated(name: name, version: 1, weights: weights)
        let json = String(decoding: try JSONEncoder.audit.encode(weights), as: UTF8.self)
        return try await client.withTransaction { connection in
            try connection.query("SELECT pg_advisory_xact_lock(hashtext('weight_policies:' || $1))", [name])
            try connection.query("UPDATE weight_policies SET active = false WHERE name = $1 AND active", [name])
            let row = try connection.query(
                """
                INSERT INTO weight_policies (name, version, weights, description, created_by, active)
                SELECT $1, coalesce(max(version), 0) + 1, $2::jsonb, $3, $4, true
                  FROM weight_policies WHERE name = $1
                RETURNING id, name, version, weights, active, created_at
                """,
                [name, json, description, actor.userID])[0]
            let stored = try Self.stored(from: row)
            try AuditTrail.record(
                on: connection, actor: actor, action: "weight_policy.publish", entityType: "weight_policy",
                entityID: String(stored.id), details: ["name": name, "version": String(stored.policy.version)])
            return stored
        }
    }

    /// The active version of `name`, inside the caller's transaction.
    static func active(named name: String, on connection: PostgresConnection) throws -> Stored {
        let rows = try connection.query(
            "SELECT id, name, version, weights, active, created_at FROM weight_policies WHERE name = $1 AND active",
            [name])
        guard let row = rows.first else { throw StoreError.notFound(entity: "weight policy", id: name) }
        return try stored(from: row)
    }

    private static func stored(from row: PostgresRow) throws -> Stored {
        let raw = try row.decodeJSON([String: Double].self, "weights")
        var weights: [ScoreFactor: Double] = [:]
        for (key, value) in raw {
            guard let factor = ScoreFactor(rawValue: key) else {
                throw StoreError.invalid(field: "weights", reason: "unknown factor \(key)")
            }
            weights[factor] = value
        }
        return Stored(
            id: try row.decode(Int64.self, "id"),
            policy: try validated(
                name: try row.decode(String.self, "name"), version: try row.decode(Int.self, "version"),
                weights: weights),
            active: try row.decode(Bool.self, "active"), createdAt: try row.decode(Date.self, "created_at"))
    }

    private static func validated(name: String, version: Int, weights: [ScoreFactor: Double]) throws -> WeightPolicy {
        try checkName(name)
        do {
            return try WeightPolicy(name: name, version: version, weights: weights)
        } catch {
            throw StoreError.invalid(field: "weights", reason: error.description)
        }
    }
}
