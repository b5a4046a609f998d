import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Store

/// One structured log line per request (method, route template, status, duration, request
/// id, role) and the request metrics. The route template is logged, never the raw path or
/// query, and never a header: tokens, ID numbers and names cannot reach the log this way.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext

    let metrics: APIMetrics

    func handle(
        _ request: Request, context: APIRequestContext,
        next: (Request, APIRequestContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.requestID = Self.requestID(from: request.headers[.requestID])
        let started = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let problem = Problem.answering(error, requestID: context.requestID, logger: context.logger)
            response = try problem.response(from: request, context: context)
        }
        response.headers[.requestID] = context.requestID
        let elapsed = ContinuousClock.now - started
        let route = context.endpointPath ?? "unmatched"
        metrics.record(method: request.method.rawValue, route: route, status: response.status.code, elapsed: elapsed)
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "route": .string(route),
                "status": .stringConvertible(response.status.code),
                "duration_ms": .string(String(format: "%.2f", milliseconds)),
                "request_id": .string(context.requestID),
                "role": .string(context.caller.value?.rawValue ?? "anonymous"),
            ])
        return response
    }

    /// The client's id when it is short and plain (so it cannot inject into logs), else a new one.
    static func requestID(from header: String?) -> String {
        if let header, (1...64).contains(header.utf8.count),
            header.utf8.allSatisfy({
                $0 == 0x2D || $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0)
                    || (0x61...0x7A).contains($0)
            })
        {
            return header
        }
        return UUID().uuidString.lowercased()
    }
}

extension HTTPField.Name {
    static let requestID = constant("X-Request-Id")
    static let idempotencyKey = constant("Idempotency-Key")
    static let idempotencyReplayed = constant("Idempotency-Replayed")

    /// A header name written in this file, so known to be valid.
    private static func constant(_ name: String) -> HTTPField.Name {
        guard let field = HTTPField.Name(name) else { preconditionFailure("\(name) is not a header name") }
        return field
    }
}
