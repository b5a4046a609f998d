import HTTPTypes
import Hummingbird

/// Holds every request on a path the contract knows to the contract before any handler
/// runs: a method the document does not declare there is a 405 naming the declared ones in
/// `Allow` (not the router's 404), and the path and query parameters are checked against
/// their schemas and for control characters, a 400 naming each parameter at fault. Paths
/// the contract does not describe (the dashboard) pass through untouched.
struct ContractMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let contract: APIContract

    func handle(
        _ request: Request, context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let path = request.uri.path
        let document = contract.document
        guard let match = document.operation(method: request.method.rawValue, path: path) else {
            let allowed = document.declaredMethods(path: path)
            guard allowed.isEmpty else { throw Problem.methodNotAllowed(allowed: allowed) }
            return try await next(request, context)
        }
        let query = request.uri.queryParameters.map { (name: String($0.key), value: String($0.value)) }
        let violations = contract.parameterViolations(match, query: query)
        guard violations.isEmpty else { throw Problem.invalidParameters(violations) }
        return try await next(request, context)
    }
}
