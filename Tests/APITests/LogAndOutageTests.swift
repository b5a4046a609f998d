import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import Store
import Synchronization
import TestSupport
import Testing

@testable import API

/// Keeps every log line as text (message and metadata), for scanning.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    var logger: Logger {
        var logger = Logger(label: "captured") { _ in CapturingHandler(log: self) }
        logger.logLevel = .trace
        return logger
    }
}

struct CapturingHandler: LogHandler {
    let log: CapturedLog
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(
        level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
        file: String, function: String, line: UInt
    ) {
        let all = metadata.merging(extra ?? [:]) { $1 }
        log.append(
            "\(message) " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
    }
}

@Suite("Request logs, database outages and the rate limit")
struct LogAndOutageTests {
    @Test func oneLinePerRequestAndNoTokenIDNumberOrNameInAnyLine() async throws {
        try await APIFixture.with("logs") { fixture in
            let log = CapturedLog()
            let application = Application(
                router: buildRouter(services: fixture.services, logger: log.logger), logger: log.logger)
            let body = TestData.householdBody(region: "320508001001", serial: 31)
            let requests = try await application.test(.router) { client in
                let driver = APIDriver(client: client, fixture: fixture)
                try await driver.call(.get, "/v1/me", as: .caseworker)
                try await driver.call(.post, "/v1/households", as: .admin, json: body)
                try await driver.call(.post, "/v1/households", as: .admin, json: body)
                try await driver.call(.get, "/v1/offers/1", as: .charity)
                try await driver.call(.get, "/v1/nowhere", as: .anonymous)
                return 5
            }
            let lines = log.all
            let requestLines = lines.filter { $0.hasPrefix("request ") }
            #expect(requestLines.count == requests)
            #expect(requestLines.allSatisfy { $0.contains("request_id=") && $0.contains("duration_ms=") })
            #expect(requestLines.contains { $0.contains("role=caseworker") && $0.contains("route=/v1/me") })
            for line in lines {
                for token in fixture.tokens.values { #expect(!line.contains(token)) }
                #expect(!line.contains(TestData.idNumber(serial: 31)))
                #expect(!line.contains("测试户主31"))
                #expect(fixture.privacyLeaks(in: line).isEmpty, "\(line)")
            }
        }
    }

    @Test func aDatabaseOutageIsAQuick503WithRetryAfter() async throws {
        try await APIFixture.with("outage") { fixture in
            await fixture.client.shutdown()
            try await fixture.test { api in
                let started = ContinuousClock.now
                let response = try await api.call(.get, "/v1/me", as: .coordinator)
                #expect(response.status == .serviceUnavailable)
                #expect(response.headers[.retryAfter] != nil)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(ContinuousClock.now - started < .seconds(2))
            }
        }
    }

    @Test func aRunawayCallerIsSlowedWith429AndRetryAfter() async throws {
        try await APIFixture.with("ratelimit", rateLimit: .init(perSecond: 0.01, burst: 5)) { fixture in
            try await fixture.test { api in
                var statuses: [Int] = []
                let started = ContinuousClock.now
                for _ in 0..<8 { statuses.append(try await api.call(.get, "/v1/me", as: .caseworker).status.code) }
                #expect(statuses.prefix(5).allSatisfy { $0 == 200 })
                #expect(statuses.suffix(3).allSatisfy { $0 == 429 })
                let limited = try await api.call(.get, "/v1/me", as: .caseworker)
                // A token comes every 100 s, less what the requests themselves took on a busy machine.
                let elapsed = Int((ContinuousClock.now - started) / .seconds(1))
                let retry = try #require(limited.headers[.retryAfter].flatMap(Int.init))
                #expect((100 - elapsed - 1)...100 ~= retry, "Retry-After \(retry) after \(elapsed) s")
                #expect(
                    try await api.call(.get, "/v1/me", as: .coordinator).status == .ok, "each caller has its own bucket"
                )
            }
        }
    }
}
