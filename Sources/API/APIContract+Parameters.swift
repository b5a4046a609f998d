import Store

extension APIContract {
    /// What is wrong with the parameters of a request the contract knows: a path parameter
    /// or any query value with a control character, and any declared query parameter given
    /// twice or whose value breaks its schema. Checked before the handler runs, so every parameter is held
    /// to the document whatever the caller's role or scope; empty when all conform.
    func parameterViolations(
        _ match: OpenAPIDocument.OperationMatch, query: [(name: String, value: String)]
    ) -> [Problem.FieldError] {
        var errors: [Problem.FieldError] = []
        for (name, value) in match.pathParameters.sorted(by: { $0.key < $1.key }) {
            if let violation = TextRule.singleLine.violation(in: value) {
                errors.append(.init(field: name, message: violation))
            }
        }
        let declared = match.operation.parameters.filter { $0.location == .query }
        for (name, value) in query where !errors.contains(where: { $0.field == name }) {
            if let violation = TextRule.singleLine.violation(in: value) {
                errors.append(.init(field: name, message: violation))
                continue
            }
            guard let schema = declared.first(where: { $0.name == name })?.schema else { continue }
            if query.filter({ $0.name == name }).count > 1 {
                errors.append(.init(field: name, message: "must be given once"))
                continue
            }
            let typed = Self.typed(value, as: document.validator.resolvedType(of: schema))
            errors += document.validator.validate(typed, against: schema).map {
                .init(field: name, message: $0.message)
            }
        }
        return errors
    }

    /// A query value as the JSON value its schema's type expects; text that cannot be one
    /// stays text, which the schema then refuses by type.
    private static func typed(_ text: String, as type: String?) -> JSONValue {
        switch type {
        case "integer":
            return Int64(text).map(JSONValue.integer) ?? .string(text)
        case "number":
            return Double(text).map(JSONValue.number) ?? .string(text)
        case "boolean":
            switch text {
            case "true": return .bool(true)
            case "false": return .bool(false)
            default: return .string(text)
            }
        default:
            return .string(text)
        }
    }
}

extension SchemaValidator {
    /// The `type` a schema names, following `$ref`s; nil when it names none or several.
    func resolvedType(of schema: JSONValue) -> String? {
        var current = schema
        for _ in 0..<8 {
            if let type = current["type"]?.stringValue { return type }
            guard let reference = current["$ref"]?.stringValue,
                let target = JSONPointer.resolveReference(reference, in: root)
            else { return nil }
            current = target
        }
        return nil
    }
}
