import Foundation

/// The OpenAPI document the API is held to (`Sources/API/openapi.yaml`), loaded once.
///
/// At run time it validates every JSON request body against its operation's schema, so
/// unknown fields, wrong types and out-of-range values are refused the same way on every
/// route, field by field. The tests use it the other way round: every answer they get must
/// be a status the document declares, with a body its schema accepts.
public struct APIContract: Sendable {
    /// Why the bundled document could not be used; the server does not start without it.
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The document as served at `/openapi.yaml`.
    public let yaml: String
    let document: OpenAPIDocument

    init(yaml: String) throws {
        self.yaml = yaml
        document = try OpenAPIDocument(yaml: yaml)
    }

    /// The document shipped with this build.
    static func bundled() throws -> APIContract {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw LoadError(description: "openapi.yaml is missing from the API bundle")
        }
        do {
            return try APIContract(yaml: String(contentsOf: url, encoding: .utf8))
        } catch {
            throw LoadError(description: "openapi.yaml is not a usable OpenAPI 3.1 document: \(error)")
        }
    }

    /// The body's violations of the JSON schema of `method route` (a route template such as
    /// `/v1/offers/{id}`), as field errors; none when the route takes no JSON body.
    func requestViolations(method: String, route: String, body: JSONValue) -> [Problem.FieldError] {
        guard
            let operation = document.operations.first(where: {
                $0.method == method.lowercased() && $0.pathTemplate == route
            }),
            let schema = document.requestBodySchema(for: operation, contentType: "application/json")
        else { return [] }
        return document.validator.validate(body, against: schema).map {
            Problem.FieldError(field: $0.pointer.isEmpty ? "/" : $0.pointer, message: $0.message)
        }
    }

    /// What is wrong with an answer to `method path`: an undocumented operation or status,
    /// an undocumented content type, or a body its schema refuses. Empty when it conforms;
    /// a 405 to a method the document does not declare on a path it knows conforms too.
    func responseViolations(
        method: String, path: String, status: Int, contentType: String?, body: [UInt8]
    ) -> [String] {
        let route = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        guard let match = document.operation(method: method.lowercased(), path: route) else {
            if status == 405 && !document.declaredMethods(path: route).isEmpty { return [] }
            return status == 404 || status == 401 ? [] : ["the contract has no operation \(method) \(route)"]
        }
        guard let response = document.response(for: match.operation, status: status) else {
            return ["status \(status) is not documented"]
        }
        let mediaType = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        if response.content.isEmpty { return body.isEmpty ? [] : ["a body was sent where none is documented"] }
        guard let schema = response.content[mediaType] else {
            return ["content type \(mediaType) is not documented for status \(status)"]
        }
        guard mediaType.hasSuffix("json") else { return [] }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body)
        } catch {
            return ["the body is not JSON: \(error)"]
        }
        return document.validator.validate(value, against: schema).map(\.description)
    }
}
