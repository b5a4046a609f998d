import Foundation
import Matching
import Postgres
import Store
import Testing

@Suite("User and token repositories")
struct TokenRepositoryTests {
    @Test func usersCarryTheScopeTheirRoleDemands() async throws {
        try await RepositoryFixtures.with("users") { client in
            let users = UserRepository(client: client)
            let admin = try await users.create(login: "admin", name: "管理员", role: .admin, by: .system)
            #expect(admin.role == .admin && admin.regionCode == nil)
            let worker = try await users.create(
                login: "caseworker.1", name: "社工", role: .caseworker, regionCode: "320508000000",
                by: Actor(userID: admin.id))
            #expect(try await users.user(id: worker.id) == worker)
            #expect(try await RepositoryFixtures.audits(client, "user.create", worker.id) == 1)
            await #expect(throws: StoreError.invalid(field: "region_code", reason: "is required for coordinators")) {
                _ = try await users.create(login: "coord", name: "协调员", role: .coordinator, by: .system)
            }
            await #expect(throws: StoreError.invalid(field: "charity_id", reason: "is required for charity staff")) {
                _ = try await users.create(login: "staff", name: "员工", role: .charity, by: .system)
            }
            await #expect(throws: StoreError.invalid(field: "charity_id", reason: "unknown charity")) {
                _ = try await users.create(login: "staff", name: "员工", role: .charity, charityID: 999_999, by: .system)
            }
            await #expect(throws: StoreError.conflict(.taken(.login, value: "admin"))) {
                _ = try await users.create(login: "admin", name: "另一个", role: .admin, by: .system)
            }
            let disabled = try await users.disable(user: worker.id, by: Actor(userID: admin.id))
            #expect(disabled.disabledAt != nil)
            #expect(try await RepositoryFixtures.audits(client, "user.disable", worker.id) == 1)
        }
    }

    @Test func tokensAreStoredOnlyAsHashesAndStopWhenRevokedExpiredOrDisabled() async throws {
        try await RepositoryFixtures.with("tokens") { client in
            let users = UserRepository(client: client)
            let tokens = TokenRepository(client: client)
            let charity = try await client.query("SELECT min(id) AS id FROM charities")[0].decode(Int64.self, "id")
            let staff = try await users.create(
                login: "staff", name: "员工", role: .charity, charityID: charity, by: .system)
            let worker = try await users.create(
                login: "worker", name: "社工", role: .caseworker, regionCode: "320508000000", by: .system)

            let issued = try await tokens.issueToken(
                for: worker.id, label: "laptop", expiresAt: Date().addingTimeInterval(3600), by: .system)
            #expect(issued.plaintext.hasPrefix("cm_") && issued.plaintext.count == 46)
            #expect(try await RepositoryFixtures.audits(client, "token.issue", issued.record.id) == 1)
            let stored = try await SeededCounty.count(
                client,
                """
                SELECT count(*) FROM api_tokens
                 WHERE position(convert_to($1, 'UTF8') IN token_hash) > 0 OR coalesce(label, '') LIKE '%' || $1 || '%'
                    OR encode(token_hash, 'escape') LIKE '%' || $1 || '%'
                """, [issued.plaintext])
            #expect(stored == 0)
            let auditMentions = try await SeededCounty.count(
                client, "SELECT count(*) FROM audit_log WHERE details::text LIKE '%' || $1 || '%'",
                [String(issued.plaintext.dropFirst(3))])
            #expect(auditMentions == 0)

            let principal = try #require(try await tokens.authenticate(token: issued.plaintext))
            #expect(principal.userID == worker.id && principal.role == .caseworker)
            #expect(principal.regionScope == RepositoryFixtures.countyScope && principal.charityID == nil)
            #expect(try await tokens.tokens(of: worker.id).first?.lastUsedAt != nil)
            #expect(try await tokens.authenticate(token: issued.plaintext + "x") == nil)
            #expect(try await tokens.authenticate(token: "cm_" + String(repeating: "A", count: 43)) == nil)

            let staffToken = try await tokens.issueToken(for: staff.id, label: nil, expiresAt: nil, by: .system)
            let staffPrincipal = try #require(try await tokens.authenticate(token: staffToken.plaintext))
            #expect(staffPrincipal.charityID == charity && staffPrincipal.regionScope == nil)
            await #expect(throws: StoreError.notFound(entity: .apiToken, id: String(staffToken.record.id))) {
                _ = try await tokens.revoke(token: staffToken.record.id, of: worker.id, by: .system)
            }
            _ = try await tokens.revoke(token: staffToken.record.id, of: staff.id, by: .system)
            #expect(try await tokens.authenticate(token: staffToken.plaintext) == nil)
            #expect(try await RepositoryFixtures.audits(client, "token.revoke", staffToken.record.id) == 1)

            try await client.query(
                "UPDATE api_tokens SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE id = $1",
                [issued.record.id])
            #expect(try await tokens.authenticate(token: issued.plaintext) == nil)

            let second = try await tokens.issueToken(for: worker.id, label: nil, expiresAt: nil, by: .system)
            #expect(try await tokens.authenticate(token: second.plaintext) != nil)
            _ = try await users.disable(user: worker.id, by: .system)
            #expect(try await tokens.authenticate(token: second.plaintext) == nil)
            await #expect(throws: StoreError.conflict(.notActive(.user, id: worker.id, status: "disabled"))) {
                _ = try await tokens.issueToken(for: worker.id, label: nil, expiresAt: nil, by: .system)
            }
            await #expect(throws: StoreError.invalid(field: "expires_at", reason: "must be in the future")) {
                _ = try await tokens.issueToken(
                    for: staff.id, label: nil, expiresAt: Date(timeIntervalSince1970: 0), by: .system)
            }
        }
    }
}
