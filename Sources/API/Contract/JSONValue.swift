import Foundation

/// A JSON value that keeps the distinctions the contract depends on.
///
/// Foundation's `JSONSerialization` hands back `NSNumber`, which on Linux cannot reliably tell `true` from `1`
/// or `1` from `1.0`. The schema keyword `type: integer` needs exactly that distinction, so request bodies are
/// parsed into this enum by a strict parser (see `init(parsing:maxDepth:)`) instead.
///
/// Equality is structural: `.integer(1)` and `.number(1.0)` are different values. Schema keywords that compare
/// values (`enum`, `const`, `uniqueItems`) use JSON Schema's numeric equality instead.
public enum JSONValue: Sendable, Equatable {
    /// The JSON literal `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits.
    case integer(Int64)
    /// Any other number, such as `1.0`, `1.5`, `1e2`, or an integer too large for 64 bits.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object. JSON objects parsed by this library never have duplicate keys.
    case object([String: JSONValue])
}

extension JSONValue {
    /// The members of an object, or `nil` for any other kind of value.
    public var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements of an array, or `nil` for any other kind of value.
    public var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// The text of a string, or `nil` for any other kind of value.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The value of a boolean, or `nil` for any other kind of value.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The value of any number as a `Double`, so that schema bounds written as `1` or `1.0` compare alike.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// The member named `key` when this is an object, so documents can be walked without pattern matching.
    public subscript(key: String) -> JSONValue? {
        objectValue?[key]
    }
}

extension JSONValue: ExpressibleByNilLiteral {
    /// Creates `.null`, so schemas and fixtures can be written as Swift literals.
    public init(nilLiteral: ()) {
        self = .null
    }
}

extension JSONValue: ExpressibleByBooleanLiteral {
    /// Creates `.bool`, so schemas and fixtures can be written as Swift literals.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension JSONValue: ExpressibleByIntegerLiteral {
    /// Creates `.integer`, mirroring what the parser produces for `1`.
    public init(integerLiteral value: Int64) {
        self = .integer(value)
    }
}

extension JSONValue: ExpressibleByFloatLiteral {
    /// Creates `.number`, mirroring what the parser produces for `1.5`.
    public init(floatLiteral value: Double) {
        self = .number(value)
    }
}

extension JSONValue: ExpressibleByStringLiteral {
    /// Creates `.string`, so schemas and fixtures can be written as Swift literals.
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension JSONValue: ExpressibleByArrayLiteral {
    /// Creates `.array`, so schemas and fixtures can be written as Swift literals.
    public init(arrayLiteral elements: JSONValue...) {
        self = .array(elements)
    }
}

extension JSONValue: ExpressibleByDictionaryLiteral {
    /// Creates `.object`; a repeated key keeps its last value, as Swift literals cannot report errors.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension JSONValue {
    /// Parses strict RFC 8259 JSON.
    ///
    /// Rejects what lenient parsers let through (trailing commas, leading zeros, raw control characters, lone
    /// surrogates, invalid UTF-8, duplicate keys) because each is ambiguous or a sign of a broken client.
    /// `maxDepth` bounds the nesting of arrays and objects so hostile input cannot exhaust the stack.
    public init(parsing bytes: some Collection<UInt8>, maxDepth: Int = 64) throws(JSONParseError) {
        var parser = JSONParser(bytes: Array(bytes), maxDepth: maxDepth)
        self = try parser.parseDocument()
    }

    /// Parses strict RFC 8259 JSON from `Data`; see `init(parsing:maxDepth:)`.
    public init(data: Data, maxDepth: Int = 64) throws(JSONParseError) {
        try self.init(parsing: data, maxDepth: maxDepth)
    }

    /// Whether two values are equal under JSON Schema's rules, where `1` and `1.0` are the same number.
    func isSchemaEqual(to other: JSONValue) -> Bool {
        switch (self, other) {
        case (.integer(let lhs), .integer(let rhs)):
            return lhs == rhs
        case (.integer, .number), (.number, .integer), (.number, .number):
            return NumberComparison.compare(self, other) == .orderedSame
        case (.array(let lhs), .array(let rhs)):
            return lhs.count == rhs.count && zip(lhs, rhs).allSatisfy { $0.isSchemaEqual(to: $1) }
        case (.object(let lhs), .object(let rhs)):
            guard lhs.count == rhs.count else { return false }
            return lhs.allSatisfy { key, value in rhs[key].map { value.isSchemaEqual(to: $0) } ?? false }
        default:
            return self == other
        }
    }
}
