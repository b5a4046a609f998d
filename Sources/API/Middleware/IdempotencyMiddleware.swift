import Crypto
import Foundation
import Hummingbird
import Postgres
import Store

/// `Idempotency-Key` on POST: the same key and request replays the stored answer, the same
/// key with another request is 422, and a duplicate of a request still being processed is
/// 409. Only successful answers are stored: a refused request changed nothing, so trying
/// it again is safe. See ``IdempotencyKeys`` for how the key commits with the effect.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let keys: IdempotencyKeys

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
        let hash = Self.hash(request: request, body: body)
        if let answer = try await stored(user: principal.userID, key: key, hash: hash) { return answer }
        let attachment = keys.claim(user: principal.userID, key: key, requestHash: hash)
        let response: Response
        do {
            response = try await TransactionAttachment.$current.withValue(attachment) {
                try await next(request, context)
            }
        } catch is IdempotencyKeys.Collision {
            if let answer = try await stored(user: principal.userID, key: key, hash: hash) { return answer }
            throw Problem.idempotencyKeyInFlight()
        }
        guard (200..<300).contains(response.status.code) else { return response }
        var collected = response
        let bytes = try await Self.collect(response.body)
        collected.body = ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
        try await keys.complete(
            user: principal.userID, key: key, requestHash: hash,
            response: .init(status: response.status.code, contentType: response.headers[.contentType], body: bytes))
        return collected
    }

    /// The answer a key already has, or nil when the key is unused.
    private func stored(user: Int64, key: String, hash: Data) async throws -> Response? {
        switch try await keys.lookup(user: user, key: key, requestHash: hash) {
        case .unused: return nil
        case .inFlight: throw Problem.idempotencyKeyInFlight()
        case .reusedForAnotherRequest: throw Problem.idempotencyKeyReused()
        case .replay(let stored):
            var headers: HTTPFields = [.idempotencyReplayed: "true"]
            headers[.contentType] = stored.contentType
            return Response(
                status: HTTPResponse.Status(code: stored.status), headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: stored.body)))
        }
    }

    /// SHA-256 over method, path with query, and body: what makes two requests "the same".
    static func hash(request: Request, body: ByteBuffer) -> Data {
        var hasher = SHA256()
        hasher.update(data: Array("\(request.method.rawValue) \(request.uri.description)\n".utf8))
        hasher.update(data: Array(buffer: body))
        return Data(hasher.finalize())
    }

    private static func collect(_ body: ResponseBody) async throws -> [UInt8] {
        let sink = ResponseSink()
        try await body.write(sink)
        return sink.bytes
    }
}

/// Collects a response body in memory (our JSON answers are small) so it can be stored.
private final class ResponseSink: ResponseBodyWriter, @unchecked Sendable {
    var bytes: [UInt8] = []

    func write(_ buffer: ByteBuffer) async throws {
        bytes.append(contentsOf: buffer.readableBytesView)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
