import Hummingbird
import Matching
import Store

/// Who the caller is and what they reach.
struct IdentityResource: Encodable, Sendable {
    var userId: Int64
    var login: String
    var role: String
    /// Coordinators and caseworkers: the region prefix they work in.
    var region: String?
    /// Charity staff: their charity.
    var charityId: Int64?
}

/// `GET /v1/me`: lets a client (and the dashboard) learn its role and scope from its token.
struct IdentityController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("me", use: me)
    }

    @Sendable func me(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        guard let user = try await services.users.user(id: principal.userID) else { throw Problem.unauthenticated() }
        return try JSONResponse.make(
            IdentityResource(
                userId: user.id, login: user.login, role: principal.role.rawValue,
                region: principal.regionScope?.prefix, charityId: principal.charityID))
    }
}
