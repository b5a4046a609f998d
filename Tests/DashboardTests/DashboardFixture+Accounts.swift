import Store

extension DashboardFixture {
    /// A token for one more account, for tests that need a scope the seeded ones lack (an
    /// admin, a coordinator of one township).
    func token(login: String, role: UserRole, region: String? = nil) async throws -> String {
        let user = try await UserRepository(client: client).create(
            login: login, name: login, role: role, regionCode: region, by: .system)
        return try await TokenRepository(client: client).issueToken(
            for: user.id, label: nil, expiresAt: nil, by: .system
        ).plaintext
    }
}
