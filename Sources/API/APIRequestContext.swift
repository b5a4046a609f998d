import Foundation
import Hummingbird
import NIOCore
import Store
import Synchronization

/// The per-request state every handler sees: who is calling (once the bearer token has
/// been checked) and the request id that ties the log line to the response.
public struct APIRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller; nil on public routes and before authentication.
    public var principal: Principal?
    /// Echoed as `X-Request-Id` and logged; taken from the client when it sent a sane one.
    public var requestID: String
    /// The peer's IP address, for rate limiting anonymous callers; nil in tests.
    public var remoteAddress: String?
    /// The request's `Idempotency-Key`, set by ``IdempotencyMiddleware`` for handlers to hand
    /// to the Store call that makes the effect (an explicit argument, completed in that
    /// call's transaction).
    public var idempotency: IdempotencyClaim?
    /// Filled in by inner middleware for the request log, which only sees its own copy of
    /// the context: contexts are values, so the role is passed back through this box.
    let caller = CallerBox()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        principal = nil
        idempotency = nil
        requestID = ""
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Bodies are read by ``JSONBody``, which enforces its own limit per route; this only
    /// bounds what Hummingbird's own decoding would accept.
    public var maxUploadSize: Int { JSONBody.maximumBytes }

    /// The authenticated caller, or a 401 problem.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw Problem.unauthenticated() }
        return principal
    }
}

extension APIRequestContext {
    /// The `{id}` of the route, or a 404 when it is not a positive whole number (a path
    /// that cannot name anything names nothing).
    func pathID() throws -> Int64 {
        guard let text = parameters.get("id"), let id = Int64(text), id > 0 else {
            throw Problem.routeNotFound()
        }
        return id
    }
}

/// The role of the request's caller, once authenticated; see ``APIRequestContext/caller``.
final class CallerBox: Sendable {
    private let role = Mutex<UserRole?>(nil)

    var value: UserRole? {
        get { role.withLock { $0 } }
        set { role.withLock { $0 = newValue } }
    }
}
