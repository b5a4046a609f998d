import Foundation

/// Writes JSON by hand for the answers that are read most (match lists): Foundation's
/// `JSONEncoder` spent more time on a page of matches than the database did, and a score
/// breakdown stored as JSON can be relayed as it is instead of being decoded and encoded.
///
/// Keys are written as given (snake_case), objects in the order fields are written, times
/// as `yyyy-MM-ddTHH:mm:ssZ` like the encoder's `.iso8601`.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the next value or key follows another in the same object or array.
    private var needsComma = false
    /// Whether a key was just written, so the next value belongs to it.
    private var afterKey = false

    init(reservingCapacity capacity: Int = 1024) {
        bytes.reserveCapacity(capacity)
    }

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
        body(&self)
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func array<S: Sequence>(_ key: String, _ elements: S, _ body: (inout JSONWriter, S.Element) -> Void) {
        self.key(key)
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
        for element in elements { body(&self, element) }
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        self.key(key)
        separate()
        string(value)
    }

    mutating func field<T: BinaryInteger>(_ key: String, _ value: T?) {
        guard let value else { return }
        self.key(key)
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func field(_ key: String, _ value: Date?) {
        guard let value else { return }
        self.key(key)
        separate()
        string(Self.timestamp(value))
    }

    /// A value that is JSON text already, such as a `jsonb` column read as text.
    mutating func field(_ key: String, json: String?) {
        guard let json else { return }
        self.key(key)
        separate()
        bytes.append(contentsOf: json.utf8)
    }

    /// An object value written by `body`.
    mutating func field(_ key: String, object body: (inout JSONWriter) -> Void) {
        self.key(key)
        object(body)
    }

    /// Writes `"name":`; the value written next belongs to it.
    private mutating func key(_ name: String) {
        separate()
        string(name)
        bytes.append(UInt8(ascii: ":"))
        afterKey = true
    }

    /// The comma before a key or an element, unless it is the first or a key's value.
    private mutating func separate() {
        if afterKey {
            afterKey = false
        } else if needsComma {
            bytes.append(UInt8(ascii: ","))
        }
        needsComma = true
    }

    private mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` in UTC, whole seconds (as `JSONEncoder`'s `.iso8601` writes).
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):"
            + "\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }
}
