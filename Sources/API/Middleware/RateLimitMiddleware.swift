import Foundation
import Hummingbird
import Synchronization

/// A token bucket per caller (bearer token, else client address): `rate` requests a second
/// on average with bursts up to `burst`, answering 429 with `Retry-After` beyond that.
///
/// It protects the database from one runaway client; it is per process, which is enough
/// for that purpose even when several processes share the database.
final class RateLimitMiddleware: RouterMiddleware, Sendable {
    typealias Context = APIRequestContext

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let rate: Double
    private let burst: Double
    private let buckets = Mutex<[String: Bucket]>([:])

    /// `rate` requests per second per caller; `burst` at once.
    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
    }

    func handle(
        _ request: Request, context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        let caller = Self.caller(of: request, context: context)
        if let wait = take(for: caller, at: .now) {
            throw Problem.rateLimited(retryAfterSeconds: wait)
        }
        return try await next(request, context)
    }

    /// Takes one token; nil when allowed, else the whole seconds to wait.
    func take(for caller: String, at now: ContinuousClock.Instant) -> Int? {
        buckets.withLock { buckets in
            if buckets.count > 100_000 { buckets.removeAll(keepingCapacity: true) }
            var bucket = buckets[caller] ?? Bucket(tokens: burst, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(burst, bucket.tokens + seconds * rate)
            bucket.updated = now
            defer { buckets[caller] = bucket }
            guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }

    /// A bearer token is keyed by a digest of itself (never kept in the clear); anonymous
    /// callers by address.
    private static func caller(of request: Request, context: APIRequestContext) -> String {
        if let header = request.headers[.authorization], let token = AuthenticationMiddleware.bearerToken(header) {
            return "t:" + String(token.hashValue, radix: 36)
        }
        return "a:" + (context.remoteAddress ?? "unknown")
    }
}
