import Foundation
import HTTPTypes
import Testing

@testable import API

/// For every write the contract describes, every field's bad values are refused with a
/// 4xx problem naming that field, and nothing is written.
@Suite("Validation of every write")
struct ValidationTests {
    /// How to reach a write: its caller, concrete path and a valid body to spoil field by field.
    struct Write {
        var caller: Caller
        var path: String
        var body: [String: String]
        var needsIfMatch = false
    }

    static func writes(_ targets: MatrixTargets, _ fixture: APIFixture) -> [String: Write] {
        let q = TestData.quoted
        let charity = ["name": q("慈善会"), "kind": q("foundation"), "credit_code": q("91350100M000100Y43")]
        let offer = [
            "category": q("material.food"), "title": q("食品包"), "capacity": "5",
            "service_region_prefixes": "[\"320508\"]",
        ]
        let need = ["household_id": String(targets.nearHousehold), "category": q("material.food"), "quantity": "1"]
        let policy = ["name": q("trial"), "weights": #"{"urgency":1}"#, "region": q("320508000000")]
        return [
            "post /v1/charities": Write(caller: .admin, path: "/v1/charities", body: charity),
            "put /v1/charities/{id}": Write(
                caller: .admin, path: "/v1/charities/\(fixture.charity)", body: charity, needsIfMatch: true),
            "post /v1/charities/{id}/suspend": Write(
                caller: .admin, path: "/v1/charities/\(fixture.charity)/suspend", body: ["reason": q("r")]),
            "post /v1/charities/{id}/ban": Write(
                caller: .admin, path: "/v1/charities/\(fixture.charity)/ban",
                body: ["reason": q("r"), "until": q("2030-01-01T00:00:00Z")]),
            "post /v1/offers": Write(caller: .charity, path: "/v1/offers", body: offer),
            "put /v1/offers/{id}": Write(
                caller: .charity, path: "/v1/offers/\(targets.ourOffer)", body: offer, needsIfMatch: true),
            "post /v1/households": Write(
                caller: .caseworker, path: "/v1/households",
                body: [
                    "case_number": q("V-1"), "id_number": q(TestData.idNumber(serial: 77)),
                    "region_code": q("320508001001"), "members": "1",
                ]),
            "patch /v1/households/{id}": Write(
                caller: .caseworker, path: "/v1/households/\(targets.nearHousehold)", body: ["members": "2"],
                needsIfMatch: true),
            "post /v1/households/{id}/aid": Write(
                caller: .caseworker, path: "/v1/households/\(targets.nearHousehold)/aid",
                body: ["category_id": "1", "units": "1", "given_on": q("2026-11-01")]),
            "put /v1/time-limits/{stage}": Write(
                caller: .coordinator, path: "/v1/time-limits/decision", body: ["days": "3"]),
            "post /v1/takeovers/{id}/run": Write(
                caller: .coordinator, path: "/v1/takeovers/1/run", body: ["dry_run": "true"]),
            "post /v1/households/{id}/consent": Write(
                caller: .caseworker, path: "/v1/households/\(targets.nearHousehold)/consent", body: ["scope": q("s")]),
            "post /v1/needs": Write(caller: .caseworker, path: "/v1/needs", body: need),
            "put /v1/needs/{id}": Write(
                caller: .caseworker, path: "/v1/needs/\(targets.nearNeed)", body: ["quantity": "1"], needsIfMatch: true),
            "post /v1/needs/{id}/cancel": Write(
                caller: .caseworker, path: "/v1/needs/\(targets.nearNeed)/cancel",
                body: ["reason_code": q("household_moved")]),
            "post /v1/needs/{id}/cooldowns/clear": Write(
                caller: .coordinator, path: "/v1/needs/\(targets.nearNeed)/cooldowns/clear", body: ["offer_id": "1"]),
            "post /v1/match-runs": Write(
                caller: .coordinator, path: "/v1/match-runs", body: ["region": q("320508000000"), "dry_run": "true"]),
            "post /v1/matches": Write(
                caller: .caseworker, path: "/v1/matches",
                body: ["need_id": String(targets.nearNeed), "offer_id": String(targets.ourOffer), "units": "1"]),
            "post /v1/matches/{id}/approve": Write(
                caller: .coordinator, path: "/v1/matches/\(targets.ourMatch)/approve", body: ["note": q("ok")]),
            "post /v1/matches/{id}/reject": Write(
                caller: .coordinator, path: "/v1/matches/\(targets.ourMatch)/reject",
                body: ["reason_code": q("not_eligible")]),
            "post /v1/matches/{id}/accept": Write(
                caller: .charity, path: "/v1/matches/\(targets.ourMatch)/accept", body: ["note": q("ok")]),
            "post /v1/matches/{id}/decline": Write(
                caller: .charity, path: "/v1/matches/\(targets.ourMatch)/decline",
                body: ["reason_code": q("no_capacity")]),
            "post /v1/matches/{id}/deliver": Write(
                caller: .charity, path: "/v1/matches/\(targets.ourMatch)/deliver",
                body: ["delivered_units": "1", "delivered_on": q("2026-01-01"), "received_by": q("收件人")]),
            "post /v1/matches/{id}/cancel": Write(
                caller: .caseworker, path: "/v1/matches/\(targets.ourMatch)/cancel",
                body: ["reason_code": q("household_moved")]),
            "post /v1/matches/{id}/feedback": Write(
                caller: .caseworker, path: "/v1/matches/\(targets.ourMatch)/feedback", body: ["satisfaction": "5"]),
            "post /v1/matches/{id}/receipt/dispute": Write(
                caller: .caseworker, path: "/v1/matches/\(targets.ourMatch)/receipt/dispute", body: ["reason": q("少了")]),
            "post /v1/complaints": Write(
                caller: .caseworker, path: "/v1/complaints",
                body: [
                    "subject_type": q("charity"), "subject_id": String(fixture.charity), "category": q("other"),
                    "text": q("投诉"),
                ]),
            "post /v1/complaints/{id}/resolve": Write(
                caller: .coordinator, path: "/v1/complaints/1/resolve",
                body: ["resolution": q("resolved"), "outcome": q("已处理")]),
            "post /v1/evaluations": Write(
                caller: .coordinator, path: "/v1/evaluations", body: ["period": q("2026Q4"), "region": q("320508")]),
            // Every attempt is refused before the Store, so an evaluation need not exist.
            "put /v1/evaluations/{id}/charities/{charity}": Write(
                caller: .coordinator, path: "/v1/evaluations/1/charities/\(fixture.charity)",
                body: ["score": "50", "note": q("按时")]),
            "post /v1/weight-policies": Write(
                caller: .coordinator, path: "/v1/weight-policies", body: policy.filter { $0.key != "region" }),
            "post /v1/weight-policies/preview": Write(
                caller: .coordinator, path: "/v1/weight-policies/preview", body: policy),
            "post /v1/transfers": Write(
                caller: .caseworker, path: "/v1/transfers",
                body: [
                    "kind": q("household"), "household_id": String(targets.nearHousehold),
                    "to_region": q("320509001001"), "reason": q("迁居"),
                ]),
            "post /v1/transfers/{id}/return": Write(
                caller: .caseworker, path: "/v1/transfers/\(targets.transfers[0].id)/return", body: ["reason": q("r")]),
        ]
    }

    /// JSON texts a schema refuses, from its declared type and bounds.
    static func badValues(for schema: JSONValue, in document: OpenAPIDocument) -> [String] {
        let resolved = resolve(schema, in: document)
        var values: [String] = []
        let type = resolved["type"]?.stringValue
        switch type {
        case "integer":
            values += ["\"7\"", "1.5", "true"]
            if case .integer(let minimum)? = resolved["minimum"] { values.append(String(minimum - 1)) }
            if case .integer(let maximum)? = resolved["maximum"] { values.append(String(maximum + 1)) }
        case "number":
            values += ["\"7\"", "false"]
            if let minimum = resolved["minimum"]?.doubleValue { values.append(String(minimum - 1)) }
        case "string":
            values += ["42", "null"]
            if case .integer(let maximum)? = resolved["maxLength"] {
                values.append("\"" + String(repeating: "长", count: Int(maximum) + 1) + "\"")
            }
            if resolved["enum"] != nil || resolved["pattern"] != nil { values.append("\"Not-Valid!\"") }
            if let format = resolved["format"]?.stringValue, format.hasPrefix("date") {
                values.append("\"2026-02-30\"")
            }
        case "boolean": values += ["\"yes\"", "1"]
        case "array":
            values += ["\"x\"", "{}"]
            if let items = resolved["items"], resolve(items, in: document)["enum"] != nil {
                values.append("[\"bogus\"]")
            }
        case "object": values += ["5", "[]", "{\"zz_unknown\":1}"]
        default: values += ["null"]
        }
        return values
    }

    static func resolve(_ schema: JSONValue, in document: OpenAPIDocument) -> JSONValue {
        guard let reference = schema["$ref"]?.stringValue, reference.hasPrefix("#/components/schemas/") else {
            return schema
        }
        let name = String(reference.dropFirst("#/components/schemas/".count))
        return document.root["components"]?["schemas"]?[name].map { resolve($0, in: document) } ?? schema
    }

    @Test func everyFieldOfEveryWriteIsCheckedAndNamed() async throws {
        try await APIFixture.with("validation") { fixture in
            let targets = try await MatrixTargets.make(fixture)
            let writes = Self.writes(targets, fixture)
            let document = fixture.services.contract.document
            let operations = document.operations.filter { $0.requestBody?.content["application/json"] != nil }
            for operation in operations {
                #expect(
                    writes["\(operation.method) \(operation.pathTemplate)"] != nil,
                    "no validation case for \(operation.pathTemplate)")
            }
            let auditsBefore = try await fixture.scalar(Int.self, "SELECT count(*)::int FROM audit_log")
            let (cases, failures) = try await fixture.test { api in
                var failures: [String] = []
                var cases = 0
                for operation in operations {
                    guard let write = writes["\(operation.method) \(operation.pathTemplate)"],
                        let bodySchema = operation.requestBody?.content["application/json"]
                    else { continue }
                    let schema = Self.resolve(bodySchema, in: document)
                    let properties = schema["properties"]?.objectValue ?? [:]
                    var attempts: [(field: String, body: [String: String])] = []
                    for (name, property) in properties {
                        for bad in Self.badValues(for: property, in: document) {
                            var body = write.body
                            body[name] = bad
                            attempts.append(("/" + name, body))
                        }
                    }
                    for case .string(let name) in schema["required"]?.arrayValue ?? [] {
                        attempts.append(("/" + name, write.body.filter { $0.key != name }))
                    }
                    var unknown = write.body
                    unknown["zz_unknown"] = "1"
                    attempts.append(("/zz_unknown", unknown))
                    for attempt in attempts {
                        cases += 1
                        let json = "{" + attempt.body.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
                        var headers: HTTPFields = [:]
                        if write.needsIfMatch {
                            headers[.ifMatch] = try await api.call(.get, write.path, as: write.caller).headers[.eTag]
                        }
                        let method = HTTPRequest.Method(operation.method.uppercased()) ?? .post
                        let response = try await api.call(
                            method, write.path, as: write.caller, json: json, headers: headers)
                        let named = response.errorFields.contains {
                            $0 == attempt.field || $0.hasPrefix(attempt.field + "/")
                        }
                        if !(400..<500).contains(response.status.code) || !named {
                            failures.append(
                                "\(operation.method) \(operation.pathTemplate) \(attempt.field) ← \(json): "
                                    + "\(response.status.code) \(response.errorFields)")
                        }
                    }
                }
                return (cases, failures)
            }
            let auditsAfter = try await fixture.scalar(Int.self, "SELECT count(*)::int FROM audit_log")
            #expect(cases > 300)
            #expect(
                failures.isEmpty,
                Comment(rawValue: "\(failures.count) of \(cases):\n" + failures.joined(separator: "\n")))
            #expect(auditsAfter == auditsBefore, "a refused write changed something")
        }
    }

    @Test func malformedOversizeAndWrongTypeBodiesGetTheirOwnStatus() async throws {
        try await APIFixture.with("bodies") { fixture in
            try await fixture.test { api in
                let malformed = try await api.call(.post, "/v1/offers", as: .charity, json: #"{"title": "a",}"#)
                #expect(malformed.status == .badRequest)
                #expect(malformed["type"]?.stringValue?.hasSuffix("malformed-body") == true)
                let wrongType = try await api.call(
                    .post, "/v1/offers", as: .charity, json: TestData.offerBody, contentType: "text/plain")
                #expect(wrongType.status == .unsupportedMediaType)
                let huge = "{\"title\":\"" + String(repeating: "a", count: 2 << 20) + "\"}"
                let oversize = try await api.call(.post, "/v1/offers", as: .charity, json: huge)
                #expect(oversize.status == .contentTooLarge)
                let badCode = try await api.call(
                    .post, "/v1/charities", as: .admin,
                    json: #"{"name":"x","kind":"foundation","credit_code":"91350211M0000XUF46"}"#)
                #expect(badCode.status == .unprocessableContent)
                #expect(badCode.errorFields == ["/credit_code"])
                var household = TestData.householdBody(region: "320508001001", serial: 5)
                household = household.replacingOccurrences(of: TestData.idNumber(serial: 5), with: "320508195001010050")
                let badID = try await api.call(.post, "/v1/households", as: .admin, json: household)
                #expect(badID.status == .unprocessableContent)
                #expect(badID.errorFields.contains("/id_number"))
                #expect(!badID.text.contains("320508195001010050"))
                let unknownRoute = try await api.call(.get, "/v1/nothing-here", as: .admin)
                #expect(unknownRoute.status == .notFound)
                #expect(unknownRoute.headers[.contentType] == "application/problem+json")
                let badCursor = try await api.call(.get, "/v1/needs?cursor=%%%", as: .caseworker)
                #expect(badCursor.status == .badRequest)
                #expect(badCursor.errorFields == ["cursor"])
            }
        }
    }
}
