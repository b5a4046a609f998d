/// One way in which a JSON value breaks its schema.
///
/// Violations are meant to be returned to API clients as per-field errors, so the message says what was expected
/// and never repeats the offending value, which may be personal data.
public struct SchemaViolation: Sendable, Equatable, Comparable, CustomStringConvertible {
    /// RFC 6901 pointer to the offending value: `""` for the whole body, `/quantity` for a missing or unknown
    /// field, `/items/0/name` for a nested one.
    public let pointer: String
    /// A sentence fragment for people, such as "is required" or "must be at most 5".
    public let message: String
    /// The schema keyword that failed (`required`, `type`, `maximum`, ...), so callers can map it to error codes.
    public let keyword: String

    /// Creates a violation; public so tests can state expected violations directly.
    public init(pointer: String, message: String, keyword: String) {
        self.pointer = pointer
        self.message = message
        self.keyword = keyword
    }

    /// Orders by pointer, then message, then keyword, which makes the list of violations deterministic.
    public static func < (lhs: SchemaViolation, rhs: SchemaViolation) -> Bool {
        (lhs.pointer, lhs.message, lhs.keyword) < (rhs.pointer, rhs.message, rhs.keyword)
    }

    /// The pointer and message together, such as `/quantity is required`.
    public var description: String {
        pointer.isEmpty ? "the value \(message)" : "\(pointer) \(message)"
    }
}
