import Foundation
import Matching
import Postgres

/// What a user may do, and so which scope the account carries.
public enum UserRole: String, Sendable, Codable, CaseIterable {
    /// Everything; no scope.
    case admin
    /// A region (may be a whole city or province).
    case coordinator
    /// One region.
    case caseworker
    /// Staff of one charity.
    case charity
}

/// An account as stored.
public struct UserRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var login: String
    public var name: String
    public var role: UserRole
    /// Coordinators and caseworkers: the region whose scope they work in.
    public var regionCode: String?
    /// Charity staff: their charity.
    public var charityID: Int64?
    public var createdAt: Date
    public var disabledAt: Date?
    /// Whether the account can sign in with a password (the hash itself never leaves the Store).
    public var hasPassword: Bool
    /// The next sign-in must choose a new password (an administrator set this one).
    public var mustChangePassword: Bool
    /// Wrong passwords locked the account until then (may lie in the past: the lock is over).
    public var lockedUntil: Date?

    static let columns = """
        id, login, name, role, region_code, charity_id, created_at, disabled_at,
        password_hash IS NOT NULL AS has_password, password_must_change, locked_until
        """

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        login = try row.decode(String.self, "login")
        name = try row.decode(String.self, "name")
        role = try row.decodeCode(UserRole.self, "role")
        regionCode = try row.decode(String?.self, "region_code")
        charityID = try row.decode(Int64?.self, "charity_id")
        createdAt = try row.decode(Date.self, "created_at")
        disabledAt = try row.decode(Date?.self, "disabled_at")
        hasPassword = try row.decode(Bool.self, "has_password")
        mustChangePassword = try row.decode(Bool.self, "password_must_change")
        lockedUntil = try row.decode(Date?.self, "locked_until")
    }
}

/// Accounts, created and disabled by admins (never deleted: decisions and the audit trail
/// refer to them). Each write is one transaction with one `audit_log` row.
public struct UserRepository: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Creates an account. The scope must fit the role, as the schema demands: an admin has
    /// none, charity staff a charity, coordinators and caseworkers a region. With a
    /// `password` (which must pass ``PasswordRule``) the account can sign in at once; an
    /// initial password the person did not choose should be `mustChangePassword`.
    public func create(
        login: String, name: String, role: UserRole, regionCode: String? = nil, charityID: Int64? = nil,
        password: String? = nil, mustChangePassword: Bool = true, by actor: Actor
    ) async throws -> UserRecord {
        let login = login.trimmingBlanks()
        let valid =
            (2...64).contains(login.count) && login.first.map { $0.isASCII && ($0.isLowercase || $0.isNumber) } == true
            && login.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || "._-".contains($0)) }
        guard valid else {
            throw StoreError.invalid(
                field: "login",
                reason: "must be 2–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
        }
        let name = try requiredText(name, field: "name", maxLength: 100)
        switch role {
        case .admin:
            if regionCode != nil { throw StoreError.invalid(field: "region_code", reason: "an admin has no region") }
            if charityID != nil { throw StoreError.invalid(field: "charity_id", reason: "an admin has no charity") }
        case .charity:
            if regionCode != nil {
                throw StoreError.invalid(field: "region_code", reason: "charity staff have no region")
            }
            if charityID == nil {
                throw StoreError.invalid(field: "charity_id", reason: "is required for charity staff")
            }
        case .coordinator, .caseworker:
            guard let regionCode else {
                throw StoreError.invalid(field: "region_code", reason: "is required for \(role.rawValue)s")
            }
            if RegionCode(regionCode) == nil {
                throw StoreError.invalid(field: "region_code", reason: "\(regionCode) is not a 12-digit region code")
            }
            if charityID != nil {
                throw StoreError.invalid(field: "charity_id", reason: "only charity staff have a charity")
            }
        }
        if let password { try PasswordRule.check(password, login: login) }
        let hash = try await PasswordHash.make(password)
        let violations: [String: StoreError] = [
            "users_login_key": .conflict(.taken(.login, value: login)),
            "users_region_code_fkey": .invalid(field: "region_code", reason: "unknown region code"),
            "users_charity_id_fkey": .invalid(field: "charity_id", reason: "unknown charity"),
        ]
        return try await client.withTransaction { connection in
            let rows = try mappingViolations(violations) {
                try connection.query(
                    """
                    INSERT INTO users (login, name, role, region_code, charity_id, password_hash, password_set_at,
                                       password_must_change)
                    VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6::text IS NOT NULL THEN now() END, $7)
                    RETURNING \(UserRecord.columns)
                    """,
                    [
                        login, name, role.rawValue, regionCode, charityID, hash?.encoded,
                        hash != nil && mustChangePassword,
                    ] as [(any PostgresEncodable)?])
            }
            let record = try UserRecord(row: rows[0])
            try AuditTrail.record(
                on: connection, actor: actor, action: "user.create", entityType: "user", entityID: String(record.id),
                details: ["login": login, "role": role.rawValue])
            return record
        }
    }

    /// The account with this login, or nil.
    public func user(login: String) async throws -> UserRecord? {
        try await client.query("SELECT \(UserRecord.columns) FROM users WHERE login = $1", [login])
            .first.map(UserRecord.init(row:))
    }

    /// The account, or nil.
    public func user(id: Int64) async throws -> UserRecord? {
        try await client.query("SELECT \(UserRecord.columns) FROM users WHERE id = $1", [id])
            .first.map(UserRecord.init(row:))
    }

    /// Accounts by id.
    public func list(page: PageRequest<Int64> = PageRequest()) async throws -> Page<UserRecord, Int64> {
        let limit = try page.validatedLimit()
        let rows = try await client.query(
            "SELECT \(UserRecord.columns) FROM users WHERE id > $1 ORDER BY id LIMIT $2", [page.after ?? 0, limit + 1])
        return Page(fetched: try rows.map(UserRecord.init(row:)), limit: limit) { $0.id }
    }

    /// Disables the account; its tokens stop authenticating at once.
    public func disable(user id: Int64, by actor: Actor) async throws -> UserRecord {
        try await client.withTransaction { connection in
            let rows = try connection.query("SELECT disabled_at FROM users WHERE id = $1 FOR UPDATE", [id])
            guard let row = rows.first else { throw StoreError.notFound(entity: .user, id: String(id)) }
            guard try row.decode(Date?.self, "disabled_at") == nil else {
                throw StoreError.invalidTransition(entity: .user, id: String(id), from: "disabled", action: "disabled")
            }
            let updated = try connection.query(
                "UPDATE users SET disabled_at = now() WHERE id = $1 RETURNING \(UserRecord.columns)", [id])
            try AuditTrail.record(
                on: connection, actor: actor, action: "user.disable", entityType: "user", entityID: String(id))
            return try UserRecord(row: updated[0])
        }
    }
}
