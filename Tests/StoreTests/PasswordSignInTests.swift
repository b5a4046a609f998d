import Foundation
import Matching
import Postgres
import Store
import Testing

/// Sign-in with a password (issue 14): scrypt hashes that verify only the right password,
/// the lockout counted in the database, and an administrator's set and reset.
@Suite("Password sign-in")
struct PasswordSignInTests {
    private static let lifetime = Duration.seconds(3600)

    @Test func onlyTheRightPasswordOpensASessionAndTheHashIsSaltedScrypt() async throws {
        try await RepositoryFixtures.with("pw_verify") { client in
            let users = UserRepository(client: client)
            let sessions = DashboardSessions(client: client)
            let worker = try await users.create(
                login: "worker", name: "社工", role: .caseworker, regionCode: "320508000000",
                password: "correct horse", mustChangePassword: false, by: .system)
            let twin = try await users.create(
                login: "twin", name: "社工二", role: .caseworker, regionCode: "320508000000",
                password: "correct horse", mustChangePassword: false, by: .system)
            #expect(worker.hasPassword && !worker.mustChangePassword)
            let hashes = try await client.query(
                "SELECT password_hash FROM users WHERE id IN ($1, $2) ORDER BY id", [worker.id, twin.id]
            ).map { try $0.decode(String.self, "password_hash") }
            #expect(hashes.allSatisfy { $0.hasPrefix("$scrypt$ln=15,r=8,p=1$") && !$0.contains("correct horse") })
            #expect(hashes[0] != hashes[1], "each hash has its own salt")

            guard
                case .signedIn(let secret, let session) = try await sessions.open(
                    login: " Worker ", password: "correct horse", lifetime: Self.lifetime)
            else { Issue.record("the right password was refused"); return }
            #expect(session.principal.userID == worker.id && session.principal.tokenID == nil)
            #expect(session.principal.regionScope?.prefix == "320508")
            #expect(try await sessions.session(secret: secret) == session)
            for (login, password) in [("worker", "correct horsE"), ("worker", ""), ("nobody", "correct horse")] {
                guard case .refused = try await sessions.open(login: login, password: password, lifetime: Self.lifetime)
                else { Issue.record("\(login) signed in with a wrong password"); return }
            }
            _ = try await users.disable(user: worker.id, by: .system)
            #expect(try await sessions.session(secret: secret) == nil, "disabling ends the password session")
            guard
                case .refused = try await sessions.open(
                    login: "worker", password: "correct horse", lifetime: Self.lifetime)
            else { Issue.record("a disabled account signed in"); return }
        }
    }

    @Test func fiveWrongPasswordsLockTheAccountEvenForTheRightOne() async throws {
        try await RepositoryFixtures.with("pw_lockout") { client in
            let users = UserRepository(client: client)
            let sessions = DashboardSessions(client: client)
            let admin = try await users.create(
                login: "admin", name: "管理员", role: .admin, password: "s3cret-enough", mustChangePassword: false,
                by: .system)
            for attempt in 1..<PasswordRule.failuresBeforeLockout {
                _ = try await sessions.open(login: "admin", password: "wrong \(attempt)", lifetime: Self.lifetime)
            }
            let counted = try await client.query("SELECT failed_sign_ins FROM users WHERE id = $1", [admin.id])
            #expect(try counted[0].decode(Int.self, "failed_sign_ins") == PasswordRule.failuresBeforeLockout - 1)
            // Another process sharing the database sees the same count: it lives in the row.
            _ = try await DashboardSessions(client: client).open(
                login: "admin", password: "wrong again", lifetime: Self.lifetime)
            let locked = try #require(try await users.user(id: admin.id)?.lockedUntil)
            #expect(locked > Date().addingTimeInterval(14 * 60) && locked < Date().addingTimeInterval(16 * 60))
            #expect(try await RepositoryFixtures.audits(client, "user.lock", admin.id) == 1)
            guard
                case .refused = try await sessions.open(
                    login: "admin", password: "s3cret-enough", lifetime: Self.lifetime)
            else { Issue.record("a locked account signed in"); return }

            // When the lock runs out, the right password works and clears the count.
            try await client.query(
                "UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1", [admin.id])
            guard
                case .signedIn = try await sessions.open(
                    login: "admin", password: "s3cret-enough", lifetime: Self.lifetime)
            else { Issue.record("the lock did not end"); return }
            let cleared = try #require(try await users.user(id: admin.id))
            #expect(cleared.lockedUntil == nil)

            // An administrator's reset lifts a lock at once.
            for attempt in 1...PasswordRule.failuresBeforeLockout {
                _ = try await sessions.open(login: "admin", password: "wrong \(attempt)", lifetime: Self.lifetime)
            }
            #expect(try await users.user(id: admin.id)?.lockedUntil != nil)
            let reset = try await users.setPassword(
                user: admin.id, to: "a new one!", mustChange: false, by: Actor(userID: admin.id))
            #expect(reset.lockedUntil == nil)
            guard
                case .signedIn = try await sessions.open(
                    login: "admin", password: "a new one!", lifetime: Self.lifetime)
            else { Issue.record("the reset did not lift the lock"); return }
        }
    }

    @Test func aResetPasswordMustBeReplacedAtTheNextSignIn() async throws {
        try await RepositoryFixtures.with("pw_reset") { client in
            let users = UserRepository(client: client)
            let sessions = DashboardSessions(client: client)
            let admin = try await users.create(login: "admin", name: "管理员", role: .admin, by: .system)
            let principal = Principal(
                userID: admin.id, tokenID: nil, role: .admin, regionScope: nil, charityID: nil)
            let worker = try await users.create(
                login: "worker", name: "社工", role: .caseworker, regionCode: "320508000000", charityID: nil,
                password: "first-pass", mustChangePassword: false, by: principal)
            guard
                case .signedIn(let oldSecret, _) = try await sessions.open(
                    login: "worker", password: "first-pass", lifetime: Self.lifetime)
            else { Issue.record("the first password was refused"); return }

            let reset = try await users.setPassword(
                user: worker.id, to: "given-by-admin", mustChange: true, by: principal)
            #expect(reset.mustChangePassword)
            #expect(try await sessions.session(secret: oldSecret) == nil, "a reset signs the old password out")
            #expect(try await RepositoryFixtures.audits(client, "user.password_set", worker.id) == 1)
            guard
                case .mustChangePassword = try await sessions.open(
                    login: "worker", password: "given-by-admin", lifetime: Self.lifetime)
            else { Issue.record("a reset password opened a session"); return }
            await #expect(throws: StoreError.invalid(field: "new_password", reason: "must be at least 8 characters")) {
                _ = try await sessions.open(
                    login: "worker", password: "given-by-admin", newPassword: "short", lifetime: Self.lifetime)
            }
            await #expect(
                throws: StoreError.invalid(field: "new_password", reason: "must differ from the current password")
            ) {
                _ = try await sessions.open(
                    login: "worker", password: "given-by-admin", newPassword: "given-by-admin",
                    lifetime: Self.lifetime)
            }
            guard
                case .signedIn = try await sessions.open(
                    login: "worker", password: "given-by-admin", newPassword: "my own choice", lifetime: Self.lifetime)
            else { Issue.record("choosing a new password did not sign in"); return }
            #expect(try await users.user(id: worker.id)?.mustChangePassword == false)
            guard
                case .refused = try await sessions.open(
                    login: "worker", password: "given-by-admin", lifetime: Self.lifetime)
            else { Issue.record("the replaced password still works"); return }
        }
    }

    @Test func onlyAnAdministratorManagesAccountsAndTokens() async throws {
        try await RepositoryFixtures.with("pw_powers") { client in
            let users = UserRepository(client: client)
            let coordinator = try await users.create(
                login: "coord.lead", name: "协调员", role: .coordinator, regionCode: "320508000000", by: .system)
            let principal = Principal(
                userID: coordinator.id, tokenID: nil, role: .coordinator,
                regionScope: RegionScope(prefix: "320508"), charityID: nil)
            await #expect(throws: StoreError.forbidden(role: "coordinator", action: .manageAccounts, scope: nil)) {
                _ = try await users.setPassword(
                    user: coordinator.id, to: "whatever-long", mustChange: false, by: principal)
            }
            await #expect(throws: StoreError.forbidden(role: "coordinator", action: .issueTokens, scope: nil)) {
                _ = try await TokenRepository(client: client).issueToken(
                    for: coordinator.id, label: nil, expiresAt: nil, by: principal)
            }
            await #expect(throws: StoreError.invalid(field: "password", reason: "must not be the login")) {
                _ = try await users.setPassword(user: coordinator.id, to: "COORD.LEAD", mustChange: false, by: .system)
            }
        }
    }
}
