import Foundation
import Testing

@testable import API

@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    private let document: OpenAPIDocument

    init() throws {
        document = try OpenAPIDocument(yaml: ContractFixture.yaml)
    }

    private func match(_ method: String, _ path: String) throws -> OpenAPIDocument.OperationMatch {
        try #require(document.operation(method: method, path: path), "\(method) \(path)")
    }

    @Test func listsEveryOperationInOrder() {
        let listed = document.operations.map { "\($0.method) \($0.pathTemplate) \($0.operationId ?? "-")" }
        #expect(
            listed == [
                "get /health getHealth",
                "get /v1/circles/{circleId}/members/{memberId} getMember",
                "get /v1/matches/export exportMatches",
                "get /v1/matches/{id} getMatch",
                "post /v1/offers createOffer",
                "get /v1/offers/{id} getOffer",
                "delete /v1/offers/{id} deleteOffer",
            ]
        )
    }

    @Test func securityFollowsOverrides() throws {
        #expect(try match("GET", "/health").operation.requiresAuthentication == false)
        #expect(try match("GET", "/health").operation.security.isEmpty)
        let create = try match("POST", "/v1/offers").operation
        #expect(create.requiresAuthentication)
        #expect(create.security == [["bearer": []]])
        let get = try match("GET", "/v1/offers/1").operation
        #expect(get.security == [["bearer": ["offers:read"]], [:]])
        #expect(get.requiresAuthentication == false)
        #expect(try match("DELETE", "/v1/offers/1").operation.requiresAuthentication)
    }

    @Test func matchesConcretePathsAndExtractsParameters() throws {
        let offer = try match("get", "/v1/offers/42")
        #expect(offer.operation.operationId == "getOffer")
        #expect(offer.pathParameters == ["id": "42"])
        let member = try match("GET", "/v1/circles/a%20b/members/7?expand=true")
        #expect(member.operation.operationId == "getMember")
        #expect(member.pathParameters == ["circleId": "a b", "memberId": "7"])
    }

    @Test func literalSegmentsBeatParameters() throws {
        #expect(try match("GET", "/v1/matches/export").operation.operationId == "exportMatches")
        #expect(try match("GET", "/v1/matches/17").operation.operationId == "getMatch")
        #expect(try match("GET", "/v1/matches/17").pathParameters == ["id": "17"])
    }

    @Test func precedenceDoesNotDependOnOrder() {
        let pairs = [
            ("/v1/matches/export", "/v1/matches/{id}"),
            ("/v1/matches/{id}/~latest", "/v1/matches/{id}/{version}"),
            ("/v1/matches/{id}", "/v1/{kind}/{id}"),
            ("/v1/{kind}/latest", "/v1/{kind}/{id}"),
        ]
        for (specific, general) in pairs {
            #expect(PathTemplate(specific).isMoreSpecific(than: PathTemplate(general)), "\(specific)")
            #expect(!PathTemplate(general).isMoreSpecific(than: PathTemplate(specific)), "\(general)")
            #expect(!PathTemplate(specific).isMoreSpecific(than: PathTemplate(specific)), "\(specific)")
        }
    }

    @Test func laterLiteralStillWinsOverEarlierSortedParameter() throws {
        let ok: JSONValue = ["200": ["description": "ok"]]
        let root: JSONValue = [
            "openapi": "3.1.0",
            "paths": [
                "/v1/matches/{id}/{version}": ["get": ["operationId": "version", "responses": ok]],
                "/v1/matches/{id}/~latest": ["get": ["operationId": "latest", "responses": ok]],
            ],
        ]
        let document = try OpenAPIDocument(root: root)
        #expect(document.operations.map(\.operationId) == ["version", "latest"])
        #expect(document.operation(method: "GET", path: "/v1/matches/5/~latest")?.operation.operationId == "latest")
        #expect(
            document.operation(method: "GET", path: "/v1/matches/5/3")?.pathParameters == ["id": "5", "version": "3"])
    }

    @Test func unmatchedRequestsFindNothing() {
        #expect(document.operation(method: "PUT", path: "/v1/offers/42") == nil)
        #expect(document.operation(method: "GET", path: "/v1/offers/") == nil)
        #expect(document.operation(method: "GET", path: "/v1/offers/42/extra") == nil)
        #expect(document.operation(method: "GET", path: "/v1/unknown") == nil)
        #expect(document.operation(method: "GET", path: "/v1/offers/%zz") == nil)
    }

    @Test func mergesPathAndOperationParameters() throws {
        let get = try match("GET", "/v1/offers/1").operation
        #expect(get.parameters.count == 3)
        let byName = Dictionary(get.parameters.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byName.keys.sorted() == ["fields", "id", "x-trace"])
        #expect(byName["id"]?.location == .path)
        #expect(byName["id"]?.required == true)
        #expect(byName["id"]?.schema?["minimum"] == 1)
        #expect(byName["x-trace"]?.required == true)
        #expect(byName["x-trace"]?.schema?["maxLength"] == 64)
        #expect(byName["fields"]?.required == false)
        let delete = try match("DELETE", "/v1/offers/1").operation
        #expect(delete.parameters.first { $0.name == "X-Trace" }?.required == false)
        #expect(delete.parameters.count == 2)
    }

    @Test func requestBodiesValidateAgainstTheContract() throws {
        let create = try match("POST", "/v1/offers").operation
        #expect(create.requestBody?.required == true)
        let schema = try #require(
            document.requestBodySchema(for: create, contentType: "application/json; charset=utf-8"))
        let valid = try JSONValue(parsing: Array(#"{"title":"Soup","quantity":2,"available_on":"2026-03-01"}"#.utf8))
        #expect(document.validator.validate(valid, against: schema).isEmpty)
        let invalid = try JSONValue(
            parsing: Array(
                #"{"title":"Soup","quantity":2.0,"available_on":"2026-02-30","colour":"red","status":"x"}"#.utf8)
        )
        #expect(
            document.validator.validate(invalid, against: schema).map(\.description) == [
                "/available_on must be a date written yyyy-mm-dd",
                "/colour is not a known field",
                "/quantity must be an integer",
                "/status must be one of: open, closed",
            ]
        )
        #expect(document.requestBodySchema(for: create, contentType: "text/plain") == nil)
    }

    @Test func yamlQuirksInTheContractStayStrings() throws {
        let create = try match("POST", "/v1/offers").operation
        let schema = try #require(create.requestBody?.content["application/json"])
        #expect(schema["properties"]?["toggle"]?["enum"] == ["on", "off", "yes", "no"])
        #expect(
            document.root["components"]?["schemas"]?["Offer"]?["properties"]?["published"]?["example"] == "2026-01-01")
    }

    @Test func responsesFallBackToRangesAndDefault() throws {
        let create = try match("POST", "/v1/offers").operation
        let created = try #require(document.responseSchema(for: create, status: 201, contentType: "application/json"))
        let offer: JSONValue = ["id": 1, "title": "Soup", "status": "open", "published": nil]
        #expect(document.validator.validate(offer, against: created).isEmpty)
        #expect(
            document.validator.validate(["id": 0, "title": "Soup"], against: created).map(\.description) == [
                "/id must be at least 1", "/status is required",
            ])
        let problem = try #require(
            document.responseSchema(for: create, status: 422, contentType: "application/problem+json")
        )
        #expect(document.validator.validate(["title": "Invalid", "status": 422], against: problem).isEmpty)
        #expect(document.responseSchema(for: create, status: 422, contentType: "application/json") == nil)
        #expect(document.response(for: create, status: 201)?.headerNames == ["Location"])
        #expect(document.response(for: create, status: 201)?.declaresHeaders == true)
        #expect(document.response(for: create, status: 500)?.declaresHeaders == false)

        let get = try match("GET", "/v1/offers/1").operation
        #expect(document.responseSchema(for: get, status: 404, contentType: "application/problem+json") != nil)
        #expect(document.response(for: get, status: 500) == nil)
        let delete = try match("DELETE", "/v1/offers/1").operation
        #expect(document.response(for: delete, status: 204)?.content.isEmpty == true)
        #expect(document.responseSchema(for: delete, status: 204, contentType: "application/json") == nil)
        let export = try match("GET", "/v1/matches/export").operation
        #expect(document.responseSchema(for: export, status: 200, contentType: "text/csv") == .bool(true))
    }

    @Test func rejectsBrokenContracts() {
        #expect(throws: OpenAPIDocumentError.self) { try OpenAPIDocument(yaml: "openapi: 3.0.3\npaths: {}") }
        #expect(throws: OpenAPIDocumentError.self) { try OpenAPIDocument(yaml: "openapi: 3.1.0") }
        let dangling = """
            openapi: 3.1.0
            paths:
              /a:
                get:
                  responses:
                    '200':
                      description: x
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Nope'}
            """
        #expect(throws: OpenAPIDocumentError.self) { try OpenAPIDocument(yaml: dangling) }
        let cyclic = """
            openapi: 3.1.0
            paths:
              /a:
                get:
                  parameters: [{$ref: '#/components/parameters/A'}]
                  responses: {}
            components:
              parameters:
                A: {$ref: '#/components/parameters/B'}
                B: {$ref: '#/components/parameters/A'}
            """
        #expect(throws: OpenAPIDocumentError.self) { try OpenAPIDocument(yaml: cyclic) }
        let external = """
            openapi: 3.1.0
            paths:
              /a:
                get:
                  responses:
                    '200': {$ref: 'other.yaml#/components/responses/X'}
            """
        #expect(throws: OpenAPIDocumentError.self) { try OpenAPIDocument(yaml: external) }
    }
}
