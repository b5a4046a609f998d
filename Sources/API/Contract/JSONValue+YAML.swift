import Yams

/// Why a YAML document could not be turned into JSON.
public struct YAMLConversionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A sentence for the contract's author, with the YAML line where known.
    public let description: String

    init(_ problem: String, at mark: Mark?) {
        if let mark {
            description = "YAML line \(mark.line), column \(mark.column): \(problem)"
        } else {
            description = problem
        }
    }
}

extension JSONValue {
    /// Loads a single YAML document as JSON, resolving plain scalars by the YAML 1.2 core schema.
    ///
    /// Yams' default resolver follows YAML 1.1, where `on`, `yes`, `no` become booleans and `2026-01-01` a date;
    /// an `enum: [on, off]` in the contract would silently change meaning. Here only `true`/`false`, `null`/`~`,
    /// and decimal, octal (`0o`) and hex (`0x`) integers and decimal floats are anything but strings.
    public init(yaml text: String) throws {
        guard let node = try Yams.compose(yaml: text, .basic) else {
            throw YAMLConversionError("the YAML text contains no document", at: nil)
        }
        try self.init(yamlNode: node)
    }

    /// Converts a composed Yams node into a `Sendable` JSON value; see `init(yaml:)` for how scalars resolve.
    ///
    /// Quoted and block scalars are always strings. Explicit tags `!!str`, `!!int`, `!!float`, `!!bool` and
    /// `!!null` are honoured; other tags and merge keys (`<<`) are rejected rather than guessed at.
    public init(yamlNode node: Node) throws {
        switch node {
        case .scalar(let scalar):
            self = try Self.convert(scalar)
        case .sequence(let sequence):
            self = .array(try sequence.map { try JSONValue(yamlNode: $0) })
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw YAMLConversionError("mapping keys must be scalars", at: key.mark)
                }
                if keyScalar.string == "<<", keyScalar.style == .plain {
                    throw YAMLConversionError("merge keys (<<) are not supported", at: key.mark)
                }
                guard members[keyScalar.string] == nil else {
                    throw YAMLConversionError("a mapping repeats a key", at: key.mark)
                }
                members[keyScalar.string] = try JSONValue(yamlNode: value)
            }
            self = .object(members)
        case .alias(let alias):
            throw YAMLConversionError("unresolved alias", at: alias.mark)
        }
    }

    private static func convert(_ scalar: Node.Scalar) throws -> JSONValue {
        let text = scalar.string
        switch scalar.tag.rawValue {
        case Tag.Name.implicit.rawValue:
            guard scalar.style == .plain || scalar.style == .any else { return .string(text) }
            return try resolvePlain(text, at: scalar.mark) ?? .string(text)
        case Tag.Name.nonSpecific.rawValue, Tag.Name.str.rawValue:
            return .string(text)
        case Tag.Name.null.rawValue where isNull(text),
            Tag.Name.bool.rawValue where isBool(text):
            return try resolvePlain(text, at: scalar.mark) ?? .string(text)
        case Tag.Name.int.rawValue:
            guard let value = integer(text) else {
                throw YAMLConversionError("!!int needs an integer", at: scalar.mark)
            }
            return value
        case Tag.Name.float.rawValue:
            guard let number = try (integer(text) ?? float(text, at: scalar.mark))?.doubleValue else {
                throw YAMLConversionError("!!float needs a number", at: scalar.mark)
            }
            return .number(number)
        default:
            throw YAMLConversionError("unsupported or mismatched YAML tag", at: scalar.mark)
        }
    }

    private static func resolvePlain(_ text: String, at mark: Mark?) throws -> JSONValue? {
        if isNull(text) { return .null }
        if isBool(text) { return .bool(text.first == "t" || text.first == "T") }
        if let value = integer(text) { return value }
        return try float(text, at: mark)
    }

    private static func isNull(_ text: String) -> Bool {
        ["", "~", "null", "Null", "NULL"].contains(text)
    }

    private static func isBool(_ text: String) -> Bool {
        ["true", "True", "TRUE", "false", "False", "FALSE"].contains(text)
    }

    private static func integer(_ text: String) -> JSONValue? {
        if text.wholeMatch(of: /[-+]?[0-9]+/) != nil {
            if let value = Int64(text) { return .integer(value) }
            return Double(text).map(JSONValue.number)
        }
        if let match = text.wholeMatch(of: /0o([0-7]+)/) {
            return Int64(match.1, radix: 8).map(JSONValue.integer)
        }
        if let match = text.wholeMatch(of: /0x([0-9a-fA-F]+)/) {
            return Int64(match.1, radix: 16).map(JSONValue.integer)
        }
        return nil
    }

    private static func float(_ text: String, at mark: Mark?) throws -> JSONValue? {
        if text.wholeMatch(of: /[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?/) != nil {
            guard let value = Double(text), value.isFinite else {
                throw YAMLConversionError("number too large for JSON", at: mark)
            }
            return .number(value)
        }
        if text.wholeMatch(of: /[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)/) != nil {
            throw YAMLConversionError("infinity and NaN cannot be written in JSON", at: mark)
        }
        return nil
    }
}
