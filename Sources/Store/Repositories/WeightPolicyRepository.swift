import Foundation
import Matching
import Postgres

/// Versioned weight policies, each belonging to a region: a change is always a new version,
/// and one version per name and region is active.
///
/// The national default (``Stored/region`` nil) applies everywhere; a province, prefecture
/// or county may publish its own version of a name, which then applies to the runs and
/// candidate lists inside it: the active version of the nearest enclosing region wins
/// (``active(named:for:on:)``). Who may publish where is ``AccessPolicy/publishingScope(for:requested:)``.
public struct WeightPolicyRepository: Sendable {
    /// A policy as stored: its row id, the region it applies to and the validated weights.
    public struct Stored: Sendable, Equatable {
        public var id: Int64
        public var policy: WeightPolicy
        public var active: Bool
        public var createdAt: Date
        /// The region whose runs use it; nil for the national default.
        public var region: RegionScope?

        public init(id: Int64, policy: WeightPolicy, active: Bool, createdAt: Date, region: RegionScope? = nil) {
            self.id = id
            self.policy = policy
            self.active = active
            self.createdAt = createdAt
            self.region = region
        }
    }

    static let columns = "id, name, version, weights, active, created_at, region_prefix"

    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Every version of the policies that bear on `scope` (nil: all of them), newest first
    /// within a name and region: the national ones, those of the regions enclosing `scope`
    /// (which apply to it) and those of regions inside it.
    public func list(bearingOn scope: RegionScope? = nil) async throws -> [Stored] {
        try await client.query(
            """
            SELECT \(Self.columns) FROM weight_policies
             WHERE $1::text IS NULL OR $1::text LIKE region_prefix || '%' OR region_prefix LIKE $1::text || '%'
             ORDER BY name, region_prefix, version DESC
            """, [scope?.prefix]
        ).map(Self.stored(from:))
    }

    /// Stores `weights` as the next version of `name` for the region
    /// ``AccessPolicy/publishingScope(for:requested:)`` gives `principal` (their own unless
    /// they name one), and makes it the active version there.
    public func publish(
        name: String, weights: [ScoreFactor: Double], description: String?, region requested: RegionScope? = nil,
        by principal: Principal, idempotency: IdempotencyClaim? = nil
    )
        async throws -> Stored
    {
        let scope = try AccessPolicy.publishingScope(for: principal, requested: requested)
        return try await publish(
            name: name, weights: weights, description: description, region: scope, actor: principal.actor,
            idempotency: idempotency)
    }

    /// One version by its row id, if it bears on `scope` (nil: any).
    public func policy(id: Int64, bearingOn scope: RegionScope?) async throws -> Stored? {
        try await client.query(
            """
            SELECT \(Self.columns) FROM weight_policies
             WHERE id = $2 AND ($1::text IS NULL OR $1::text LIKE region_prefix || '%' OR region_prefix LIKE $1::text || '%')
            """, [scope?.prefix, id]
        ).first.map(Self.stored(from:))
    }

    /// The publication itself, for `region` (nil: national) on behalf of `actor`; the
    /// command line and the seed use it directly, as the system.
    public func publish(
        name: String, weights: [ScoreFactor: Double], description: String?, region: RegionScope?, actor: Actor,
        idempotency: IdempotencyClaim? = nil
    ) async throws -> Stored {
        _ = try Self.validated(name: name, version: 1, weights: weights)
        let json = String(decoding: try JSONEncoder.audit.encode(weights), as: UTF8.self)
        let prefix = region?.prefix ?? ""
        return try await client.withTransaction { connection in
            try idempotency?.begin(on: connection)
            try connection.query(
                "SELECT pg_advisory_xact_lock(hashtext('weight_policies:' || $1 || ':' || $2))", [name, prefix])
            try connection.query(
                "UPDATE weight_policies SET active = false WHERE name = $1 AND region_prefix = $2 AND active",
                [name, prefix])
            let row = try connection.query(
                """
                INSERT INTO weight_policies (name, version, weights, description, created_by, active, region_prefix)
                SELECT $1, coalesce(max(version), 0) + 1, $2::jsonb, $3, $4, true, $5
                  FROM weight_policies WHERE name = $1 AND region_prefix = $5
                RETURNING \(Self.columns)
                """,
                [name, json, description, actor.userID, prefix])[0]
            let stored = try Self.stored(from: row)
            try AuditTrail.record(
                on: connection, actor: actor, action: "weight_policy.publish", entityType: "weight_policy",
                entityID: String(stored.id),
                details: ["name": name, "version": String(stored.policy.version), "region": prefix])
            try idempotency?.complete(.init(entity: .weightPolicy, id: stored.id, created: true), on: connection)
            return stored
        }
    }

    /// The version of `name` that applies to `region` (nil: the national one), as runs
    /// there would use it.
    public func active(named name: String, for region: RegionCode?) async throws -> Stored {
        try await client.withConnection { connection in
            try Self.active(named: name, for: region, on: connection)
        }
    }

    /// The version of `name` that applies to `region`: the active one of the nearest region
    /// enclosing it, else the national one; inside the caller's transaction.
    static func active(
        named name: String, for region: RegionCode?, on connection: PostgresConnection
    ) throws
        -> Stored
    {
        let rows = try connection.query(
            """
            SELECT \(columns) FROM weight_policies
             WHERE name = $1 AND active AND $2 LIKE region_prefix || '%'
             ORDER BY length(region_prefix) DESC LIMIT 1
            """,
            [name, region?.digits ?? ""])
        guard let row = rows.first else { throw StoreError.notFound(entity: .weightPolicy, id: name) }
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
            active: try row.decode(Bool.self, "active"), createdAt: try row.decode(Date.self, "created_at"),
            region: RegionScope(prefix: try row.decode(String.self, "region_prefix")))
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
