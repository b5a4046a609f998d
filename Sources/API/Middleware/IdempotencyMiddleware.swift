import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Store
import Synchronization

/// `Idempotency-Key` on POST: the same key and request answers with what the first one did
/// (`Idempotency-Replayed: true`) without doing it again, the same key with another request
/// is 422. The key is an explicit argument of the Store call that makes the effect
/// (``APIRequestContext/idempotency``), claimed and completed in that call's transaction
/// (``IdempotencyClaim``), so a committed effect always has a completed key, a duplicate
/// racing the original waits for it and then replays it, and a refused request keeps no key.
///
/// A replay reads the outcome afresh through the resource's own `GET`, under the caller's
/// current rights: a charity replaying an acceptance after the household withdrew consent
/// gets the match without contact fields, and nothing personal is ever stored with a key.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let keys: IdempotencyKeys
    /// The router itself, through which a replay reads the outcome's resource.
    let replayer: ReplayResponder

    func handle(
        _ request: Request, context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        guard request.method == .post, let key = request.headers[.idempotencyKey] else {
            return try await next(request, context)
        }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw Problem.invalidParameter(
                "Idempotency-Key", "must be 1 to 255 visible ASCII characters, such as a UUID")
        }
        let principal = try context.requirePrincipal()
        var request = request
        let body = try await request.collectBody(upTo: JSONBody.maximumBytes)
        let claim = IdempotencyClaim(
            user: principal.userID, key: key, requestHash: Self.hash(request: request, body: body))
        switch try await keys.lookup(claim) {
        case .replay(let outcome): return try await replay(outcome, of: request, context)
        case .reusedForAnotherRequest: throw Problem.idempotencyKeyReused()
        case .unused: break
        }
        var keyed = context
        keyed.idempotency = claim
        do {
            return try await next(request, keyed)
        } catch StoreError.idempotentReplay(let outcome) {
            return try await replay(outcome, of: request, context)
        }
    }

    /// The outcome's resource as `GET` answers it now, with the status the write had.
    private func replay(
        _ outcome: IdempotencyOutcome, of request: Request, _ context: APIRequestContext
    ) async throws -> Response {
        guard let entity = outcome.entity, let id = outcome.id else {
            return Response(status: .noContent, headers: [.idempotencyReplayed: "true"])
        }
        let path = "/v1/\(Self.collection(of: entity))/\(id)"
        var head = request.head
        head.method = .get
        head.path = path
        for field in [HTTPField.Name.contentType, .contentLength, .idempotencyKey] { head.headerFields[field] = nil }
        var response = try await replayer.respond(to: Request(head: head, body: .init(buffer: ByteBuffer())), context)
        guard response.status == .ok else { return response }
        if outcome.created {
            response.status = .created
            response.headers[.location] = path
        }
        response.headers[.idempotencyReplayed] = "true"
        return response
    }

    /// Where each kind of entity is read.
    static func collection(of entity: EntityKind) -> String {
        switch entity {
        case .match: "matches"
        case .charity: "charities"
        case .category: "categories"
        case .matchRun: "match-runs"
        case .weightPolicy: "weight-policies"
        case .apiToken: "tokens"
        case .aidRecord: "aid-records"
        case .inboxMessage: "inbox"
        case .need, .offer, .household, .region, .user, .takeover, .complaint, .transfer, .evaluation:
            entity.rawValue + "s"
        }
    }

    /// SHA-256 over method, path with query, and body: what makes two requests "the same".
    static func hash(request: Request, body: ByteBuffer) -> Data {
        var hasher = SHA256()
        hasher.update(data: Array("\(request.method.rawValue) \(request.uri.description)\n".utf8))
        hasher.update(data: Array(buffer: body))
        return Data(hasher.finalize())
    }
}

/// The `/v1` router's responder, set once the router is built, so a replay can read a
/// resource through the same routes, middleware and access checks as any `GET`.
final class ReplayResponder: Sendable {
    private let responder = Mutex<(any HTTPResponder<APIRequestContext>)?>(nil)

    func set(_ value: some HTTPResponder<APIRequestContext>) {
        responder.withLock { $0 = value }
    }

    func respond(to request: Request, _ context: APIRequestContext) async throws -> Response {
        guard let responder = responder.withLock({ $0 }) else { throw Problem.routeNotFound() }
        return try await responder.respond(to: request, context: context)
    }
}
