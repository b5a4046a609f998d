import Foundation
import Hummingbird

/// Builds the API's JSON answers: snake_case keys, ISO 8601 times, sorted keys (so equal
/// data gives equal bytes), and an `ETag` for versioned resources.
enum JSONResponse {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// A JSON body written already (see ``JSONWriter``).
    static func make(
        bytes: [UInt8], status: HTTPResponse.Status = .ok, version: Int? = nil, location: String? = nil
    ) -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let version { headers[.eTag] = ETag.make(version) }
        if let location { headers[.location] = location }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func make(
        _ value: some Encodable, status: HTTPResponse.Status = .ok, version: Int? = nil, location: String? = nil
    ) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let version { headers[.eTag] = ETag.make(version) }
        if let location { headers[.location] = location }
        return Response(
            status: status, headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

/// Strong ETags carry the row's version, so `If-Match` maps onto the Store's `ifVersion`.
enum ETag {
    static func make(_ version: Int) -> String { "\"\(version)\"" }

    /// The version an update's `If-Match` names: 428 without one, 412 when it is not ours.
    static func requiredVersion(_ request: Request) throws -> Int {
        guard let header = request.headers[.ifMatch] else { throw Problem.preconditionRequired() }
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.count >= 3, text.first == "\"", text.last == "\"", let version = Int(text.dropFirst().dropLast()),
            version >= 0
        else {
            throw Problem.preconditionFailed("If-Match must be an ETag this API sent, such as \"3\".")
        }
        return version
    }
}
