import Testing

@testable import API

@Suite("Schema validation: objects, arrays, composition, references")
struct SchemaStructureTests {
    private let offer: JSONValue = [
        "type": "object",
        "additionalProperties": false,
        "required": ["title", "quantity"],
        "properties": [
            "title": ["type": "string", "minLength": 1, "maxLength": 200],
            "quantity": ["type": "integer", "minimum": 1],
            "service_circle": [
                "type": "object",
                "additionalProperties": false,
                "required": ["radius_km"],
                "properties": ["radius_km": ["type": "integer", "minimum": 1, "maximum": 50]],
            ],
        ],
    ]

    @Test func validObjectPasses() {
        #expect(problems(["title": "Soup", "quantity": 2, "service_circle": ["radius_km": 5]], offer).isEmpty)
    }

    @Test func reportsEveryViolationSortedByPointer() {
        let body: JSONValue = ["title": "", "colour": "red", "service_circle": ["radius_km": 51, "x": 1]]
        #expect(
            problems(body, offer) == [
                "/colour is not a known field",
                "/quantity is required",
                "/service_circle/radius_km must be at most 50",
                "/service_circle/x is not a known field",
                "/title must have at least 1 character",
            ]
        )
    }

    @Test func violationsCarryTheirKeyword() {
        let found = SchemaValidator().validate(["colour": 1], against: offer)
        #expect(found.map(\.keyword) == ["additionalProperties", "required", "required"])
        #expect(
            found.first
                == SchemaViolation(pointer: "/colour", message: "is not a known field", keyword: "additionalProperties")
        )
    }

    @Test func pointersEscapeTildeAndSlash() {
        let schema: JSONValue = ["additionalProperties": false, "required": ["a/b", "m~n"]]
        #expect(
            problems(["x~/y": 1], schema) == ["/a~1b is required", "/m~0n is required", "/x~0~1y is not a known field"])
        #expect(
            problems(["list": ["a", 3]], ["properties": ["list": ["items": ["type": "string"]]]]) == [
                "/list/1 must be a string"
            ])
    }

    @Test func additionalPropertiesSchemaAndPatternProperties() {
        let schema: JSONValue = [
            "properties": ["name": ["type": "string"]],
            "patternProperties": ["^x-": ["type": "string"]],
            "additionalProperties": ["type": "integer"],
        ]
        #expect(problems(["name": "n", "x-note": "s", "count": 3], schema).isEmpty)
        #expect(
            problems(["x-note": 1, "count": "3"], schema) == ["/count must be an integer", "/x-note must be a string"])
        #expect(problems(["anything": 1], ["properties": ["a": true]]).isEmpty)
        #expect(problems(["a": 1], ["properties": ["a": false]]) == ["/a is not allowed"])
    }

    @Test func propertyCounts() {
        let schema: JSONValue = ["minProperties": 1, "maxProperties": 2]
        #expect(problems(["a": 1], schema).isEmpty)
        #expect(problems([:], schema) == [" must have at least 1 field"])
        #expect(problems(["a": 1, "b": 2, "c": 3], schema) == [" must have at most 2 fields"])
    }

    @Test func arrayKeywords() {
        let tags: JSONValue = ["type": "array", "minItems": 1, "maxItems": 3, "items": ["type": "string"]]
        #expect(problems(["a", "b"], tags).isEmpty)
        #expect(problems([], tags) == [" must have at least 1 item"])
        #expect(problems(["a", "b", "c", "d"], tags) == [" must have at most 3 items"])
        #expect(problems(["a", 2, nil], tags) == ["/1 must be a string", "/2 must be a string"])
    }

    @Test func uniqueItemsPointsAtTheRepeat() {
        let schema: JSONValue = ["uniqueItems": true]
        #expect(problems([1, 2, "1", true], schema).isEmpty)
        #expect(problems([1, 2, 1.0, 2], schema) == ["/2 repeats an earlier item", "/3 repeats an earlier item"])
        #expect(problems([["a": 1], ["a": 1]], schema) == ["/1 repeats an earlier item"])
        #expect(problems([1, 1], ["uniqueItems": false]).isEmpty)
    }

    @Test func allOfCombinesEveryBranch() {
        let schema: JSONValue = ["allOf": [["required": ["a"]], ["required": ["b"]], ["required": ["a"]]]]
        #expect(problems(["a": 1, "b": 2], schema).isEmpty)
        #expect(problems([:], schema) == ["/a is required", "/b is required"])
    }

    @Test func anyOf() {
        let schema: JSONValue = ["anyOf": [["type": "string", "maxLength": 2], ["type": "integer"]]]
        #expect(problems("ab", schema).isEmpty)
        #expect(problems(4, schema).isEmpty)
        #expect(
            problems("abc", schema) == [
                " must have at most 2 characters", " must match at least one of the allowed forms",
            ])
        #expect(problems(true, schema) == [" must match at least one of the allowed forms"])
    }

    @Test func oneOf() {
        let contact: JSONValue = [
            "oneOf": [
                ["type": "string", "pattern": "^\\+[0-9]+$"],
                [
                    "type": "object", "required": ["email"], "additionalProperties": false,
                    "properties": ["email": ["type": "string"]],
                ],
            ]
        ]
        #expect(problems("+3161", contact).isEmpty)
        #expect(problems(["email": "e"], contact).isEmpty)
        #expect(
            problems(["mail": "e"], contact) == [
                " must match exactly one of the allowed forms", "/email is required", "/mail is not a known field",
            ])
        #expect(problems(7, contact) == [" must match exactly one of the allowed forms"])
        let overlapping: JSONValue = ["oneOf": [["type": "number"], ["type": "integer"]]]
        #expect(problems(1.5, overlapping).isEmpty)
        #expect(problems(1, overlapping) == [" matches more than one of the allowed forms but must match exactly one"])
    }

    @Test func notKeyword() {
        #expect(problems("a", ["not": ["type": "integer"]]).isEmpty)
        #expect(problems(1, ["not": ["type": "integer"]]) == [" must not match the excluded form"])
    }

    @Test func booleanSchemas() {
        #expect(problems(["any": 1], true).isEmpty)
        #expect(problems(1, false) == [" is not allowed"])
    }

    @Test func referencesResolveAcrossComponents() {
        let root: JSONValue = [
            "components": [
                "schemas": [
                    "Offer": [
                        "type": "object", "required": ["owner"],
                        "properties": [
                            "owner": ["$ref": "#/components/schemas/User"],
                            "status": ["$ref": "#/components/schemas/Status"],
                        ],
                    ],
                    "User": ["type": "object", "properties": ["id": ["$ref": "#/components/schemas/Id"]]],
                    "Id": ["type": "integer", "minimum": 1],
                    "Status": ["enum": ["open", "closed"]],
                    "a/b": ["type": "string"],
                ]
            ]
        ]
        let offerRef: JSONValue = ["$ref": "#/components/schemas/Offer"]
        #expect(problems(["owner": ["id": 3], "status": "open"], offerRef, root: root).isEmpty)
        #expect(
            problems(["owner": ["id": 0], "status": "gone"], offerRef, root: root) == [
                "/owner/id must be at least 1", "/status must be one of: open, closed",
            ])
        #expect(problems(1, ["$ref": "#/components/schemas/a~1b"], root: root) == [" must be a string"])
        #expect(
            problems(1, ["$ref": "#/components/schemas/Missing"], root: root) == [
                " cannot be checked because the contract refers to a missing schema"
            ])
    }

    @Test func recursiveSchemasWorkAndCyclesStop() {
        let root: JSONValue = [
            "components": [
                "schemas": [
                    "Node": [
                        "type": "object", "additionalProperties": false,
                        "properties": ["children": ["type": "array", "items": ["$ref": "#/components/schemas/Node"]]],
                    ],
                    "Loop": ["$ref": "#/components/schemas/Other"],
                    "Other": ["allOf": [["$ref": "#/components/schemas/Loop"]]],
                ]
            ]
        ]
        let tree: JSONValue = ["children": [["children": []], ["children": [["oops": 1]]]]]
        #expect(
            problems(tree, ["$ref": "#/components/schemas/Node"], root: root) == [
                "/children/1/children/0/oops is not a known field"
            ])
        #expect(
            problems(1, ["$ref": "#/components/schemas/Loop"], root: root) == [
                " cannot be checked because the contract's schema refers to itself"
            ])
    }

    @Test func siblingKeywordsOfRefApply() {
        let root: JSONValue = ["components": ["schemas": ["Name": ["type": "string"]]]]
        let schema: JSONValue = ["$ref": "#/components/schemas/Name", "maxLength": 2]
        #expect(problems("abc", schema, root: root) == [" must have at most 2 characters"])
    }
}
