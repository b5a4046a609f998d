import Foundation
import Hummingbird
import Store

/// Turns `Authorization: Bearer cm_…` into the context's ``Principal``, or answers 401.
///
/// Every route under it needs a caller; public routes live outside its group. An unknown,
/// revoked or expired token gets the same answer as no token, so a probe learns nothing.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let tokens: TokenRepository

    func handle(
        _ request: Request, context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], let token = Self.bearerToken(header),
            let principal = try await tokens.authenticate(token: token)
        else {
            throw Problem.unauthenticated()
        }
        var context = context
        context.principal = principal
        context.caller.value = principal.role
        return try await next(request, context)
    }

    /// The token of a `Bearer` credential (scheme case-insensitive, as RFC 9110 says).
    static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
