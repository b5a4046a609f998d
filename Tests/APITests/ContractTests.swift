import Foundation
import Hummingbird
import TestSupport
import Testing

@testable import API

@Suite("The OpenAPI contract")
struct ContractCoverageTests {
    @Test func theServedDocumentParsesAndListsEveryRouteTheRouterHas() async throws {
        try await APIFixture.with("contract") { fixture in
            let router = buildRouter(services: fixture.services, logger: TestDatabase.logger)
            let routes = Set(router.routes.map { "\($0.method.rawValue.lowercased()) \($0.path)" })
            try await fixture.test { api in
                let served = try await api.call(.get, "/openapi.yaml", as: .anonymous)
                let document = try OpenAPIDocument(yaml: served.text)
                let documented = Set(document.operations.map { "\($0.method) \($0.pathTemplate)" })
                #expect(
                    routes.subtracting(documented).isEmpty, "undocumented: \(routes.subtracting(documented).sorted())")
                #expect(
                    documented.subtracting(routes).isEmpty, "not served: \(documented.subtracting(routes).sorted())")
                for operation in document.operations where operation.pathTemplate.hasPrefix("/v1/") {
                    let isPublic = operation.pathTemplate.hasPrefix("/v1/public/")
                    #expect(operation.requiresAuthentication == !isPublic, "\(operation.pathTemplate) security")
                    #expect(operation.responses["default"] != nil, "\(operation.pathTemplate) has no problem response")
                }
            }
        }
    }
}
