import Foundation
import HTTPTypes
import Store
import Testing

@testable import API

/// The request itself held to the contract: UTF-8 bodies only, 405 with `Allow` for a
/// method a path does not answer, every query parameter checked whatever the caller's
/// region, and a weight-policy name refused by the document's rule rather than the database.
@Suite("Request hygiene")
struct RequestHygieneTests {
    @Test func onlyUTF8BodiesAreRead() async throws {
        try await APIFixture.with("charset") { fixture in
            try await fixture.test { api in
                for type in ["application/json; charset=iso-8859-1", "application/json; charset=gbk", "text/json"] {
                    let refused = try await api.call(
                        .post, "/v1/offers", as: .charity, json: TestData.offerBody, contentType: type)
                    #expect(refused.status == .unsupportedMediaType, "\(type)")
                    #expect(refused.headers[.contentType] == "application/problem+json")
                }
                for type in [
                    "application/json", "Application/JSON; Charset=UTF-8", "application/json;charset=\"utf-8\"",
                ] {
                    let accepted = try await api.call(
                        .post, "/v1/offers", as: .charity, json: TestData.offerBody, contentType: type)
                    #expect(accepted.status == .created, "\(type)")
                }
                let csv = "case_number,category,quantity\n"
                for (type, isRefused) in [
                    ("text/csv; charset=iso-8859-1", true), ("text/csv; charset=GBK", true),
                    ("TEXT/CSV; charset=utf-8", false), ("text/csv", false),
                ] {
                    let answer = try await api.call(
                        .post, "/v1/imports/needs", as: .caseworker, json: csv, contentType: type)
                    #expect((answer.status == .unsupportedMediaType) == isRefused, "\(type): \(answer.status)")
                }
            }
        }
    }

    @Test func undeclaredMethodsAre405WithTheDeclaredOnesInAllow() async throws {
        try await APIFixture.with("method") { fixture in
            try await fixture.test { api in
                let cases: [(HTTPRequest.Method, String, String)] = [
                    (.post, "/v1/me", "GET"), (.delete, "/v1/needs/1", "GET, PUT"),
                    (.put, "/v1/matches", "GET, POST"), (.get, "/v1/matches/1/approve", "POST"),
                    (.patch, "/v1/offers/1", "GET, PUT"), (.post, "/healthz", "GET"),
                    (.delete, "/v1/public/stats", "GET"),
                ]
                for (method, path, allowed) in cases {
                    for caller in [Caller.admin, .anonymous] {
                        let answer = try await api.call(method, path, as: caller)
                        #expect(answer.status == .methodNotAllowed, "\(method) \(path) as \(caller)")
                        #expect(answer.headers[.allow] == allowed, "\(method) \(path)")
                        #expect(answer.headers[.contentType] == "application/problem+json")
                        #expect(answer["type"]?.stringValue?.hasSuffix("method-not-allowed") == true)
                    }
                }
                let missing = try await api.call(.get, "/v1/nothing-here", as: .admin)
                #expect(missing.status == .notFound)
            }
        }
    }

    /// A coordinator of 320508 asking about 320509 gets nothing, but bad `limit`, `cursor`,
    /// `category` or `status` (or a second `region`) are still refused first, on every list
    /// route.
    @Test func everyQueryParameterIsCheckedWhateverTheCallersRegion() async throws {
        try await APIFixture.with("query-scope") { fixture in
            try await fixture.test { api in
                let lists = ["/v1/matches", "/v1/needs", "/v1/households", "/v1/offers"]
                for list in lists {
                    let outside = try await api.call(.get, list + "?region=320509", as: .coordinator)
                    #expect(outside.status == .ok, "\(list) outside the region is an empty page")
                    for bad in ["limit=0", "limit=abc", "cursor=not-a-cursor", "region=3205099", "region=320508"] {
                        let answer = try await api.call(.get, list + "?region=320509&" + bad, as: .coordinator)
                        let name = String(bad.prefix { $0 != "=" })
                        #expect(answer.status == .badRequest, "\(list) ?\(bad)")
                        #expect(answer.errorFields.contains(name), "\(list) ?\(bad): \(answer.errorFields)")
                    }
                }
                for (list, bad) in [
                    ("/v1/matches", "status=lost"), ("/v1/matches", "category=nonsense"),
                    ("/v1/needs", "status=lost"), ("/v1/needs", "category=nonsense"), ("/v1/needs", "household_id=0"),
                    ("/v1/offers", "charity_id=-1"), ("/v1/offers", "status=gone"),
                ] {
                    let answer = try await api.call(.get, list + "?region=320509&" + bad, as: .coordinator)
                    #expect(answer.status == .badRequest, "\(list) ?\(bad)")
                    #expect(answer.errorFields == [String(bad.prefix { $0 != "=" })], "\(list) ?\(bad)")
                }
            }
        }
    }

    /// The database takes policy names as lower-case identifiers; the document says so, and
    /// a name in Chinese is a 422 on `/name` (the words go in `description`), not a 500.
    @Test func weightPolicyNamesFollowTheDocumentedRule() async throws {
        try await APIFixture.with("policy-name") { fixture in
            let document = fixture.services.contract.document
            let name = document.root["components"]?["schemas"]?["WeightPolicyInput"]?["properties"]?["name"]
            #expect(name?["pattern"]?.stringValue == WeightPolicyRepository.namePattern)
            try await fixture.test { api in
                for name in ["标准", "Standard", "-x", String(repeating: "a", count: 101), "a b"] {
                    let refused = try await api.call(
                        .post, "/v1/weight-policies", as: .admin,
                        json: #"{"name":"\#(name)","weights":{"urgency":1}}"#)
                    #expect(refused.status == .unprocessableContent, "\(name)")
                    #expect(refused.errorFields == ["/name"], "\(name)")
                }
                let published = try await api.call(
                    .post, "/v1/weight-policies", as: .admin,
                    json: #"{"name":"winter-2026","weights":{"urgency":1},"description":"冬季标准"}"#)
                #expect(published.status == .created)
            }
        }
    }
}
