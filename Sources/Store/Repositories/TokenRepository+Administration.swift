import Foundation

/// An administrator's work on bearer tokens, checked against the access policy first.
extension TokenRepository {
    /// Issues a token for any enabled account; its text is in the answer and nowhere else.
    public func issueToken(
        for user: Int64, label: String?, expiresAt: Date?, by principal: Principal
    ) async throws -> IssuedToken {
        try principal.authorize(.issueTokens)
        return try await issueToken(for: user, label: label, expiresAt: expiresAt, by: principal.actor)
    }

    /// Revokes any account's token; the API refuses it from then on, and the dashboard
    /// sessions opened with it end.
    public func revoke(token id: Int64, by principal: Principal) async throws -> TokenRecord {
        try principal.authorize(.issueTokens)
        return try await revoke(token: id, by: principal.actor)
    }

    /// An account's tokens, newest first, for an administrator.
    public func tokens(of user: Int64, by principal: Principal) async throws -> [TokenRecord] {
        try principal.authorize(.issueTokens)
        return try await tokens(of: user)
    }
}
