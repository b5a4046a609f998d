import Crypto
import Foundation
import Matching
import Postgres

/// A signed-in dashboard user: who, and the CSRF token their forms must carry.
public struct DashboardSession: Sendable, Equatable {
    public var principal: Principal
    public var csrfToken: String
    /// The signed-in person's name, for the header: people recognise names, not logins.
    public var personName: String
    /// The name of the region or charity the person works for (nil for an administrator).
    public var placeName: String?
    /// Messages in the person's inbox they have not read, for the header's link.
    public var unreadMessages: Int

    public init(
        principal: Principal, csrfToken: String, personName: String, placeName: String?, unreadMessages: Int = 0
    ) {
        self.principal = principal
        self.csrfToken = csrfToken
        self.personName = personName
        self.placeName = placeName
        self.unreadMessages = unreadMessages
    }
}

/// Dashboard sign-in: a login and password (see ``open(login:password:lifetime:)``) or a
/// bearer token is exchanged once for a session whose secret travels in an HttpOnly cookie.
/// Only the secret's SHA-256 is stored. A session is alive only while its account is
/// enabled, and one opened with a token only while that token is (not revoked, not
/// expired), so revoking a token signs its holder out everywhere.
public struct DashboardSessions: Sendable {
    let client: PostgresClient
    private let tokens: TokenRepository

    public init(client: PostgresClient) {
        self.client = client
        tokens = TokenRepository(client: client)
    }

    /// A new session for a live token, with the secret for the cookie; nil for any token
    /// that does not authenticate, with no hint why.
    public func open(token: String, lifetime: Duration) async throws -> (secret: String, session: DashboardSession)? {
        guard let principal = try await tokens.authenticate(token: token) else { return nil }
        let secret = Self.randomText()
        let csrf = Self.randomText()
        let seconds = Int(lifetime.components.seconds)
        try await client.query(
            """
            INSERT INTO dashboard_sessions (secret_hash, token_id, csrf_token, expires_at)
            SELECT $1, t.id, $3, least(now() + make_interval(secs => $4::integer), coalesce(t.expires_at, 'infinity'))
              FROM api_tokens t WHERE t.id = $2
            """, [TokenRepository.hash(secret), principal.tokenID, csrf, seconds])
        guard let session = try await session(secret: secret) else { return nil }
        return (secret, session)
    }

    /// The session a cookie's secret names, while it and its token are alive.
    public func session(secret: String) async throws -> DashboardSession? {
        guard secret.utf8.count == 43 else { return nil }
        let rows = try await client.query(
            """
            SELECT s.csrf_token, t.id AS token_id, u.id AS user_id, u.role, u.region_code, u.charity_id,
                   u.name AS person_name, coalesce(r.name, c.name) AS place_name,
                   (SELECT count(*) FROM inbox_messages m
                     WHERE \(Self.unreadFor)) AS unread_messages
              FROM dashboard_sessions s
              LEFT JOIN api_tokens t ON t.id = s.token_id
              JOIN users u ON u.id = coalesce(s.user_id, t.user_id)
              LEFT JOIN regions r ON r.code = u.region_code
              LEFT JOIN charities c ON c.id = u.charity_id
             WHERE s.secret_hash = $1 AND s.expires_at > now() AND u.disabled_at IS NULL
               AND (s.token_id IS NULL OR (t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())))
            """, [TokenRepository.hash(secret)])
        guard let row = rows.first else { return nil }
        let region = try row.decode(String?.self, "region_code")
        let principal = Principal(
            userID: try row.decode(Int64.self, "user_id"), tokenID: try row.decode(Int64?.self, "token_id"),
            role: try row.decodeCode(UserRole.self, "role"), regionScope: region.flatMap(RegionCode.init)?.scope,
            charityID: try row.decode(Int64?.self, "charity_id"))
        return DashboardSession(
            principal: principal, csrfToken: try row.decode(String.self, "csrf_token"),
            personName: try row.decode(String.self, "person_name"),
            placeName: try row.decode(String?.self, "place_name"),
            unreadMessages: Int(try row.decode(Int64.self, "unread_messages")))
    }

    /// Message `m` is for the session's person `u` (their region `r`) and unread by them.
    private static let unreadFor = """
        \(Inbox.addressedTo(user: "u.id", role: "u.role", prefix: "r.scope_prefix", charity: "u.charity_id"))
        AND NOT EXISTS (SELECT 1 FROM inbox_reads ir WHERE ir.message_id = m.id AND ir.user_id = u.id)
        """

    /// Ends the session (signing out); unknown secrets are ignored.
    public func close(secret: String) async throws {
        try await client.query(
            "DELETE FROM dashboard_sessions WHERE secret_hash = $1", [TokenRepository.hash(secret)])
    }

    /// Forgets sessions that ended; returns how many.
    @discardableResult
    public func purgeExpired() async throws -> Int {
        try await client.query("DELETE FROM dashboard_sessions WHERE expires_at <= now() RETURNING 1").count
    }

    /// A random secret for a form or cookie that is not tied to a session yet (the sign-in
    /// form's double-submit token): 43 characters.
    public static func freshSecret() -> String { randomText() }

    /// 32 random bytes, base64url without padding: 43 characters.
    static func randomText() -> String {
        TokenRepository.base64URL(SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) })
    }
}
