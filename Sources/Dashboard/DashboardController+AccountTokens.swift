import Foundation
import Hummingbird
import Store

/// Bearer tokens on an account's page: issued for API clients (the text shown once, on the
/// answer to the form, and never again) and revoked (the API refuses it from then on).
extension DashboardController {
    func addTokenRoutes(to group: RouterGroup<Context>) {
        group.post(
            "admin/accounts/{id}/tokens", use: adminPage(.issueTokens) { [self] in try await issueToken($0, $1, $2) })
        // The address the issuing form answered at, opened again: the account's page, without
        // the token, which was shown once.
        group.get(
            "admin/accounts/{id}/tokens",
            use: adminPage(.issueTokens) { _, context, _ in
                Self.redirect("/dashboard/admin/accounts/\(Self.pathID(context) ?? 0)")
            })
        group.post(
            "admin/accounts/{id}/tokens/{token}/revoke",
            use: adminPage(.issueTokens) { [self] in try await revokeToken($0, $1, $2) })
    }

    /// `POST /dashboard/admin/accounts/{id}/tokens`: a new token, shown on the page this
    /// answer is (not after a redirect: it must not sit in a link or a cookie).
    func issueToken(_ request: Request, _ context: Context, _ session: DashboardSession) async throws -> Response {
        guard let form = try await form(request, session) else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        do {
            var expiry: Date?
            if let days = form["days"].flatMap(Self.nonEmpty) {
                guard let count = Int(days), (1...3650).contains(count) else {
                    throw StoreError.invalid(field: "days", reason: "must be a whole number of days from 1 to 3650")
                }
                expiry = Date().addingTimeInterval(Double(count) * 86_400)
            }
            let issued = try await administration.tokens.issueToken(
                for: id, label: form["label"].flatMap(Self.nonEmpty), expiresAt: expiry, by: session.principal)
            let texts = DashboardText.strings(Self.language(request))
            let notice = Self.filled(texts["notice.tokenIssued"] ?? "", ["0": "#\(issued.record.id)"])
            return try await account(request, context, session, flash: ["ok": true, "text": notice], issued: issued)
        } catch let error as StoreError {
            return try await accountRefused(error, request, context, session)
        }
    }

    /// `POST /dashboard/admin/accounts/{id}/tokens/{token}/revoke`.
    func revokeToken(_ request: Request, _ context: Context, _ session: DashboardSession) async throws -> Response {
        guard try await form(request, session) != nil else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context), let token = context.parameters.get("token", as: Int64.self),
            try await administration.tokens.tokens(of: id, by: session.principal).contains(where: { $0.id == token })
        else { return notFound(request, session) }
        do {
            _ = try await administration.tokens.revoke(token: token, by: session.principal)
            return Self.redirect("/dashboard/admin/accounts/\(id)", notice: "tokenRevoked", "#\(token)")
        } catch let error as StoreError {
            return try await accountRefused(error, request, context, session)
        }
    }

    /// A token's row: its label, dates and whether it still works.
    func tokenRow(_ token: TokenRecord, _ texts: [String: String]) -> [String: Any] {
        let state: String
        if token.revokedAt != nil {
            state = texts["token.revoked"] ?? ""
        } else if let expiry = token.expiresAt, expiry <= Date() {
            state = texts["token.expired"] ?? ""
        } else {
            state = texts["token.live"] ?? ""
        }
        return [
            "id": String(token.id), "label": token.label ?? "–", "created": Self.timeText(token.createdAt),
            "expires": token.expiresAt.map(Self.timeText) ?? (texts["never"] ?? ""),
            "lastUsed": token.lastUsedAt.map(Self.timeText) ?? "–", "state": state,
            "live": token.revokedAt == nil && (token.expiresAt.map { $0 > Date() } ?? true),
        ]
    }
}
