import API
import Foundation
import Hummingbird
import HummingbirdTesting
import Postgres
import Store
import TestSupport
import Testing

@Suite("Operator endpoints")
struct OperationsTests {
    private func application(_ client: PostgresClient) -> some ApplicationProtocol {
        let router = Router()
        OperationsController(database: DatabaseStatus(client: client)).addRoutes(to: router)
        return Application(router: router)
    }

    @Test func healthAndReadinessWithADatabase() async throws {
        try await TestDatabase.with(label: "ready") { database in
            try await database.withClient { client in
                try await application(client).test(.router) { app in
                    try await app.execute(uri: "/healthz", method: .get) { response in
                        #expect(response.status == .ok)
                    }
                    try await app.execute(uri: "/readyz", method: .get) { response in
                        #expect(response.status == .ok)
                        #expect(String(buffer: response.body) == "ready\n")
                    }
                }
            }
        }
    }

    @Test func readinessFailsFastWithProblemJSONWhenTheDatabaseIsGone() async throws {
        let configuration = try ConnectionConfiguration("postgresql://nobody@127.0.0.1:1/none?connect_timeout=10")
        let client = PostgresClient(configuration: configuration, logger: TestDatabase.logger)
        try await application(client).test(.router) { app in
            try await app.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
            }
            let started = ContinuousClock.now
            try await app.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.retryAfter] == "5")
                let body =
                    try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                #expect(body?["status"] as? Int == 503)
                #expect((body?["type"] as? String)?.hasSuffix("database-unavailable") == true)
            }
            #expect(ContinuousClock.now - started < .seconds(3))
        }
        await client.shutdown()
    }
}
