/// A strict RFC 8259 parser producing `JSONValue`.
///
/// Recursion depth is bounded by `maxDepth`, so stack use is bounded too.
struct JSONParser {
    private let bytes: [UInt8]
    private let maxDepth: Int
    private var index = 0

    init(bytes: [UInt8], maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        guard index == bytes.count else { throw failure(.trailingData) }
        return value
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw failure(.unexpectedEnd) }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            throw failure(.unexpectedCharacter(expected: "a value"))
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw failure(.tooDeep(limit: maxDepth)) }
        index += 1
        var members: [String: JSONValue] = [:]
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return .object(members)
        }
        while true {
            let keyOffset = index
            guard try peek() == UInt8(ascii: "\"") else {
                throw failure(.unexpectedCharacter(expected: "a string as object key"))
            }
            let key = try parseString()
            guard members[key] == nil else { throw JSONParseError(offset: keyOffset, reason: .duplicateKey) }
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else {
                throw failure(.unexpectedCharacter(expected: "':' after an object key"))
            }
            index += 1
            skipWhitespace()
            members[key] = try parseValue(depth: depth)
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
                if try peek() == UInt8(ascii: "}") { throw failure(.trailingComma) }
            case UInt8(ascii: "}"):
                index += 1
                return .object(members)
            default:
                throw failure(.unexpectedCharacter(expected: "',' or '}' in an object"))
            }
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maxDepth else { throw failure(.tooDeep(limit: maxDepth)) }
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return .array(elements)
        }
        while true {
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
                if try peek() == UInt8(ascii: "]") { throw failure(.trailingComma) }
            case UInt8(ascii: "]"):
                index += 1
                return .array(elements)
            default:
                throw failure(.unexpectedCharacter(expected: "',' or ']' in an array"))
            }
        }
    }

    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        var utf8: [UInt8] = []
        while true {
            guard index < bytes.count else { throw failure(.unexpectedEnd) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: utf8, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try parseEscape(into: &utf8)
            case 0..<0x20:
                throw failure(.controlCharacterInString)
            case 0x20..<0x80:
                utf8.append(byte)
                index += 1
            default:
                let length = try validatedSequenceLength()
                utf8.append(contentsOf: bytes[index..<index + length])
                index += length
            }
        }
    }

    private mutating func parseEscape(into utf8: inout [UInt8]) throws(JSONParseError) {
        index += 1
        guard index < bytes.count else { throw failure(.unexpectedEnd) }
        let simple: UInt8?
        switch bytes[index] {
        case UInt8(ascii: "\""): simple = UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): simple = UInt8(ascii: "\\")
        case UInt8(ascii: "/"): simple = UInt8(ascii: "/")
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): simple = nil
        default: throw failure(.invalidEscape)
        }
        if let simple {
            utf8.append(simple)
            index += 1
            return
        }
        let escapeStart = index - 1
        let unit = try parseHexQuad()
        var scalarValue = UInt32(unit)
        if (0xD800...0xDBFF).contains(unit) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u")
            else { throw JSONParseError(offset: escapeStart, reason: .loneSurrogate) }
            index += 1
            let low = try parseHexQuad()
            guard (0xDC00...0xDFFF).contains(low) else {
                throw JSONParseError(offset: escapeStart, reason: .loneSurrogate)
            }
            scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
        }
        // Only a lone low surrogate (U+DC00...U+DFFF) is left that is not a Unicode scalar.
        guard let scalar = Unicode.Scalar(scalarValue) else {
            throw JSONParseError(offset: escapeStart, reason: .loneSurrogate)
        }
        UTF8.encode(scalar) { utf8.append($0) }
    }

    /// Reads the four hex digits after `\u`; `index` points at the `u` on entry and after the digits on exit.
    private mutating func parseHexQuad() throws(JSONParseError) -> UInt16 {
        index += 1
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard index < bytes.count else { throw failure(.unexpectedEnd) }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw failure(.invalidEscape)
            }
            value = value << 4 | UInt16(digit)
            index += 1
        }
        return value
    }

    /// Checks the multi-byte UTF-8 sequence at `index` (rejecting overlong forms, surrogates and values above
    /// U+10FFFF) and returns its length.
    private func validatedSequenceLength() throws(JSONParseError) -> Int {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default: throw failure(.invalidUTF8)
        }
        guard index + length <= bytes.count else { throw failure(.invalidUTF8) }
        guard secondRange.contains(bytes[index + 1]) else { throw failure(.invalidUTF8) }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) {
            throw failure(.invalidUTF8)
        }
        return length
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw failure(.unexpectedEnd) }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) { throw JSONParseError(offset: start, reason: .leadingZero) }
        } else if isDigit(bytes[index]) {
            skipDigits()
        } else {
            throw failure(.invalidNumber)
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            try requireDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            try requireDigits()
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) {
            return .integer(integer)
        }
        guard let number = Double(text), number.isFinite else {
            throw JSONParseError(offset: start, reason: .numberOutOfRange)
        }
        return .number(number)
    }

    private mutating func requireDigits() throws(JSONParseError) {
        guard index < bytes.count else { throw failure(.unexpectedEnd) }
        guard isDigit(bytes[index]) else { throw failure(.invalidNumber) }
        skipDigits()
    }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func expectLiteral(_ literal: String) throws(JSONParseError) {
        let start = index
        for byte in literal.utf8 {
            guard index < bytes.count else { throw failure(.unexpectedEnd) }
            guard bytes[index] == byte else {
                throw JSONParseError(offset: start, reason: .unexpectedCharacter(expected: "a value"))
            }
            index += 1
        }
    }

    private func peek() throws(JSONParseError) -> UInt8 {
        guard index < bytes.count else { throw failure(.unexpectedEnd) }
        return bytes[index]
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private func failure(_ reason: JSONParseError.Reason) -> JSONParseError {
        JSONParseError(offset: index, reason: reason)
    }
}
