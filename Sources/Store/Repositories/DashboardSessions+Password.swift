import Foundation
import Postgres

/// How a password sign-in ended.
public enum PasswordSignIn: Sendable {
    /// A new session, with the secret for the cookie.
    case signedIn(secret: String, session: DashboardSession)
    /// The password was right, but an administrator set it: the person must choose their
    /// own before a session opens (``DashboardSessions/open(login:password:newPassword:lifetime:)``).
    case mustChangePassword
    /// No session: an unknown login, a wrong password, a disabled or locked account, or an
    /// account without a password. One answer for all, so the page cannot tell anyone which
    /// logins exist.
    case refused
}

extension DashboardSessions {
    /// Signs in with a login and a password. Wrong passwords are counted on the account in
    /// the database, so the lockout holds across processes: ``PasswordRule/failuresBeforeLockout``
    /// in a row lock it for ``PasswordRule/lockout``, during which even the right password
    /// is refused. A success clears the count.
    public func open(login: String, password: String, lifetime: Duration) async throws -> PasswordSignIn {
        guard let account = try await verified(login: login, password: password) else { return .refused }
        guard !account.mustChange else { return .mustChangePassword }
        return try await openSession(for: account.id, lifetime: lifetime)
    }

    /// Signs in with the current password and replaces it by `newPassword` (which must pass
    /// ``PasswordRule`` and differ from the current one), ending the account's other password
    /// sessions. A wrong current password counts towards the lockout as any sign-in does.
    public func open(
        login: String, password: String, newPassword: String, lifetime: Duration
    ) async throws -> PasswordSignIn {
        guard let account = try await verified(login: login, password: password) else { return .refused }
        try PasswordRule.check(newPassword, login: account.login, field: "new_password")
        guard newPassword != password else {
            throw StoreError.invalid(field: "new_password", reason: "must differ from the current password")
        }
        let hash = try await PasswordHash.make(newPassword)
        let changed = try await client.withTransaction { connection in
            let rows = try connection.query(
                """
                UPDATE users SET password_hash = $2, password_set_at = now(), password_must_change = false
                 WHERE id = $1 AND password_hash = $3 AND disabled_at IS NULL RETURNING id
                """, [account.id, hash.encoded, account.hash.encoded])
            guard !rows.isEmpty else { return false }
            try connection.query("DELETE FROM dashboard_sessions WHERE user_id = $1", [account.id])
            try AuditTrail.record(
                on: connection, actor: Actor(userID: account.id), action: "user.password_change", entityType: "user",
                entityID: String(account.id))
            return true
        }
        // An administrator set another password meanwhile: theirs stands.
        guard changed else { return .refused }
        return try await openSession(for: account.id, lifetime: lifetime)
    }

    /// The account whose password this is, after the lockout's bookkeeping; nil otherwise.
    private func verified(login: String, password: String) async throws -> VerifiedAccount? {
        let login = login.trimmingBlanks().lowercased()
        let rows = try await client.query(
            """
            SELECT id, login, password_hash, password_must_change FROM users
             WHERE login = $1 AND disabled_at IS NULL AND password_hash IS NOT NULL
               AND (locked_until IS NULL OR locked_until <= now())
            """, [login])
        // Past the longest password there is nothing to verify, but as long to wait.
        let candidate = password.count <= PasswordRule.maximumLength ? password : ""
        guard let row = rows.first, candidate == password else {
            _ = try await PasswordHash.decoy.verify(candidate)
            return nil
        }
        let id = try row.decode(Int64.self, "id")
        let hash = PasswordHash(encoded: try row.decode(String.self, "password_hash"))
        guard try await hash.verify(password) else {
            try await countFailure(of: id)
            return nil
        }
        // Locked by a concurrent failure meanwhile: the lock wins.
        let cleared = try await client.query(
            """
            UPDATE users SET failed_sign_ins = 0, locked_until = NULL
             WHERE id = $1 AND disabled_at IS NULL AND (locked_until IS NULL OR locked_until <= now())
            RETURNING id
            """, [id])
        guard !cleared.isEmpty else { return nil }
        return VerifiedAccount(
            id: id, login: try row.decode(String.self, "login"), hash: hash,
            mustChange: try row.decode(Bool.self, "password_must_change"))
    }

    /// One more wrong password; the last allowed one locks the account (and starts the count
    /// afresh for when the lock ends), with a row in the audit trail.
    private func countFailure(of id: Int64) async throws {
        try await client.withTransaction { connection in
            let rows = try connection.query(
                """
                UPDATE users
                   SET failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= $2 THEN 0 ELSE failed_sign_ins + 1 END,
                       locked_until = CASE WHEN failed_sign_ins + 1 >= $2
                                           THEN now() + make_interval(secs => $3::integer) END
                 WHERE id = $1 AND (locked_until IS NULL OR locked_until <= now())
                RETURNING locked_until IS NOT NULL AS locked
                """,
                [id, PasswordRule.failuresBeforeLockout, Int(PasswordRule.lockout.components.seconds)])
            guard let row = rows.first, try row.decode(Bool.self, "locked") else { return }
            try AuditTrail.record(
                on: connection, actor: .system, action: "user.lock", entityType: "user", entityID: String(id),
                details: ["failures": PasswordRule.failuresBeforeLockout])
        }
    }

    private func openSession(for user: Int64, lifetime: Duration) async throws -> PasswordSignIn {
        let secret = Self.randomText()
        try await client.query(
            """
            INSERT INTO dashboard_sessions (secret_hash, user_id, csrf_token, expires_at)
            VALUES ($1, $2, $3, now() + make_interval(secs => $4::integer))
            """, [TokenRepository.hash(secret), user, Self.randomText(), Int(lifetime.components.seconds)])
        guard let session = try await session(secret: secret) else { return .refused }
        return .signedIn(secret: secret, session: session)
    }
}

/// An account whose password was just verified.
private struct VerifiedAccount {
    var id: Int64
    var login: String
    var hash: PasswordHash
    var mustChange: Bool
}
