import Foundation

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresType: PostgresType { Element.arrayType }

    public func postgresText() throws(PostgresError) -> String {
        var text = "{"
        for (offset, element) in enumerated() {
            if offset > 0 { text.append(",") }
            text.append("\"")
            for character in try element.postgresText() {
                if character == "\"" || character == "\\" { text.append("\\") }
                text.append(character)
            }
            text.append("\"")
        }
        return text + "}"
    }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    public static func accepts(_ type: PostgresType) -> Bool { Element.acceptedArrayTypes.contains(type) }

    /// Reads a one-dimensional array literal such as `{a,"b c",NULL}`; NULL elements and
    /// nested arrays are refused because the Swift type cannot hold them.
    public init(postgresText bytes: UnsafeRawBufferPointer, type: PostgresType) throws(PostgresError) {
        let elementType = Element.elementType
        var elements: [Element] = []
        for element in try PostgresArrayLiteral.elements(of: bytes) {
            guard let element else { throw .malformed("array: NULL element") }
            let decoded = element.withUnsafeBytes { buffer in
                Result { () throws(PostgresError) in try Element(postgresText: buffer, type: elementType) }
            }
            elements.append(try decoded.get())
        }
        self = elements
    }
}

/// A type that can be an element of a PostgreSQL array parameter or column.
public protocol PostgresArrayElement: PostgresEncodable, PostgresDecodable {
    static var arrayType: PostgresType { get }
    static var elementType: PostgresType { get }
    static var acceptedArrayTypes: Set<PostgresType> { get }
}

extension String: PostgresArrayElement {
    public static var arrayType: PostgresType { .textArray }
    public static var elementType: PostgresType { .text }
    public static var acceptedArrayTypes: Set<PostgresType> { [.textArray, .varcharArray, .bpcharArray, .nameArray] }
}

extension Int: PostgresArrayElement {
    public static var arrayType: PostgresType { .int8Array }
    public static var elementType: PostgresType { .int8 }
    public static var acceptedArrayTypes: Set<PostgresType> { [.int2Array, .int4Array, .int8Array] }
}

enum PostgresArrayLiteral {
    static func elements(of bytes: UnsafeRawBufferPointer) throws(PostgresError) -> [[UInt8]?] {
        guard bytes.count >= 2, bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else {
            throw .malformed("array")
        }
        var elements: [[UInt8]?] = []
        var index = 1
        let end = bytes.count - 1
        if index == end { return elements }
        while true {
            var element: [UInt8] = []
            if bytes[index] == UInt8(ascii: "\"") {
                index += 1
                while index < end, bytes[index] != UInt8(ascii: "\"") {
                    if bytes[index] == UInt8(ascii: "\\") { index += 1 }
                    guard index < end else { throw .malformed("array") }
                    element.append(bytes[index])
                    index += 1
                }
                guard index < end else { throw .malformed("array") }
                index += 1
                elements.append(element)
            } else {
                while index < end, bytes[index] != UInt8(ascii: ",") {
                    guard bytes[index] != UInt8(ascii: "{") else { throw .malformed("array: nested") }
                    element.append(bytes[index])
                    index += 1
                }
                elements.append(element == Array("NULL".utf8) ? nil : element)
            }
            if index == end { return elements }
            guard bytes[index] == UInt8(ascii: ",") else { throw .malformed("array") }
            index += 1
        }
    }
}

/// A `jsonb` value holding any `Codable` Swift value, encoded with sorted keys so equal
/// values give equal documents.
public struct PostgresJSON<Value: Codable & Sendable>: PostgresEncodable, PostgresDecodable {
    public var value: Value

    public init(_ value: Value) { self.value = value }

    public static var postgresType: PostgresType { .jsonb }

    public func postgresText() throws(PostgresError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw PostgresError(code: .encoding, reason: "the value could not be encoded as JSON")
        }
    }

    public static func accepts(_ type: PostgresType) -> Bool { type == .jsonb || type == .json }

    public init(postgresText bytes: UnsafeRawBufferPointer, type: PostgresType) throws(PostgresError) {
        do {
            value = try JSONDecoder().decode(Value.self, from: Data(bytes))
        } catch {
            throw .malformed("JSON for \(Value.self)")
        }
    }
}
