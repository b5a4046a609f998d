/// Builds `OpenAPIDocument.Operation`s from the document's JSON, resolving component `$ref`s on the way.
struct OpenAPILoader {
    typealias Operation = OpenAPIDocument.Operation

    private static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
    private let root: JSONValue

    init(root: JSONValue) throws(OpenAPIDocumentError) {
        guard case .string(let version)? = root["openapi"], version.hasPrefix("3.1") else {
            throw OpenAPIDocumentError("the document must declare openapi: 3.1.x")
        }
        self.root = root
        try Self.checkReferences(in: root, at: "", root: root)
    }

    func operations() throws(OpenAPIDocumentError) -> [Operation] {
        guard let paths = root["paths"]?.objectValue else {
            throw OpenAPIDocumentError("the document has no paths object")
        }
        let defaultSecurity = try security(root["security"], at: "/security") ?? []
        var operations: [Operation] = []
        for path in paths.keys.sorted() {
            let itemPointer = JSONPointer.appending(path, to: "/paths")
            guard let item = try resolve(paths[path], at: itemPointer)?.objectValue else {
                throw OpenAPIDocumentError("\(itemPointer) must be a path item object")
            }
            let shared = try parameters(item["parameters"], at: itemPointer + "/parameters")
            for method in Self.methods {
                guard let operation = item[method] else { continue }
                let pointer = JSONPointer.appending(method, to: itemPointer)
                operations.append(
                    try self.operation(
                        operation, method: method, path: path, at: pointer, shared: shared,
                        defaultSecurity: defaultSecurity))
            }
        }
        return operations
    }

    private func operation(
        _ value: JSONValue,
        method: String,
        path: String,
        at pointer: String,
        shared: [OpenAPIDocument.Parameter],
        defaultSecurity: [[String: [String]]]
    ) throws(OpenAPIDocumentError) -> Operation {
        guard value.objectValue != nil else { throw OpenAPIDocumentError("\(pointer) must be an object") }
        var merged = try parameters(value["parameters"], at: pointer + "/parameters")
        for parameter in shared where !merged.contains(where: { Self.isSameParameter($0, parameter) }) {
            merged.append(parameter)
        }
        var requestBody: OpenAPIDocument.RequestBody?
        if let body = try resolve(value["requestBody"], at: pointer + "/requestBody") {
            requestBody = OpenAPIDocument.RequestBody(
                required: body["required"]?.boolValue ?? false,
                content: try content(body["content"], at: pointer + "/requestBody/content"))
        }
        guard let responseMap = value["responses"]?.objectValue else {
            throw OpenAPIDocumentError("\(pointer)/responses must be an object")
        }
        var responses: [String: OpenAPIDocument.Response] = [:]
        for (status, raw) in responseMap {
            let responsePointer = JSONPointer.appending(status, to: pointer + "/responses")
            guard let response = try resolve(raw, at: responsePointer) else { continue }
            responses[status] = OpenAPIDocument.Response(
                content: try content(response["content"], at: responsePointer + "/content"),
                headerNames: (try resolve(response["headers"], at: responsePointer)?.objectValue ?? [:]).keys.sorted())
        }
        return Operation(
            method: method,
            pathTemplate: path,
            operationId: value["operationId"]?.stringValue,
            security: try security(value["security"], at: pointer + "/security") ?? defaultSecurity,
            parameters: merged,
            requestBody: requestBody,
            responses: responses)
    }

    /// OpenAPI identifies a parameter by name and location; header names are case-insensitive in HTTP.
    private static func isSameParameter(_ lhs: OpenAPIDocument.Parameter, _ rhs: OpenAPIDocument.Parameter) -> Bool {
        guard lhs.location == rhs.location else { return false }
        return lhs.location == .header ? lhs.name.lowercased() == rhs.name.lowercased() : lhs.name == rhs.name
    }

    private func parameters(
        _ value: JSONValue?, at pointer: String
    ) throws(OpenAPIDocumentError)
        -> [OpenAPIDocument.Parameter]
    {
        guard let value else { return [] }
        guard let list = value.arrayValue else { throw OpenAPIDocumentError("\(pointer) must be an array") }
        var result: [OpenAPIDocument.Parameter] = []
        for (index, raw) in list.enumerated() {
            let itemPointer = JSONPointer.appending(index, to: pointer)
            guard let parameter = try resolve(raw, at: itemPointer),
                let name = parameter["name"]?.stringValue,
                let location = parameter["in"]?.stringValue.flatMap(OpenAPIDocument.ParameterLocation.init)
            else {
                throw OpenAPIDocumentError("\(itemPointer) must be a parameter with a name and a known location")
            }
            result.append(
                OpenAPIDocument.Parameter(
                    name: name,
                    location: location,
                    required: location == .path || parameter["required"]?.boolValue == true,
                    schema: parameter["schema"]))
        }
        return result
    }

    private func content(_ value: JSONValue?, at pointer: String) throws(OpenAPIDocumentError) -> [String: JSONValue] {
        guard let value else { return [:] }
        guard let media = value.objectValue else { throw OpenAPIDocumentError("\(pointer) must be an object") }
        return media.mapValues { $0["schema"] ?? .bool(true) }
    }

    private func security(
        _ value: JSONValue?, at pointer: String
    ) throws(OpenAPIDocumentError)
        -> [[String: [String]]]?
    {
        guard let value else { return nil }
        guard let list = value.arrayValue else { throw OpenAPIDocumentError("\(pointer) must be an array") }
        var requirements: [[String: [String]]] = []
        for requirement in list {
            guard let schemes = requirement.objectValue else {
                throw OpenAPIDocumentError("\(pointer) must list security requirement objects")
            }
            requirements.append(schemes.mapValues { $0.arrayValue?.compactMap(\.stringValue) ?? [] })
        }
        return requirements
    }

    /// Follows `$ref` chains of component objects (parameters, request bodies, responses, headers, path items).
    private func resolve(_ value: JSONValue?, at pointer: String) throws(OpenAPIDocumentError) -> JSONValue? {
        guard var current = value else { return nil }
        var seen: Set<String> = []
        while case .string(let reference)? = current["$ref"] {
            guard seen.insert(reference).inserted else {
                throw OpenAPIDocumentError("\(pointer) has a $ref cycle through \(reference)")
            }
            guard let target = JSONPointer.resolveReference(reference, in: root) else {
                throw OpenAPIDocumentError("\(pointer) refers to \(reference), which does not exist")
            }
            current = target
        }
        return current
    }

    /// Checks that every `$ref` in the document is local and resolves, so validation never meets a dangling one.
    private static func checkReferences(
        in value: JSONValue, at pointer: String, root: JSONValue
    )
        throws(OpenAPIDocumentError)
    {
        switch value {
        case .object(let members):
            if case .string(let reference)? = members["$ref"],
                JSONPointer.resolveReference(reference, in: root) == nil
            {
                throw OpenAPIDocumentError("\(pointer) refers to \(reference), which is not in this document")
            }
            for (key, member) in members {
                try checkReferences(in: member, at: JSONPointer.appending(key, to: pointer), root: root)
            }
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                try checkReferences(in: element, at: JSONPointer.appending(index, to: pointer), root: root)
            }
        default:
            break
        }
    }
}
