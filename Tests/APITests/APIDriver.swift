import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import API

/// An answer as a test reads it.
struct APIResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON, or nil when it is not JSON.
    var json: JSONValue? { try? JSONValue(parsing: body) }

    /// A field of a JSON object body.
    subscript(key: String) -> JSONValue? { json?[key] }

    /// The `id` of a JSON object body.
    var id: Int64? {
        if case .integer(let value)? = self["id"] { return value }
        return nil
    }

    /// The `field`s of a problem's `errors`.
    var errorFields: [String] {
        guard case .array(let errors)? = self["errors"] else { return [] }
        return errors.compactMap { $0["field"]?.stringValue }
    }
}

/// Sends requests as a ``Caller`` and holds every answer to the OpenAPI contract: an
/// undeclared status or a body that breaks its schema fails the test that got it.
struct APIDriver: Sendable {
    let client: any TestClientProtocol
    let fixture: APIFixture

    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ path: String, as caller: Caller, json: String? = nil,
        contentType: String? = nil, headers extra: HTTPFields = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> APIResponse {
        var headers = extra
        if let token = fixture.tokens[caller] { headers[.authorization] = "Bearer \(token)" }
        if let json, headers[.contentType] == nil { headers[.contentType] = contentType ?? "application/json" }
        let body = json.map { ByteBuffer(string: $0) }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body)
        let answer = APIResponse(status: response.status, headers: response.headers, body: Array(buffer: response.body))
        let violations = fixture.services.contract.responseViolations(
            method: method.rawValue, path: path, status: answer.status.code,
            contentType: answer.headers[.contentType], body: answer.body)
        for violation in violations {
            Issue.record(
                "\(method.rawValue) \(path) → \(answer.status.code): \(violation)", sourceLocation: sourceLocation)
        }
        if [.charity, .otherCharity, .anonymous].contains(caller) {
            for leak in fixture.privacyLeaks(in: answer.text) {
                Issue.record(
                    "\(method.rawValue) \(path) as \(caller.rawValue) leaks \(leak)", sourceLocation: sourceLocation)
            }
        }
        return answer
    }
}
