import Foundation
import Testing

@testable import API

@Suite("Strict JSON parser")
struct JSONParserTests {
    private func parse(_ text: String, maxDepth: Int = 64) throws(JSONParseError) -> JSONValue {
        try JSONValue(parsing: Array(text.utf8), maxDepth: maxDepth)
    }

    private func failure(_ text: String, maxDepth: Int = 64) -> JSONParseError? {
        do {
            _ = try parse(text, maxDepth: maxDepth)
            return nil
        } catch {
            return error
        }
    }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" { "a": [1, -2.5, true, false, null, "x"], "b": {} , "c": [] } "#)
        #expect(value == ["a": [1, -2.5, true, false, nil, "x"], "b": [:], "c": []])
    }

    @Test func parsesScalarsAtTopLevel() throws {
        #expect(try parse("42") == .integer(42))
        #expect(try parse("\"s\"") == .string("s"))
        #expect(try parse("null") == .null)
    }

    @Test func distinguishesIntegersFromOtherNumbers() throws {
        #expect(try parse("1") == .integer(1))
        #expect(try parse("-0") == .integer(0))
        #expect(try parse("1.0") == .number(1.0))
        #expect(try parse("1.5") == .number(1.5))
        #expect(try parse("1e2") == .number(100))
        #expect(try parse("1E+2") == .number(100))
        #expect(try parse("2e-1") == .number(0.2))
        #expect(try parse("9223372036854775807") == .integer(Int64.max))
        #expect(try parse("-9223372036854775808") == .integer(Int64.min))
        #expect(try parse("9223372036854775808") == .number(9_223_372_036_854_775_808))
    }

    @Test func keepsBooleansApartFromNumbers() throws {
        #expect(try parse("true") == .bool(true))
        #expect(try parse("[1, true]") == [.integer(1), .bool(true)])
        #expect(try parse("true") != .integer(1))
    }

    @Test func decodesEscapesAndUnicode() throws {
        #expect(try parse(#""a\"b\\c\/d\b\f\n\r\t""#) == .string("a\"b\\c/d\u{8}\u{c}\n\r\t"))
        #expect(try parse(#""\u00e9\u793e""#) == .string("é社"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse("\"社工 😀\"") == .string("社工 😀"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
    }

    @Test func rejectsTrailingCommas() {
        #expect(failure("[1,]") == JSONParseError(offset: 3, reason: .trailingComma))
        #expect(failure(#"{"a":1,}"#) == JSONParseError(offset: 7, reason: .trailingComma))
    }

    @Test func rejectsLeadingZerosAndMalformedNumbers() {
        #expect(failure("012") == JSONParseError(offset: 0, reason: .leadingZero))
        #expect(failure("-01") == JSONParseError(offset: 0, reason: .leadingZero))
        #expect(failure("1.")?.reason == .unexpectedEnd)
        #expect(failure("1.e3") == JSONParseError(offset: 2, reason: .invalidNumber))
        #expect(failure("-") == JSONParseError(offset: 1, reason: .unexpectedEnd))
        #expect(failure("-a") == JSONParseError(offset: 1, reason: .invalidNumber))
        #expect(failure("+1")?.reason == .unexpectedCharacter(expected: "a value"))
        #expect(failure(".5")?.reason == .unexpectedCharacter(expected: "a value"))
        #expect(failure("1e400") == JSONParseError(offset: 0, reason: .numberOutOfRange))
        #expect(failure("NaN") != nil)
    }

    @Test func rejectsUnescapedControlCharacters() {
        #expect(failure("\"a\nb\"") == JSONParseError(offset: 2, reason: .controlCharacterInString))
        #expect(failure("\"a\tb\"") == JSONParseError(offset: 2, reason: .controlCharacterInString))
    }

    @Test func rejectsLoneSurrogates() {
        #expect(failure(#""\ud800""#) == JSONParseError(offset: 1, reason: .loneSurrogate))
        #expect(failure(#""\udc00""#) == JSONParseError(offset: 1, reason: .loneSurrogate))
        #expect(failure(#""\ud800\u0041""#) == JSONParseError(offset: 1, reason: .loneSurrogate))
        #expect(failure(#""\ud800x""#) == JSONParseError(offset: 1, reason: .loneSurrogate))
    }

    @Test func rejectsBadEscapes() {
        #expect(failure(#""\x""#) == JSONParseError(offset: 2, reason: .invalidEscape))
        #expect(failure(#""\u12g4""#) == JSONParseError(offset: 5, reason: .invalidEscape))
        #expect(failure(#""'\'""#)?.reason == .invalidEscape)
    }

    @Test func rejectsInvalidUTF8() {
        let cases: [[UInt8]] = [
            [0x22, 0xFF, 0x22],
            [0x22, 0xC0, 0xAF, 0x22],
            [0x22, 0xED, 0xA0, 0x80, 0x22],
            [0x22, 0xE2, 0x82, 0x22],
            [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
        ]
        for bytes in cases {
            #expect(throws: JSONParseError(offset: 1, reason: .invalidUTF8)) { try JSONValue(parsing: bytes) }
        }
    }

    @Test func rejectsDuplicateKeys() {
        #expect(failure(#"{"a":1,"b":2,"a":3}"#) == JSONParseError(offset: 13, reason: .duplicateKey))
        #expect(failure(#"{"a":1,"\u0061":2}"#)?.reason == .duplicateKey)
        #expect(failure(#"{"x":{"a":1,"a":1}}"#)?.reason == .duplicateKey)
    }

    @Test func limitsNestingDepth() throws {
        let allowed = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try parse(allowed) }
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(failure(tooDeep) == JSONParseError(offset: 64, reason: .tooDeep(limit: 64)))
        let hostile = String(repeating: "{\"a\":", count: 100_000)
        #expect(failure(hostile)?.reason == .tooDeep(limit: 64))
        #expect(failure("[[1]]", maxDepth: 1)?.reason == .tooDeep(limit: 1))
    }

    @Test func rejectsStructuralMistakes() {
        #expect(failure("") == JSONParseError(offset: 0, reason: .unexpectedEnd))
        #expect(failure("   ") == JSONParseError(offset: 3, reason: .unexpectedEnd))
        #expect(
            failure("[1 2]")
                == JSONParseError(offset: 3, reason: .unexpectedCharacter(expected: "',' or ']' in an array")))
        #expect(failure(#"{"a" 1}"#)?.reason == .unexpectedCharacter(expected: "':' after an object key"))
        #expect(failure("{a:1}")?.reason == .unexpectedCharacter(expected: "a string as object key"))
        #expect(failure("[1] x") == JSONParseError(offset: 4, reason: .trailingData))
        #expect(failure("tru") == JSONParseError(offset: 3, reason: .unexpectedEnd))
        #expect(failure("nul1") == JSONParseError(offset: 0, reason: .unexpectedCharacter(expected: "a value")))
        #expect(failure("\"abc") == JSONParseError(offset: 4, reason: .unexpectedEnd))
        #expect(failure("'a'")?.reason == .unexpectedCharacter(expected: "a value"))
    }

    @Test func errorDescriptionNamesOffsetButNotInput() {
        let secret = "\"Jane Doe, 1980-01-01\" trailing"
        guard let error = failure(secret) else {
            Issue.record("expected a parse error")
            return
        }
        #expect(error.description == "Invalid JSON at byte 23: unexpected content after the JSON value")
        #expect(!error.description.contains("Jane"))
    }

    @Test func parsesFromData() throws {
        let value = try JSONValue(data: Data(#"{"n": 1.0}"#.utf8))
        #expect(value["n"] == .number(1))
    }
}
