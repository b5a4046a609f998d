import Foundation
import Testing

@testable import API

/// Validates `instance` against `schema` and renders each violation as "pointer message" for compact expectations.
func problems(_ instance: JSONValue, _ schema: JSONValue, root: JSONValue = .null) -> [String] {
    SchemaValidator(root: root).validate(instance, against: schema).map { "\($0.pointer) \($0.message)" }
}

@Suite("Schema validation: types, values, numbers, strings")
struct SchemaValidatorTests {
    @Test func typeKeywordAcceptsMatchingKinds() {
        let cases: [(JSONValue, String)] = [
            (nil, "null"), (true, "boolean"), (1, "integer"), (1, "number"), (1.5, "number"),
            ("x", "string"), ([1], "array"), (["a": 1], "object"),
        ]
        for (instance, type) in cases {
            #expect(problems(instance, ["type": .string(type)]).isEmpty, "\(type)")
        }
    }

    @Test func typeKeywordRejectsOtherKinds() {
        #expect(problems("1", ["type": "integer"]) == [" must be an integer"])
        #expect(problems(nil, ["type": "string"]) == [" must be a string"])
        #expect(problems(1, ["type": "boolean"]) == [" must be true or false"])
        #expect(problems([:], ["type": "array"]) == [" must be an array"])
        #expect(problems([], ["type": "object"]) == [" must be an object"])
        #expect(problems(0, ["type": "null"]) == [" must be null"])
    }

    @Test func integerMeansParsedAsInteger() throws {
        let schema: JSONValue = ["type": "integer"]
        #expect(problems(try JSONValue(parsing: Array("1".utf8)), schema).isEmpty)
        #expect(problems(try JSONValue(parsing: Array("1.0".utf8)), schema) == [" must be an integer"])
        #expect(problems(try JSONValue(parsing: Array("1e2".utf8)), schema) == [" must be an integer"])
        #expect(problems(1.5, schema) == [" must be an integer"])
        #expect(problems(try JSONValue(parsing: Array("1e2".utf8)), ["type": "number"]).isEmpty)
    }

    @Test func booleansAreNotNumbers() {
        #expect(problems(true, ["type": "integer"]) == [" must be an integer"])
        #expect(problems(false, ["type": "number"]) == [" must be a number"])
        #expect(problems(1, ["enum": [true]]) == [" must be one of: true"])
        #expect(problems(true, ["const": 1]) == [" must equal 1"])
    }

    @Test func typeListsAllowEachListedType() {
        let schema: JSONValue = ["type": ["string", "null"]]
        #expect(problems("a", schema).isEmpty)
        #expect(problems(nil, schema).isEmpty)
        #expect(problems(3, schema) == [" must be a string or null"])
        #expect(problems(true, ["type": ["integer", "string", "null"]]) == [" must be an integer, a string or null"])
    }

    @Test func wrongTypeSuppressesKeywordsForOtherTypes() {
        let schema: JSONValue = ["type": "integer", "minimum": 1, "enum": [1, 2]]
        #expect(problems("abc", schema) == [" must be an integer"])
    }

    @Test func enumAndConst() {
        let status: JSONValue = ["enum": ["open", "closed"]]
        #expect(problems("open", status).isEmpty)
        #expect(problems("pending", status) == [" must be one of: open, closed"])
        #expect(problems(1.0, ["enum": [1, 2]]).isEmpty)
        #expect(problems(["a": [1]], ["enum": [["a": [1.0]]]]).isEmpty)
        #expect(problems(nil, ["enum": ["x", nil]]).isEmpty)
        #expect(problems("v1", ["const": "v1"]).isEmpty)
        #expect(problems("v2", ["const": "v1"]) == [" must equal v1"])
    }

    @Test func numericBounds() {
        let rating: JSONValue = ["type": "integer", "minimum": 1, "maximum": 5]
        #expect(problems(1, rating).isEmpty)
        #expect(problems(5, rating).isEmpty)
        #expect(problems(0, rating) == [" must be at least 1"])
        #expect(problems(6, rating) == [" must be at most 5"])
        let open: JSONValue = ["exclusiveMinimum": 0, "exclusiveMaximum": 10.5]
        #expect(problems(0.001, open).isEmpty)
        #expect(problems(10.4, open).isEmpty)
        #expect(problems(0, open) == [" must be greater than 0"])
        #expect(problems(10.5, open) == [" must be less than 10.5"])
        #expect(problems(0.5, ["minimum": 1.0]) == [" must be at least 1"])
    }

    @Test func boundsCompareLargeIntegersExactly() {
        #expect(
            problems(9_007_199_254_740_993, ["maximum": 9_007_199_254_740_992]) == [
                " must be at most 9007199254740992"
            ])
        #expect(problems(.integer(Int64.max), ["maximum": 1e300]).isEmpty)
        #expect(problems(3, ["maximum": 2.5]) == [" must be at most 2.5"])
        #expect(problems(2, ["exclusiveMaximum": 2.0]) == [" must be less than 2"])
    }

    @Test func multipleOf() {
        #expect(problems(10, ["multipleOf": 5]).isEmpty)
        #expect(problems(7, ["multipleOf": 2]) == [" must be a multiple of 2"])
        #expect(problems(0.3, ["multipleOf": 0.1]).isEmpty)
        #expect(problems(19.99, ["multipleOf": 0.01]).isEmpty)
        #expect(problems(0.35, ["multipleOf": 0.1]) == [" must be a multiple of 0.1"])
        #expect(problems(4.0, ["multipleOf": 2]).isEmpty)
    }

    @Test func lengthsCountCodePoints() {
        #expect(problems("社工", ["maxLength": 2]).isEmpty)
        #expect(problems("社工", ["minLength": 3]) == [" must have at least 3 characters"])
        #expect(problems("😀", ["maxLength": 1]).isEmpty)
        #expect(problems("e\u{301}", ["maxLength": 1]) == [" must have at most 1 character"])
        #expect(problems("", ["minLength": 1]) == [" must have at least 1 character"])
        #expect(
            problems(.string(String(repeating: "a", count: 201)), ["maxLength": 200]) == [
                " must have at most 200 characters"
            ])
    }

    @Test func patternSearchesUnanchored() {
        #expect(problems("ab1", ["pattern": "[0-9]"]).isEmpty)
        #expect(problems("abc", ["pattern": "[0-9]"]) == [" must match the pattern [0-9]"])
        let postcode: JSONValue = ["pattern": "^[0-9]{6}$"]
        #expect(problems("123456", postcode).isEmpty)
        #expect(problems("1234567", postcode) == [" must match the pattern ^[0-9]{6}$"])
        #expect(problems("社工", ["pattern": "^\\p{Han}+$"]).isEmpty)
        #expect(problems("x", ["pattern": "("]) == [" cannot be checked because the contract's pattern is invalid"])
        #expect(problems(12, ["pattern": "^a$"]).isEmpty)
    }

    @Test func dateFormat() {
        let date: JSONValue = ["type": "string", "format": "date"]
        for valid in ["2026-01-31", "2024-02-29", "2000-02-29", "1999-12-31"] {
            #expect(problems(.string(valid), date).isEmpty, "\(valid)")
        }
        for invalid in [
            "2023-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01", "26-01-01",
            "2026-01-01T00:00:00Z", " 2026-01-01", "２０２６-01-01",
        ] {
            #expect(problems(.string(invalid), date) == [" must be a date written yyyy-mm-dd"], "\(invalid)")
        }
    }

    @Test func dateTimeFormat() {
        let schema: JSONValue = ["format": "date-time"]
        for valid in [
            "2026-01-31T09:30:00Z", "2026-01-31t09:30:00.123z", "2026-01-31T23:59:60+01:00",
            "2026-06-01T00:00:00-05:30",
        ] {
            #expect(problems(.string(valid), schema).isEmpty, "\(valid)")
        }
        for invalid in [
            "2026-01-31T09:30:00", "2026-01-31 09:30:00Z", "2026-02-30T09:30:00Z", "2026-01-31T24:00:00Z",
            "2026-01-31T09:60:00Z", "2026-01-31T09:30:00+24:00", "2026-01-31T09:30Z", "2026-01-31T09:30:00.Z",
        ] {
            #expect(
                problems(.string(invalid), schema) == [
                    " must be a date and time written as in RFC 3339, such as 2026-01-31T09:30:00Z"
                ],
                "\(invalid)"
            )
        }
    }

    @Test func integerFormatsAndUnknownFormats() {
        let int32: JSONValue = ["type": "integer", "format": "int32"]
        #expect(problems(2_147_483_647, int32).isEmpty)
        #expect(problems(-2_147_483_648, int32).isEmpty)
        #expect(problems(2_147_483_648, int32) == [" must be between -2147483648 and 2147483647"])
        #expect(
            problems(1e20, ["format": "int64"]) == [
                " must be between -9223372036854775808 and 9223372036854775807"
            ])
        #expect(problems("not-an-email", ["format": "email"]).isEmpty)
        #expect(problems(5, ["format": "date"]).isEmpty)
    }

    @Test func annotationsAreIgnored() {
        let schema: JSONValue = [
            "type": "string", "description": "d", "title": "t", "example": 5, "examples": [5], "default": 5,
            "deprecated": true, "readOnly": true, "writeOnly": true,
        ]
        #expect(problems("x", schema).isEmpty)
    }

    @Test func messagesNeverEchoTheValue() {
        let secret = "Jane Doe 0612345678"
        let schema: JSONValue = [
            "type": "string", "maxLength": 3, "pattern": "^[0-9]+$", "enum": ["a"], "format": "date",
        ]
        let found = SchemaValidator().validate(.string(secret), against: schema)
        #expect(found.count == 4)
        #expect(!found.contains { $0.message.contains("Jane") || $0.pointer.contains("Jane") })
    }

    @Test func sharedValidatorIsSafeAcrossConcurrentTasks() async {
        let validator = SchemaValidator()
        let schema: JSONValue = [
            "type": "array", "items": ["type": "string", "pattern": "^[0-9]{6}$"],
        ]
        let counts = await withTaskGroup(of: Int.self) { group in
            for task in 0..<8 {
                group.addTask {
                    var found = 0
                    for round in 0..<200 {
                        let value = JSONValue.string(String(format: "%06d", task * 1000 + round))
                        found += validator.validate([value, .string("x\(round)")], against: schema).count
                    }
                    return found
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 200, count: 8))
    }
}
