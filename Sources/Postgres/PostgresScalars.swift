import Foundation

extension String: PostgresEncodable, PostgresDecodable {
    public static var postgresType: PostgresType { .unspecified }

    public func postgresText() throws(PostgresError) -> String {
        guard !utf8.contains(0) else {
            throw PostgresError(code: .encoding, reason: "text cannot contain a NUL character")
        }
        return self
    }

    public static func accepts(_ type: PostgresType) -> Bool { PostgresType.texts.contains(type) }

    public init(postgresText bytes: UnsafeRawBufferPointer, type: PostgresType) {
        self = String(decoding: bytes, as: UTF8.self)
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public static var postgresType: PostgresType { .bool }

    public func postgresText() -> String { self ? "t" : "f" }

    public static func accepts(_ type: PostgresType) -> Bool { type == .bool }

    public init(postgresText bytes: UnsafeRawBufferPointer, type: PostgresType) throws(PostgresError) {
        switch bytes.first {
        case UInt8(ascii: "t"): self = true
        case UInt8(ascii: "f"): self = false
        default: throw .malformed("boolean")
        }
    }
}

/// Integers share one parser: optional sign, then decimal digits, with overflow checked.
protocol PostgresInteger: FixedWidthInteger, PostgresEncodable, PostgresDecodable {}

extension PostgresInteger {
    public func postgresText() -> String { String(self) }

    public static func accepts(_ type: PostgresType) -> Bool { PostgresType.integers.contains(type) }

    public init(postgresText bytes: UnsafeRawBufferPointer, type: PostgresType) throws(PostgresError) {
        guard let value = Self.parseDecimal(bytes) else { throw .malformed("integer for \(Self.self)") }
        self = value
    }

    static func parseDecimal(_ bytes: UnsafeRawBufferPointer) -> Self? {
        var index = 0
        let negative = bytes.first == UInt8(ascii: "-")
        if negative || bytes.first == UInt8(ascii: "+") { index = 1 }
        guard index < bytes.count else { return nil }
        var value: Self = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowB) =
                negative
                ? shifted.subtractingReportingOverflow(Self(digit))
                : shifted.addingReportingOverflow(Self(digit))
            guard !overflowA, !overflowB else { return nil }
            value = next
            index += 1
        }
        return value
    }
}

extension Int: PostgresInteger {
    public static var postgresType: PostgresType { .int8 }
}

extension Int64: PostgresInteger {
    public static var postgresType: PostgresType { .int8 }
}

extension Int32: PostgresInteger {
    public static var postgresType: PostgresType { .int4 }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public static var postgresType: PostgresType { .float8 }

    public func postgresText() -> String {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return description
    }

    public static func accepts(_ type: PostgresType) -> Bool {
        type == .float8 || type == .float4 || type == .numeric || PostgresType.integers.contains(type)
    }

    public init(postgresText bytes: UnsafeRawBufferPointer, type: PostgresType) throws(PostgresError) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch text {
        case "Infinity": self = .infinity
        case "-Infinity": self = -.infinity
        case "NaN": self = .nan
        default:
            guard let value = Double(text) else { throw .malformed("floating-point number") }
            self = value
        }
    }
}

extension Decimal: PostgresEncodable, PostgresDecodable {
    public static var postgresType: PostgresType { .numeric }

    public func postgresText() throws(PostgresError) -> String {
        guard !isNaN else { throw PostgresError(code: .encoding, reason: "a NaN decimal has no numeric form") }
        return description
    }

    public static func accepts(_ type: PostgresType) -> Bool {
        type == .numeric || PostgresType.integers.contains(type)
    }

    public init(postgresText bytes: UnsafeRawBufferPointer, type: PostgresType) throws(PostgresError) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), !value.isNaN else {
            throw .malformed("numeric")
        }
        self = value
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    public static var postgresType: PostgresType { .uuid }

    public func postgresText() -> String { uuidString.lowercased() }

    public static func accepts(_ type: PostgresType) -> Bool { type == .uuid }

    public init(postgresText bytes: UnsafeRawBufferPointer, type: PostgresType) throws(PostgresError) {
        guard let value = UUID(uuidString: String(decoding: bytes, as: UTF8.self)) else { throw .malformed("uuid") }
        self = value
    }
}

extension Data: PostgresEncodable, PostgresDecodable {
    public static var postgresType: PostgresType { .bytea }

    public func postgresText() -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8](repeating: 0, count: 2 + count * 2)
        text[0] = UInt8(ascii: "\\")
        text[1] = UInt8(ascii: "x")
        for (offset, byte) in enumerated() {
            text[2 + offset * 2] = digits[Int(byte >> 4)]
            text[3 + offset * 2] = digits[Int(byte & 0x0F)]
        }
        return String(decoding: text, as: UTF8.self)
    }

    public static func accepts(_ type: PostgresType) -> Bool { type == .bytea }

    /// Reads the hex output format (`\x…`), PostgreSQL's default since 9.0.
    public init(postgresText bytes: UnsafeRawBufferPointer, type: PostgresType) throws(PostgresError) {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"), bytes.count % 2 == 0
        else { throw .malformed("bytea") }
        var data = Data(capacity: (bytes.count - 2) / 2)
        var index = 2
        while index < bytes.count {
            guard let high = Self.hexValue(bytes[index]), let low = Self.hexValue(bytes[index + 1]) else {
                throw .malformed("bytea")
            }
            data.append(high << 4 | low)
            index += 2
        }
        self = data
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
