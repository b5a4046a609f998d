import Testing
import Yams

@testable import API

@Suite("YAML to JSON conversion")
struct YAMLConversionTests {
    @Test func yaml11QuirksStayStrings() throws {
        let value = try JSONValue(
            yaml: """
                a: on
                b: yes
                c: no
                d: off
                e: 2026-01-01
                f: 1:30
                g: y
                h: 2026-01-01T10:00:00Z
                i: 1_000
                j: 0b101
                k: 010
                l: =
                """
        )
        #expect(value["a"] == "on")
        #expect(value["b"] == "yes")
        #expect(value["c"] == "no")
        #expect(value["d"] == "off")
        #expect(value["e"] == "2026-01-01")
        #expect(value["f"] == "1:30")
        #expect(value["g"] == "y")
        #expect(value["h"] == "2026-01-01T10:00:00Z")
        #expect(value["i"] == "1_000")
        #expect(value["j"] == "0b101")
        #expect(value["k"] == .integer(10))
        #expect(value["l"] == "=")
    }

    @Test func coreSchemaScalarsResolve() throws {
        let value = try JSONValue(
            yaml: """
                t: true
                f: False
                n: null
                tilde: ~
                empty:
                int: 42
                negative: -7
                plus: +3
                octal: 0o17
                hex: 0x1F
                float: 1.5
                whole: 1.0
                exponent: 1e3
                leadingDot: .5
                huge: 99999999999999999999
                """
        )
        #expect(value["t"] == .bool(true))
        #expect(value["f"] == .bool(false))
        #expect(value["n"] == .null)
        #expect(value["tilde"] == .null)
        #expect(value["empty"] == .null)
        #expect(value["int"] == .integer(42))
        #expect(value["negative"] == .integer(-7))
        #expect(value["plus"] == .integer(3))
        #expect(value["octal"] == .integer(15))
        #expect(value["hex"] == .integer(31))
        #expect(value["float"] == .number(1.5))
        #expect(value["whole"] == .number(1.0))
        #expect(value["exponent"] == .number(1000))
        #expect(value["leadingDot"] == .number(0.5))
        #expect(value["huge"] == .number(1e20))
    }

    @Test func quotedAndBlockScalarsAreAlwaysStrings() throws {
        let value = try JSONValue(
            yaml: """
                a: "true"
                b: '42'
                c: "null"
                d: |
                  7
                e: !!str 12
                f: ! 12
                g: !!int "12"
                h: !!float 3
                """
        )
        #expect(value["a"] == "true")
        #expect(value["b"] == "42")
        #expect(value["c"] == "null")
        #expect(value["d"] == "7\n")
        #expect(value["e"] == "12")
        #expect(value["f"] == "12")
        #expect(value["g"] == .integer(12))
        #expect(value["h"] == .number(3))
    }

    @Test func handBuiltNodesFollowTheSameRules() throws {
        #expect(try JSONValue(yamlNode: Node("true", .implicit, .doubleQuoted)) == "true")
        #expect(try JSONValue(yamlNode: Node("7", .implicit, .literal)) == "7")
        #expect(try JSONValue(yamlNode: Node("7", .implicit, .plain)) == 7)
        #expect(try JSONValue(yamlNode: Node("yes", .implicit, .plain)) == "yes")
    }

    @Test func keysAreTheirTextAndSequencesNest() throws {
        let value = try JSONValue(
            yaml: """
                responses:
                  200: ok
                  default: other
                list: [1, "two", {three: 3}]
                """
        )
        #expect(value["responses"] == ["200": "ok", "default": "other"])
        #expect(value["list"] == [1, "two", ["three": 3]])
    }

    @Test func aliasesAreExpanded() throws {
        let value = try JSONValue(
            yaml: """
                base: &base {type: integer}
                copy: *base
                """
        )
        #expect(value["copy"] == ["type": "integer"])
    }

    @Test func rejectsWhatJSONCannotHold() {
        #expect(throws: (any Error).self) { try JSONValue(yaml: "a: .inf") }
        #expect(throws: (any Error).self) { try JSONValue(yaml: "a: .nan") }
        #expect(throws: (any Error).self) { try JSONValue(yaml: "? [a]\n: 1") }
        #expect(throws: (any Error).self) { try JSONValue(yaml: "a: !!binary aGk=") }
        #expect(throws: (any Error).self) { try JSONValue(yaml: "base: &b {x: 1}\nc:\n  <<: *b") }
        #expect(throws: (any Error).self) { try JSONValue(yaml: "a: 1\na: 2") }
        #expect(throws: (any Error).self) { try JSONValue(yaml: "") }
        #expect(throws: (any Error).self) { try JSONValue(yaml: "a: !!int twelve") }
    }
}
