import Foundation
import Postgres

/// An administrator's work on accounts: each call checks the caller's power through the
/// access policy first, so the dashboard and any later API route share one rule.
extension UserRepository {
    /// Creates an account on an administrator's behalf; see ``create(login:name:role:regionCode:charityID:password:mustChangePassword:by:)``.
    public func create(
        login: String, name: String, role: UserRole, regionCode: String?, charityID: Int64?, password: String?,
        mustChangePassword: Bool, by principal: Principal
    ) async throws -> UserRecord {
        try principal.authorize(.manageAccounts)
        return try await create(
            login: login, name: name, role: role, regionCode: regionCode, charityID: charityID, password: password,
            mustChangePassword: mustChangePassword, by: principal.actor)
    }

    /// Disables an account on an administrator's behalf; an administrator cannot disable
    /// their own (someone must be left to undo a mistake).
    public func disable(user id: Int64, by principal: Principal) async throws -> UserRecord {
        try principal.authorize(.manageAccounts)
        guard id != principal.userID else {
            throw StoreError.invalidTransition(entity: .user, id: String(id), from: "yours", action: "disabled")
        }
        return try await disable(user: id, by: principal.actor)
    }

    /// Sets or resets an account's password on an administrator's behalf.
    public func setPassword(
        user id: Int64, to password: String, mustChange: Bool, by principal: Principal
    ) async throws -> UserRecord {
        try principal.authorize(.manageAccounts)
        return try await setPassword(user: id, to: password, mustChange: mustChange, by: principal.actor)
    }

    /// Sets the password (which must pass ``PasswordRule``); with `mustChange` the next
    /// sign-in must choose a new one. Clears the failure count and any lockout, and ends the
    /// account's password sessions: whoever knew the old password is signed out. A disabled
    /// account is refused.
    public func setPassword(
        user id: Int64, to password: String, mustChange: Bool, by actor: Actor
    ) async throws
        -> UserRecord
    {
        guard let current = try await user(id: id) else { throw StoreError.notFound(entity: .user, id: String(id)) }
        try PasswordRule.check(password, login: current.login)
        let hash = try await PasswordHash.make(password)
        return try await client.withTransaction { connection in
            let rows = try connection.query(
                """
                UPDATE users SET password_hash = $2, password_set_at = now(), password_must_change = $3,
                       failed_sign_ins = 0, locked_until = NULL
                 WHERE id = $1 AND disabled_at IS NULL RETURNING \(UserRecord.columns)
                """, [id, hash.encoded, mustChange])
            guard let row = rows.first else {
                throw StoreError.conflict(.notActive(.user, id: id, status: "disabled"))
            }
            try connection.query("DELETE FROM dashboard_sessions WHERE user_id = $1", [id])
            try AuditTrail.record(
                on: connection, actor: actor, action: "user.password_set", entityType: "user", entityID: String(id),
                details: ["must_change": mustChange])
            return try UserRecord(row: row)
        }
    }

    /// Accounts by login for an administrator, with the total; `role` narrows to one role.
    public func accounts(
        role: UserRole? = nil, offset: Int = 0, limit: Int = 25, by principal: Principal
    ) async throws -> CountedPage<UserRecord> {
        try principal.authorize(.manageAccounts)
        let (offset, limit) = try CountedPage<UserRecord>.validated(offset: offset, limit: limit)
        let rows = try await client.query(
            """
            SELECT \(UserRecord.columns), count(*) OVER () AS total FROM users
             WHERE $1::text IS NULL OR role = $1::text ORDER BY login OFFSET $2 LIMIT $3
            """, [role?.rawValue, offset, limit])
        let items = try rows.map(UserRecord.init(row:))
        var total = try rows.first?.decode(Int.self, "total")
        if total == nil { total = try await count(role: role) }
        return CountedPage(items: items, total: total ?? 0, offset: offset, limit: limit)
    }

    /// Accounts of a role (all: nil), for a page past the end, which has no rows to count on.
    private func count(role: UserRole?) async throws -> Int {
        try await client.query(
            "SELECT count(*) AS n FROM users WHERE $1::text IS NULL OR role = $1::text", [role?.rawValue]
        )[0].decode(Int.self, "n")
    }
}
