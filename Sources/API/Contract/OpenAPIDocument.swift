import Foundation

/// The API contract: an OpenAPI 3.1 document, indexed for request routing and validation.
///
/// Loading checks the parts the server and tests depend on (every local `$ref` resolves, parameters are well
/// formed) so that a broken contract fails at startup rather than on the first request that touches it.
public struct OpenAPIDocument: Sendable {
    /// The whole document as JSON, which schema `$ref`s are resolved against.
    public let root: JSONValue
    /// Every operation, sorted by path template, then in the method order get, put, post, delete, options, head,
    /// patch, trace.
    public let operations: [Operation]
    /// A validator bound to this document; reuse it, since it caches compiled regexes.
    public let validator: SchemaValidator
    private let routes: [(template: PathTemplate, operation: Operation)]

    /// Loads a contract from YAML text; see `JSONValue.init(yaml:)` for how YAML scalars become JSON.
    public init(yaml: String) throws {
        try self.init(root: JSONValue(yaml: yaml))
    }

    /// Indexes a contract that is already JSON; throws `OpenAPIDocumentError` when it is not usable.
    public init(root: JSONValue) throws {
        let loader = try OpenAPILoader(root: root)
        self.root = root
        operations = try loader.operations()
        validator = SchemaValidator(root: root)
        routes = operations.map { (PathTemplate($0.pathTemplate), $0) }
    }

    /// Finds the operation serving `method` on a concrete path such as `/v1/offers/42`.
    ///
    /// When several templates match, a literal segment beats a parameter at the first position where they
    /// differ, so `/v1/matches/export` is not taken for `/v1/matches/{id}`. A query string is ignored and path
    /// segments are percent-decoded. Returns `nil` when no operation matches.
    public func operation(method: String, path: String) -> OperationMatch? {
        guard let decoded = PathTemplate.decodedSegments(of: path) else { return nil }
        let lowercasedMethod = method.lowercased()
        var best: (template: PathTemplate, match: OperationMatch)?
        for route in routes where route.operation.method == lowercasedMethod {
            guard let values = route.template.match(decoded) else { continue }
            if let current = best, !route.template.isMoreSpecific(than: current.template) { continue }
            best = (route.template, OperationMatch(operation: route.operation, pathParameters: values))
        }
        return best?.match
    }

    /// The documented response for `status`: the exact code, else its range such as `2XX`, else `default`.
    public func response(for operation: Operation, status: Int) -> Response? {
        let range = "\(status / 100)XX"
        return operation.responses[String(status)] ?? operation.responses[range]
            ?? operation.responses[range.lowercased()] ?? operation.responses["default"]
    }

    /// The schema a response body with `status` and `contentType` must satisfy, falling back to `default`.
    ///
    /// `contentType` may carry parameters (`application/json; charset=utf-8`); media ranges such as
    /// `application/*` in the contract match too. Returns `nil` when the contract documents no such response or
    /// no body of that type for it, which a response test should treat as a failure.
    public func responseSchema(for operation: Operation, status: Int, contentType: String) -> JSONValue? {
        guard let response = response(for: operation, status: status) else { return nil }
        return Self.schema(in: response.content, for: contentType)
    }

    /// The schema a request body of `contentType` must satisfy, or `nil` when the operation takes no such body.
    public func requestBodySchema(for operation: Operation, contentType: String) -> JSONValue? {
        guard let body = operation.requestBody else { return nil }
        return Self.schema(in: body.content, for: contentType)
    }

    private static func schema(in content: [String: JSONValue], for contentType: String) -> JSONValue? {
        let wanted = mediaType(contentType)
        let byType = Dictionary(content.map { (mediaType($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
        let range = (wanted.split(separator: "/").first).map { "\($0)/*" } ?? "*/*"
        return byType[wanted] ?? byType[range] ?? byType["*/*"]
    }

    private static func mediaType(_ contentType: String) -> String {
        let essence = contentType.split(separator: ";", maxSplits: 1).first ?? ""
        return essence.trimmingCharacters(in: .whitespaces).lowercased()
    }
}

/// Why a contract document cannot be used.
public struct OpenAPIDocumentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A sentence for the contract's author naming the problem and where it is (a JSON pointer).
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
