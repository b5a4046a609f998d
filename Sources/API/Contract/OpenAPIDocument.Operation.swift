extension OpenAPIDocument {
    /// One HTTP method on one path of the contract, with everything needed to check a request and its responses.
    public struct Operation: Sendable, Equatable {
        /// The HTTP method in lower case, as OpenAPI writes it: `get`, `post`, ...
        public let method: String
        /// The path as written in the contract, such as `/v1/offers/{id}`.
        public let pathTemplate: String
        /// The contract's name for the operation, if it gives one.
        public let operationId: String?
        /// The security requirements in force: the operation's own `security` if present, else the document's.
        ///
        /// Each element is one alternative (scheme name to scopes); an empty list means the operation is public.
        public let security: [[String: [String]]]
        /// Path-level and operation-level parameters merged; an operation-level one replaces a path-level one
        /// with the same name and location.
        public let parameters: [Parameter]
        /// The request body, if the operation takes one.
        public let requestBody: RequestBody?
        /// Responses keyed by status code (`200`), range (`2XX`) or `default`.
        public let responses: [String: Response]

        /// Whether a request must be authenticated: `security: []` and requirement lists that include the empty
        /// alternative `{}` mean it need not be.
        public var requiresAuthentication: Bool {
            !security.isEmpty && !security.contains(where: \.isEmpty)
        }

        /// Creates an operation; the library builds these when loading a document.
        public init(
            method: String,
            pathTemplate: String,
            operationId: String?,
            security: [[String: [String]]],
            parameters: [Parameter],
            requestBody: RequestBody?,
            responses: [String: Response]
        ) {
            self.method = method
            self.pathTemplate = pathTemplate
            self.operationId = operationId
            self.security = security
            self.parameters = parameters
            self.requestBody = requestBody
            self.responses = responses
        }
    }

    /// Where a parameter travels in the request.
    public enum ParameterLocation: String, Sendable, Equatable {
        /// A `{name}` segment of the path.
        case path
        /// A query string item.
        case query
        /// A request header.
        case header
        /// A cookie.
        case cookie
    }

    /// A parameter of an operation, with any `$ref` already resolved.
    public struct Parameter: Sendable, Equatable {
        /// The parameter's name; for headers, as written in the contract.
        public let name: String
        /// Where the parameter travels.
        public let location: ParameterLocation
        /// Whether the request must carry it; always true for path parameters.
        public let required: Bool
        /// The schema its value must satisfy, or `nil` when the contract gives none.
        public let schema: JSONValue?

        /// Creates a parameter; the library builds these when loading a document.
        public init(name: String, location: ParameterLocation, required: Bool, schema: JSONValue?) {
            self.name = name
            self.location = location
            self.required = required
            self.schema = schema
        }
    }

    /// A request body, with any `$ref` already resolved.
    public struct RequestBody: Sendable, Equatable {
        /// Whether the request must have a body.
        public let required: Bool
        /// Media type (as written, such as `application/json`) to schema; `true` where the contract gives none.
        public let content: [String: JSONValue]

        /// Creates a request body; the library builds these when loading a document.
        public init(required: Bool, content: [String: JSONValue]) {
            self.required = required
            self.content = content
        }
    }

    /// A documented response, with any `$ref` already resolved.
    public struct Response: Sendable, Equatable {
        /// Media type to schema; empty for responses without a body, `true` where a type has no schema.
        public let content: [String: JSONValue]
        /// Names of the headers the contract declares for this response, sorted.
        public let headerNames: [String]

        /// Whether the contract declares any response headers.
        public var declaresHeaders: Bool {
            !headerNames.isEmpty
        }

        /// Creates a response; the library builds these when loading a document.
        public init(content: [String: JSONValue], headerNames: [String]) {
            self.content = content
            self.headerNames = headerNames
        }
    }

    /// An operation found for a concrete request path, with the values of its path parameters.
    public struct OperationMatch: Sendable, Equatable {
        /// The operation whose template matched.
        public let operation: Operation
        /// Path parameter values by name, percent-decoded.
        public let pathParameters: [String: String]
    }
}
