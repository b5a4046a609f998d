import Crypto
import Foundation
import Matching
import Postgres

/// Who a bearer token speaks for, as the HTTP layer needs it for every object-level check.
public struct Principal: Sendable, Equatable {
    public var userID: Int64
    /// The bearer token presented; nil for a dashboard session opened with a password.
    public var tokenID: Int64?
    public var role: UserRole
    /// Coordinators and caseworkers: the scope of their region.
    public var regionScope: RegionScope?
    /// Charity staff: their charity.
    public var charityID: Int64?

    /// The actor for decisions and the audit trail.
    public var actor: Actor { Actor(userID: userID) }

    public init(userID: Int64, tokenID: Int64?, role: UserRole, regionScope: RegionScope?, charityID: Int64?) {
        self.userID = userID
        self.tokenID = tokenID
        self.role = role
        self.regionScope = regionScope
        self.charityID = charityID
    }
}

/// A token's stored facts; never the token itself.
public struct TokenRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var userID: Int64
    public var label: String?
    public var createdAt: Date
    public var expiresAt: Date?
    public var revokedAt: Date?
    public var lastUsedAt: Date?

    static let columns = "id, user_id, label, created_at, expires_at, revoked_at, last_used_at"

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        userID = try row.decode(Int64.self, "user_id")
        label = try row.decode(String?.self, "label")
        createdAt = try row.decode(Date.self, "created_at")
        expiresAt = try row.decode(Date?.self, "expires_at")
        revokedAt = try row.decode(Date?.self, "revoked_at")
        lastUsedAt = try row.decode(Date?.self, "last_used_at")
    }
}

/// A token just issued: the only time its text exists outside the holder's hands.
public struct IssuedToken: Sendable {
    /// `cm_` and 43 base64url characters (32 random bytes). Show it once; it cannot be read back.
    public var plaintext: String
    public var record: TokenRecord
}

/// Bearer tokens, stored only as SHA-256: a stolen table lets no one in, and lookup is one
/// probe of the unique hash index. 32 random bytes make guessing hopeless, so a fast hash
/// is enough (unlike ID numbers, which need a peppered HMAC).
public struct TokenRepository: Sendable {
    /// Marks our tokens, so secret scanners and people can recognise a leaked one.
    public static let prefix = "cm_"

    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Issues a token for an enabled user; `expiresAt` (if any) must be in the future.
    public func issueToken(
        for user: Int64, label: String?, expiresAt: Date?, by actor: Actor
    ) async throws
        -> IssuedToken
    {
        let label = try optionalText(label, field: "label", maxLength: 100)
        if let expiresAt, expiresAt <= Date() {
            throw StoreError.invalid(field: "expires_at", reason: "must be in the future")
        }
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        let plaintext = Self.prefix + Self.base64URL(secret)
        let hash = Self.hash(plaintext)
        return try await client.withTransaction { connection in
            let users = try connection.query("SELECT disabled_at FROM users WHERE id = $1 FOR KEY SHARE", [user])
            guard let row = users.first else { throw StoreError.notFound(entity: .user, id: String(user)) }
            guard try row.decode(Date?.self, "disabled_at") == nil else {
                throw StoreError.conflict(.notActive(.user, id: user, status: "disabled"))
            }
            let rows = try connection.query(
                """
                INSERT INTO api_tokens (user_id, token_hash, label, expires_at) VALUES ($1, $2, $3, $4)
                RETURNING \(TokenRecord.columns)
                """, [user, hash, label, expiresAt])
            let record = try TokenRecord(row: rows[0])
            try AuditTrail.record(
                on: connection, actor: actor, action: "token.issue", entityType: "api_token",
                entityID: String(record.id), details: ["user": user])
            return IssuedToken(plaintext: plaintext, record: record)
        }
    }

    /// The principal of a live token (not revoked, not expired, user not disabled), noting
    /// its use; nil for anything else, with no hint of which check failed.
    ///
    /// The last use is noted to the minute: writing it on every request made every request
    /// a write, and all requests of one token queue on that one row.
    public func authenticate(token: String) async throws -> Principal? {
        guard token.hasPrefix(Self.prefix), token.utf8.count == Self.prefix.utf8.count + 43 else { return nil }
        let rows = try await client.query(
            """
            WITH live AS (
                SELECT t.id, t.last_used_at, u.id AS user_id, u.role, u.region_code, u.charity_id
                  FROM api_tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL
                   AND (t.expires_at IS NULL OR t.expires_at > now()) AND u.disabled_at IS NULL),
            noted AS (
                UPDATE api_tokens SET last_used_at = now()
                 WHERE id IN (SELECT id FROM live
                               WHERE last_used_at IS NULL OR last_used_at < now() - interval '1 minute'))
            SELECT id, user_id, role, region_code, charity_id FROM live
            """, [Self.hash(token)])
        guard let row = rows.first else { return nil }
        let region = try row.decode(String?.self, "region_code")
        return Principal(
            userID: try row.decode(Int64.self, "user_id"), tokenID: try row.decode(Int64.self, "id"),
            role: try row.decodeCode(UserRole.self, "role"), regionScope: region.flatMap(RegionCode.init)?.scope,
            charityID: try row.decode(Int64?.self, "charity_id"))
    }

    /// The user's tokens, newest first, without their text.
    public func tokens(of user: Int64) async throws -> [TokenRecord] {
        try await client.query(
            "SELECT \(TokenRecord.columns) FROM api_tokens WHERE user_id = $1 ORDER BY id DESC", [user]
        ).map(TokenRecord.init(row:))
    }

    /// Revokes a token now; `user` restricts it to that user's tokens (another's looks missing).
    public func revoke(token id: Int64, of user: Int64? = nil, by actor: Actor) async throws -> TokenRecord {
        try await client.withTransaction { connection in
            let rows = try connection.query(
                """
                SELECT revoked_at FROM api_tokens WHERE id = $1 AND ($2::bigint IS NULL OR user_id = $2::bigint)
                   FOR UPDATE
                """, [id, user])
            guard let row = rows.first else { throw StoreError.notFound(entity: .apiToken, id: String(id)) }
            guard try row.decode(Date?.self, "revoked_at") == nil else {
                throw StoreError.invalidTransition(
                    entity: .apiToken, id: String(id), from: "revoked", action: "revoked")
            }
            let updated = try connection.query(
                "UPDATE api_tokens SET revoked_at = now() WHERE id = $1 RETURNING \(TokenRecord.columns)", [id])
            try AuditTrail.record(
                on: connection, actor: actor, action: "token.revoke", entityType: "api_token", entityID: String(id))
            return try TokenRecord(row: updated[0])
        }
    }

    static func hash(_ token: String) -> Data { Data(SHA256.hash(data: Array(token.utf8))) }

    /// RFC 4648 §5 without padding.
    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
