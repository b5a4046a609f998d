/// Why a request body is not acceptable JSON, and where.
///
/// The description names a byte offset and the rule that was broken but never quotes the input, because request
/// bodies may hold personal data and parse errors end up in responses and logs.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The rule the input broke.
    public enum Reason: Sendable, Equatable {
        /// The input stopped in the middle of a value.
        case unexpectedEnd
        /// A byte appeared where something else was required; `expected` says what, in words.
        case unexpectedCharacter(expected: String)
        /// A comma directly before `]` or `}`.
        case trailingComma
        /// A number with a superfluous leading zero, such as `012`.
        case leadingZero
        /// A number that is not written as RFC 8259 requires, such as `1.` or `-`.
        case invalidNumber
        /// A number too large for a 64-bit floating point value.
        case numberOutOfRange
        /// A raw control character (below U+0020) inside a string; it must be escaped.
        case controlCharacterInString
        /// A backslash followed by something other than a JSON escape.
        case invalidEscape
        /// A `\u` escape for half of a surrogate pair without its other half.
        case loneSurrogate
        /// Bytes that are not valid UTF-8.
        case invalidUTF8
        /// An object that names the same key twice, which parsers resolve inconsistently.
        case duplicateKey
        /// Arrays and objects nested deeper than the limit.
        case tooDeep(limit: Int)
        /// Something other than white space after the value.
        case trailingData
    }

    /// Zero-based offset of the byte where the problem was found.
    public let offset: Int
    /// The rule the input broke.
    public let reason: Reason

    /// Creates an error; public so callers can compare against expected errors in tests.
    public init(offset: Int, reason: Reason) {
        self.offset = offset
        self.reason = reason
    }

    /// A sentence for people that names the byte offset and the problem without quoting the input.
    public var description: String {
        "Invalid JSON at byte \(offset): \(explanation)"
    }

    private var explanation: String {
        switch reason {
        case .unexpectedEnd: return "the input ends too early"
        case .unexpectedCharacter(let expected): return "expected \(expected)"
        case .trailingComma: return "a comma must not come before a closing bracket or brace"
        case .leadingZero: return "numbers must not have leading zeros"
        case .invalidNumber: return "the number is not written correctly"
        case .numberOutOfRange: return "the number is too large"
        case .controlCharacterInString: return "control characters in strings must be escaped"
        case .invalidEscape: return "unknown escape sequence in string"
        case .loneSurrogate: return "a \\u escape encodes half of a surrogate pair"
        case .invalidUTF8: return "the text is not valid UTF-8"
        case .duplicateKey: return "the object repeats a key"
        case .tooDeep(let limit): return "arrays and objects are nested more than \(limit) levels deep"
        case .trailingData: return "unexpected content after the JSON value"
        }
    }
}
