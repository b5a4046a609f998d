/// Keywords that descend into arrays and objects or combine subschemas.
extension SchemaValidator {
    func checkArray(_ elements: [JSONValue], _ context: Context) -> [SchemaViolation] {
        let keywords = context.keywords
        var violations: [SchemaViolation] = []
        if case .integer(let minimum)? = keywords["minItems"], elements.count < minimum {
            violations.append(context.violation("must have at least \(counted(minimum, "item"))", "minItems"))
        }
        if case .integer(let maximum)? = keywords["maxItems"], elements.count > maximum {
            violations.append(context.violation("must have at most \(counted(maximum, "item"))", "maxItems"))
        }
        if keywords["uniqueItems"] == .bool(true) {
            for (index, element) in elements.enumerated()
            where elements[..<index].contains(where: element.isSchemaEqual) {
                let pointer = JSONPointer.appending(index, to: context.pointer)
                violations.append(
                    SchemaViolation(pointer: pointer, message: "repeats an earlier item", keyword: "uniqueItems")
                )
            }
        }
        if let itemSchema = keywords["items"] {
            for (index, element) in elements.enumerated() {
                let pointer = JSONPointer.appending(index, to: context.pointer)
                violations += check(element, against: itemSchema, at: pointer, following: context.references)
            }
        }
        return violations
    }

    func checkObject(_ members: [String: JSONValue], _ context: Context) -> [SchemaViolation] {
        let keywords = context.keywords
        var violations: [SchemaViolation] = []
        if case .array(let required)? = keywords["required"] {
            for case .string(let name) in required where members[name] == nil {
                let pointer = JSONPointer.appending(name, to: context.pointer)
                violations.append(SchemaViolation(pointer: pointer, message: "is required", keyword: "required"))
            }
        }
        if case .integer(let minimum)? = keywords["minProperties"], members.count < minimum {
            violations.append(context.violation("must have at least \(counted(minimum, "field"))", "minProperties"))
        }
        if case .integer(let maximum)? = keywords["maxProperties"], members.count > maximum {
            violations.append(context.violation("must have at most \(counted(maximum, "field"))", "maxProperties"))
        }
        if let nameSchema = keywords["propertyNames"] {
            for name in members.keys {
                let pointer = JSONPointer.appending(name, to: context.pointer)
                violations += check(.string(name), against: nameSchema, at: pointer, following: context.references)
                    .map {
                        SchemaViolation(pointer: pointer, message: "as a name " + $0.message, keyword: "propertyNames")
                    }
            }
        }
        let properties = keywords["properties"]?.objectValue ?? [:]
        let patternProperties = keywords["patternProperties"]?.objectValue ?? [:]
        for (name, value) in members {
            let pointer = JSONPointer.appending(name, to: context.pointer)
            var isKnown = false
            if let schema = properties[name] {
                isKnown = true
                violations += check(value, against: schema, at: pointer, following: context.references)
            }
            for (pattern, schema) in patternProperties where regexes.matches(pattern, name) == true {
                isKnown = true
                violations += check(value, against: schema, at: pointer, following: context.references)
            }
            guard !isKnown, let additional = keywords["additionalProperties"] else { continue }
            if additional == .bool(false) {
                violations.append(
                    SchemaViolation(pointer: pointer, message: "is not a known field", keyword: "additionalProperties")
                )
            } else {
                violations += check(value, against: additional, at: pointer, following: context.references)
            }
        }
        return violations
    }

    func checkComposition(_ instance: JSONValue, _ context: Context) -> [SchemaViolation] {
        let keywords = context.keywords
        var violations: [SchemaViolation] = []
        if case .array(let schemas)? = keywords["allOf"] {
            for schema in schemas {
                violations += check(instance, against: schema, at: context.pointer, following: context.references)
            }
        }
        if case .array(let schemas)? = keywords["anyOf"] {
            let results = branchResults(instance, schemas, context)
            if !results.contains(where: \.isEmpty) {
                violations.append(context.violation("must match at least one of the allowed forms", "anyOf"))
                violations += bestBranch(results, context)
            }
        }
        if case .array(let schemas)? = keywords["oneOf"] {
            let results = branchResults(instance, schemas, context)
            switch results.filter(\.isEmpty).count {
            case 1:
                break
            case 0:
                violations.append(context.violation("must match exactly one of the allowed forms", "oneOf"))
                violations += bestBranch(results, context)
            default:
                violations.append(
                    context.violation("matches more than one of the allowed forms but must match exactly one", "oneOf")
                )
            }
        }
        if let excluded = keywords["not"],
            check(instance, against: excluded, at: context.pointer, following: context.references).isEmpty
        {
            violations.append(context.violation("must not match the excluded form", "not"))
        }
        return violations
    }

    private func branchResults(
        _ instance: JSONValue,
        _ schemas: [JSONValue],
        _ context: Context
    ) -> [[SchemaViolation]] {
        schemas.map { check(instance, against: $0, at: context.pointer, following: context.references) }
    }

    /// The violations of the only branch whose type (or `const`/`enum`) fits the value, if exactly one does:
    /// that is almost always the form the client meant, so its details help more than the summary alone.
    private func bestBranch(_ results: [[SchemaViolation]], _ context: Context) -> [SchemaViolation] {
        let discriminating: Set<String> = ["type", "const", "enum", "false"]
        let fitting = results.filter { violations in
            !violations.contains { $0.pointer == context.pointer && discriminating.contains($0.keyword) }
        }
        return fitting.count == 1 ? fitting[0] : []
    }

    func counted(_ count: Int64, _ noun: String) -> String {
        count == 1 ? "1 \(noun)" : "\(count) \(noun)s"
    }
}

extension JSONValue {
    /// A compact rendering of a schema constant for messages: strings unquoted, numbers as written.
    ///
    /// Only ever applied to values from the contract, never to client input.
    var displayText: String {
        switch self {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .integer, .number: return NumberComparison.format(self)
        case .string(let text): return text
        case .array(let elements): return "[" + elements.map(\.displayText).joined(separator: ", ") + "]"
        case .object(let members):
            let fields = members.keys.sorted().map { "\($0): \(members[$0]?.displayText ?? "")" }
            return "{" + fields.joined(separator: ", ") + "}"
        }
    }
}
