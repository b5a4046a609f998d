import Foundation

/// Checks JSON values against the JSON Schema 2020-12 subset that OpenAPI 3.1 contracts use.
///
/// The server runs it on every request body and the test suite on every response, so the contract document is
/// the single source of truth for what the API accepts and returns. Supported keywords: `$ref`, `type`, `enum`,
/// `const`, numeric bounds, `multipleOf`, string lengths, `pattern`, `format` (`date`, `date-time`, `int32`,
/// `int64`, and the text rules `single-line` and `multi-line`), array sizes, `items`, `uniqueItems`, `properties`,
/// `patternProperties`, `additionalProperties`, `required`, `minProperties`, `maxProperties`, `allOf`, `anyOf`,
/// `oneOf` and `not`. Other keywords, including annotations such as `description` or `example`, are ignored.
public struct SchemaValidator: Sendable {
    /// The document that `$ref`s such as `#/components/schemas/Offer` are resolved against.
    public let root: JSONValue
    let regexes = RegexCache()

    /// Creates a validator that resolves `$ref`s against `root`, normally the whole OpenAPI document.
    ///
    /// Create one per document and reuse it: it caches compiled `pattern` regexes.
    public init(root: JSONValue = .null) {
        self.root = root
    }

    /// Returns every way in which `instance` breaks `schema`, sorted by pointer and then message; empty when valid.
    ///
    /// All violations are reported, not just the first, so a client can fix a form in one round trip. Values that
    /// already have the wrong type get only the type violation, since the other keywords cannot apply to them.
    public func validate(_ instance: JSONValue, against schema: JSONValue) -> [SchemaViolation] {
        let violations = check(instance, against: schema, at: "", following: []).sorted()
        return violations.enumerated().compactMap { offset, violation in
            offset > 0 && violations[offset - 1] == violation ? nil : violation
        }
    }

    func check(
        _ instance: JSONValue,
        against schema: JSONValue,
        at pointer: String,
        following references: Set<String>
    ) -> [SchemaViolation] {
        switch schema {
        case .bool(true):
            return []
        case .bool(false):
            return [SchemaViolation(pointer: pointer, message: "is not allowed", keyword: "false")]
        case .object(let keywords):
            let context = Context(keywords: keywords, pointer: pointer, references: references)
            return check(instance, context)
        default:
            return []
        }
    }

    /// What one schema object is being applied to; keeps the keyword checks' signatures short.
    struct Context {
        let keywords: [String: JSONValue]
        let pointer: String
        let references: Set<String>

        func violation(_ message: String, _ keyword: String) -> SchemaViolation {
            SchemaViolation(pointer: pointer, message: message, keyword: keyword)
        }
    }

    private func check(_ instance: JSONValue, _ context: Context) -> [SchemaViolation] {
        if let typeViolation = checkType(instance, context) {
            return [typeViolation]
        }
        var violations = checkReference(instance, context)
        violations += checkValue(instance, context)
        switch instance {
        case .integer, .number:
            violations += checkNumber(instance, context)
        case .string(let text):
            violations += checkString(text, context)
        case .array(let elements):
            violations += checkArray(elements, context)
        case .object(let members):
            violations += checkObject(members, context)
        case .null, .bool:
            break
        }
        violations += checkComposition(instance, context)
        return violations
    }

    private func checkReference(_ instance: JSONValue, _ context: Context) -> [SchemaViolation] {
        guard case .string(let reference) = context.keywords["$ref"] else { return [] }
        let visit = reference + "\u{0}" + context.pointer
        guard !context.references.contains(visit) else {
            return [context.violation("cannot be checked because the contract's schema refers to itself", "$ref")]
        }
        guard let target = JSONPointer.resolveReference(reference, in: root) else {
            return [context.violation("cannot be checked because the contract refers to a missing schema", "$ref")]
        }
        return check(instance, against: target, at: context.pointer, following: context.references.union([visit]))
    }

    private func checkType(_ instance: JSONValue, _ context: Context) -> SchemaViolation? {
        let names: [String]
        switch context.keywords["type"] {
        case .string(let name)?:
            names = [name]
        case .array(let list)?:
            names = list.compactMap(\.stringValue)
        default:
            return nil
        }
        guard !names.contains(where: { Self.hasType(instance, $0) }) else { return nil }
        let phrases = names.map(Self.typePhrase)
        let listed =
            phrases.count > 1
            ? phrases.dropLast().joined(separator: ", ") + " or " + (phrases.last ?? "") : phrases.joined()
        return context.violation("must be \(listed)", "type")
    }

    private static func hasType(_ instance: JSONValue, _ name: String) -> Bool {
        switch (name, instance) {
        case ("null", .null), ("boolean", .bool), ("integer", .integer), ("number", .integer),
            ("number", .number), ("string", .string), ("array", .array), ("object", .object):
            return true
        default:
            return false
        }
    }

    private static func typePhrase(_ name: String) -> String {
        switch name {
        case "null": return "null"
        case "boolean": return "true or false"
        case "integer": return "an integer"
        case "number": return "a number"
        case "string": return "a string"
        case "array": return "an array"
        case "object": return "an object"
        default: return "of type \(name)"
        }
    }

    private func checkValue(_ instance: JSONValue, _ context: Context) -> [SchemaViolation] {
        var violations: [SchemaViolation] = []
        if case .array(let allowed)? = context.keywords["enum"], !allowed.contains(where: instance.isSchemaEqual) {
            let listed = allowed.map(\.displayText).joined(separator: ", ")
            violations.append(context.violation("must be one of: \(listed)", "enum"))
        }
        if let constant = context.keywords["const"], !instance.isSchemaEqual(to: constant) {
            violations.append(context.violation("must equal \(constant.displayText)", "const"))
        }
        return violations
    }

    private func checkNumber(_ instance: JSONValue, _ context: Context) -> [SchemaViolation] {
        let keywords = context.keywords
        var violations: [SchemaViolation] = []
        let bounds: [(keyword: String, failsWhen: Set<ComparisonResult>, phrase: String)] = [
            ("minimum", [.orderedAscending], "must be at least"),
            ("maximum", [.orderedDescending], "must be at most"),
            ("exclusiveMinimum", [.orderedAscending, .orderedSame], "must be greater than"),
            ("exclusiveMaximum", [.orderedDescending, .orderedSame], "must be less than"),
        ]
        for bound in bounds {
            guard let limit = keywords[bound.keyword], let order = NumberComparison.compare(instance, limit) else {
                continue
            }
            if bound.failsWhen.contains(order) {
                violations.append(
                    context.violation("\(bound.phrase) \(NumberComparison.format(limit))", bound.keyword)
                )
            }
        }
        if let divisor = keywords["multipleOf"], divisor.doubleValue != nil,
            !NumberComparison.isMultiple(instance, of: divisor)
        {
            violations.append(
                context.violation("must be a multiple of \(NumberComparison.format(divisor))", "multipleOf"))
        }
        if case .string(let format)? = keywords["format"],
            let message = FormatChecker.violation(of: format, by: instance)
        {
            violations.append(context.violation(message, "format"))
        }
        return violations
    }

    private func checkString(_ text: String, _ context: Context) -> [SchemaViolation] {
        let keywords = context.keywords
        var violations: [SchemaViolation] = []
        let length = text.unicodeScalars.count
        if case .integer(let minimum)? = keywords["minLength"], length < minimum {
            violations.append(context.violation("must have at least \(counted(minimum, "character"))", "minLength"))
        }
        if case .integer(let maximum)? = keywords["maxLength"], length > maximum {
            violations.append(context.violation("must have at most \(counted(maximum, "character"))", "maxLength"))
        }
        if case .string(let pattern)? = keywords["pattern"] {
            switch regexes.matches(pattern, text) {
            case false?:
                violations.append(context.violation("must match the pattern \(pattern)", "pattern"))
            case nil:
                violations.append(
                    context.violation("cannot be checked because the contract's pattern is invalid", "pattern"))
            case true?:
                break
            }
        }
        if case .string(let format)? = keywords["format"],
            let message = FormatChecker.violation(of: format, by: .string(text))
        {
            violations.append(context.violation(message, "format"))
        }
        return violations
    }
}
