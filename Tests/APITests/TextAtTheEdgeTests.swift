import Foundation
import HTTPTypes
import Store
import Testing

@testable import API

/// Text at the edge: NUL anywhere (every string field of every body, every query parameter,
/// every path parameter) is a 4xx naming the field, never a 500; control characters and
/// bidirectional overrides are refused by the one text rule the document states.
@Suite("Text at the edge")
struct TextAtTheEdgeTests {
    /// A JSON text carrying NUL in the shape a schema `type` expects; nil for types that
    /// cannot carry text.
    static func nulValue(for type: String?) -> String? {
        switch type {
        case "string": #""a\u0000b""#
        case "array": #"["a\u0000b"]"#
        case "object": #"{"a\u0000b":1}"#
        default: nil
        }
    }

    /// The concrete path of a template: each `{id}` becomes the near object of its resource.
    static func concrete(_ template: String, _ targets: MatrixTargets, _ fixture: APIFixture) -> String {
        let ids: [String: Int64] = [
            "charities": fixture.charity, "offers": targets.ourOffer, "households": targets.nearHousehold,
            "needs": targets.nearNeed, "match-runs": targets.runs[0].id, "matches": targets.ourMatch,
        ]
        var parts = template.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for index in parts.indices where parts[index] == "{id}" && index > 0 {
            parts[index] = String(ids[parts[index - 1]] ?? 1)
        }
        return parts.joined(separator: "/")
    }

    @Test func nulInAnyBodyFieldQueryOrPathParameterIsRefusedNamingIt() async throws {
        try await APIFixture.with("nul-walk") { fixture in
            let targets = try await MatrixTargets.make(fixture)
            let writes = ValidationTests.writes(targets, fixture)
            let document = fixture.services.contract.document
            let auditsBefore = try await fixture.scalar(Int.self, "SELECT count(*)::int FROM audit_log")
            let (cases, failures) = try await fixture.test { api in
                var failures: [String] = []
                var cases = 0
                func check(
                    _ method: HTTPRequest.Method, _ path: String, as caller: Caller, json: String? = nil,
                    headers: HTTPFields = [:], naming field: String
                ) async throws {
                    cases += 1
                    let answer = try await api.call(method, path, as: caller, json: json, headers: headers)
                    let named = answer.errorFields.contains { $0 == field || $0.hasPrefix(field + "/") }
                    if !(400..<500).contains(answer.status.code) || !named {
                        failures.append("\(method) \(path) \(json ?? "") → \(answer.status.code) \(answer.errorFields)")
                    }
                }
                for operation in document.operations {
                    let method = HTTPRequest.Method(operation.method.uppercased()) ?? .get
                    let path = Self.concrete(operation.pathTemplate, targets, fixture)
                    let caller: Caller = operation.requiresAuthentication ? .admin : .anonymous
                    for parameter in operation.parameters where parameter.location == .query {
                        try await check(method, path + "?\(parameter.name)=a%00b", as: caller, naming: parameter.name)
                    }
                    if operation.pathTemplate.contains("{id}") {
                        let spoiled = operation.pathTemplate.replacingOccurrences(of: "{id}", with: "1%00")
                        try await check(method, spoiled, as: caller, naming: "id")
                    }
                    guard let write = writes["\(operation.method) \(operation.pathTemplate)"],
                        let bodySchema = operation.requestBody?.content["application/json"]
                    else { continue }
                    let properties = ValidationTests.resolve(bodySchema, in: document)["properties"]?.objectValue ?? [:]
                    for (name, property) in properties.sorted(by: { $0.key < $1.key }) {
                        guard let nul = Self.nulValue(for: document.validator.resolvedType(of: property)) else {
                            continue
                        }
                        var body = write.body
                        body[name] = nul
                        var headers: HTTPFields = [:]
                        if write.needsIfMatch {
                            headers[.ifMatch] = try await api.call(.get, write.path, as: write.caller).headers[.eTag]
                        }
                        let json = "{" + body.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
                        try await check(
                            method, write.path, as: write.caller, json: json, headers: headers, naming: "/" + name)
                    }
                }
                return (cases, failures)
            }
            #expect(cases > 100)
            #expect(
                failures.isEmpty,
                Comment(rawValue: "\(failures.count) of \(cases):\n" + failures.joined(separator: "\n")))
            let auditsAfter = try await fixture.scalar(Int.self, "SELECT count(*)::int FROM audit_log")
            #expect(auditsAfter == auditsBefore, "a refused request changed something")
        }
    }

    @Test func controlAndBidiCharactersAreRefusedInSingleLineFieldsOnly() async throws {
        try await APIFixture.with("controls") { fixture in
            try await fixture.test { api in
                func offer(title: String, description: String) -> String {
                    TestData.object([
                        "category": TestData.quoted("material.food"), "title": title, "description": description,
                        "capacity": "5", "service_region_prefixes": "[\"320508\"]",
                    ])
                }
                for title in [#""\u001b=1+2""#, #""免费\u202etxt.exe""#, #""a\u0085b""#, #""a\nb""#, #""a\u2066b""#] {
                    let refused = try await api.call(
                        .post, "/v1/offers", as: .charity, json: offer(title: title, description: #""ok""#))
                    #expect(refused.status == .unprocessableContent, "title \(title)")
                    #expect(refused.errorFields == ["/title"], "title \(title)")
                    #expect(refused["type"]?.stringValue?.hasSuffix("validation-failed") == true)
                }
                let bell = try await api.call(
                    .post, "/v1/offers", as: .charity, json: offer(title: #""冬衣""#, description: #""a\u0007b""#))
                #expect(bell.status == .unprocessableContent && bell.errorFields == ["/description"])
                let lines = try await api.call(
                    .post, "/v1/offers", as: .charity,
                    json: offer(title: #""冬衣\u200f包""#, description: #""第一行\n第二行\t备注\r\n""#))
                #expect(lines.status == .created, "tab and line breaks are fine in a description, RLM in a title")
                let charity = try await api.call(
                    .post, "/v1/charities", as: .admin,
                    json: #"{"name":"慈善\u001b会","kind":"foundation","credit_code":"91350100M000100Y43"}"#)
                #expect(charity.status == .unprocessableContent && charity.errorFields == ["/name"])
                let reason = try await api.call(
                    .post, "/v1/charities/\(fixture.charity)/suspend", as: .admin, json: #"{"reason":"核查\u202e中"}"#)
                #expect(reason.status == .unprocessableContent && reason.errorFields == ["/reason"])
                #expect(!reason.text.contains("核查"), "the refusal does not quote the text")
            }
        }
    }

    /// Every string the document lets a client send (a body field at any depth, a query
    /// parameter) states which characters it takes: an enum or constant, a pattern, a date
    /// format, or one of the text rules the server enforces (`single-line`, `multi-line`).
    @Test func theDocumentStatesATextRuleForEveryStringAClientSends() throws {
        let contract = try APIContract.bundled()
        let document = contract.document
        let stated: Set<String> = Set(TextRule.allCases.map(\.rawValue)).union(["date", "date-time"])
        var unstated: [String] = []
        func walk(_ schema: API.JSONValue, at place: String, depth: Int = 0) {
            guard depth < 12 else { return }
            let resolved = ValidationTests.resolve(schema, in: document)
            if document.validator.resolvedType(of: resolved) == "string" {
                let format = resolved["format"]?.stringValue
                let ruled =
                    resolved["enum"] != nil || resolved["const"] != nil || resolved["pattern"] != nil
                    || format.map(stated.contains) == true
                if !ruled { unstated.append(place) }
            }
            for (name, property) in resolved["properties"]?.objectValue ?? [:] {
                walk(property, at: place + "/" + name, depth: depth + 1)
            }
            for key in ["items", "additionalProperties", "propertyNames"] {
                if let inner = resolved[key], inner.objectValue != nil {
                    walk(inner, at: place + "/" + key, depth: depth + 1)
                }
            }
        }
        for operation in document.operations {
            let name = "\(operation.method) \(operation.pathTemplate)"
            if let body = operation.requestBody?.content["application/json"] { walk(body, at: name + " body") }
            for parameter in operation.parameters where parameter.location == .query {
                if let schema = parameter.schema { walk(schema, at: name + " ?" + parameter.name) }
            }
        }
        #expect(unstated.isEmpty, "strings without a stated rule: \(unstated.sorted())")
        #expect(FormatChecker.violation(of: "single-line", by: .string("a\tb")) != nil)
        #expect(FormatChecker.violation(of: "multi-line", by: .string("a\tb\nc")) == nil)
        #expect(FormatChecker.violation(of: "multi-line", by: .string("a\u{0}b")) != nil)
    }
}
