import Foundation
import Hummingbird

/// Reads a JSON request body the strict way: `application/json` in UTF-8 only (415), at most
/// ``maximumBytes`` (413), well-formed (400), and valid against the operation's schema in
/// the OpenAPI contract (422 naming every field at fault: unknown fields, wrong types,
/// values out of range, and NUL in any string whatever its schema says, since PostgreSQL
/// cannot store it) before it is decoded into `T`.
enum JSONBody {
    /// JSON bodies are small records; CSV imports have their own, larger limit.
    static let maximumBytes = 1 << 20

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()

    static func decode<T: Decodable>(
        _ type: T.Type, from request: Request, context: APIRequestContext, contract: APIContract
    ) async throws -> T {
        guard MediaType.accepts(request.headers[.contentType], as: "application/json") else {
            throw Problem.unsupportedMediaType(expected: "application/json")
        }
        var request = request
        let buffer = try await request.collectBody(upTo: maximumBytes)
        let bytes = Array(buffer: buffer)
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw Problem.malformedBody("The body is not valid JSON: \(error).")
        }
        var violations = contract.requestViolations(
            method: request.method.rawValue, route: context.endpointPath ?? "", body: value)
        for pointer in value.pointersOfText(where: { $0.value == 0 })
        where !violations.contains(where: { $0.field == (pointer.isEmpty ? "/" : pointer) }) {
            violations.append(.init(field: pointer.isEmpty ? "/" : pointer, message: "must not contain NUL (U+0000)"))
        }
        guard violations.isEmpty else { throw Problem.validation(violations) }
        do {
            return try decoder.decode(T.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw Problem.validation([error.fieldError])
        }
    }

}

extension DecodingError {
    /// The field a decoding failure is about, as a JSON pointer, with a plain message.
    var fieldError: Problem.FieldError {
        let (path, message): ([any CodingKey], String) =
            switch self {
            case .typeMismatch(let type, let context): (context.codingPath, "must be of type \(type)")
            case .valueNotFound(_, let context): (context.codingPath, "is required")
            case .keyNotFound(let key, let context): (context.codingPath + [key], "is required")
            case .dataCorrupted(let context): (context.codingPath, "is not acceptable")
            @unknown default: ([], "is not acceptable")
            }
        let pointer = path.map { key in
            key.intValue.map(String.init) ?? Self.snakeCase(key.stringValue)
        }
        return Problem.FieldError(field: "/" + pointer.joined(separator: "/"), message: message)
    }

    private static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { result, character in
            if character.isUppercase {
                result += "_" + character.lowercased()
            } else {
                result.append(character)
            }
        }
    }
}
