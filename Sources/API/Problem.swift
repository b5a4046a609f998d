import Foundation
import Hummingbird

/// An RFC 9457 `application/problem+json` error, the only error shape the API sends.
///
/// `type` is a stable URI a client can switch on; `detail` is for people and never holds
/// SQL, a stack trace, an ID number or a name; `errors` points at the fields at fault.
public struct Problem: Error, HTTPResponseError, Sendable, Equatable {
    /// One field's complaint, named by a JSON pointer (`/quantity`) or parameter name.
    public struct FieldError: Codable, Sendable, Equatable {
        public var field: String
        public var message: String

        public init(field: String, message: String) {
            self.field = field
            self.message = message
        }
    }

    public var type: String
    public var title: String
    public var status: HTTPResponse.Status
    public var detail: String
    public var errors: [FieldError]
    /// A stable code refining `type` (a conflict's ``ConflictReason/code``), for clients that
    /// tell one conflict from another.
    public var code: String?
    /// Extra headers, such as `Retry-After` on a 429 or 503.
    public var headers: HTTPFields

    public init(
        type: String,
        title: String,
        status: HTTPResponse.Status,
        detail: String,
        errors: [FieldError] = [],
        code: String? = nil,
        headers: HTTPFields = [:]
    ) {
        self.code = code
        self.type = type
        self.title = title
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    /// The database did not answer in time; the client may retry shortly.
    public static func databaseUnavailable() -> Problem {
        Problem(
            type: "https://charity-match.example/problems/database-unavailable",
            title: "Database unavailable",
            status: .serviceUnavailable,
            detail: "The database did not answer in time. Try again shortly.",
            headers: [.retryAfter: "5"]
        )
    }

    private struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let code: String?
        let errors: [FieldError]?
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = Body(
            type: type, title: title, status: status.code, detail: detail, code: code,
            errors: errors.isEmpty ? nil : errors)
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(
            status: status,
            headers: fields,
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body)))
        )
    }
}
