import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Postgres
import Store
import Testing

@testable import API

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The server's connection cap, eviction of connections that never finish a request head,
/// and the header timeout, over real sockets. Bounds are generous: they tell "closed near
/// its timeout" from "held open".
@Suite("Connection bounds")
struct ConnectionBoundsTests {
    static let limits = ConnectionLimits(
        maxConnections: 4, headerTimeout: .milliseconds(1_500), idleTimeout: .seconds(10))

    /// Serves the API on a free port with ``limits`` (no test client of its own, so every
    /// connection is the test's), runs `body`, then stops the server.
    private func serve(
        _ fixture: APIFixture, _ body: @escaping @Sendable (Int, OpenConnections) async throws -> Void
    ) async throws {
        let connections = OpenConnections(limit: Self.limits.maxConnections)
        let logger = Logger(label: "bounds-test")
        let (ports, announce) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: buildRouter(services: fixture.services, logger: logger),
            server: .bounded(Self.limits, connections: connections),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { announce.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let server = Task { try await application.runService(gracefulShutdownSignals: []) }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else { throw RawConnection.Failure() }
        try await body(port, connections)
    }

    @Test func beyondTheCapARequestGets503WithRetryAfterAndServiceResumesAfter() async throws {
        try await APIFixture.with("bounds-cap") { fixture in
            try await serve(fixture) { port, connections in
                let token = fixture.tokens[.admin] ?? ""
                // Four connections inside a request (head read, body awaited): not evictable.
                var busy: [RawConnection] = []
                for _ in 0..<4 {
                    let connection = try RawConnection(port: port)
                    try connection.send(
                        "POST /v1/charities HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(token)\r\n"
                            + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                    busy.append(connection)
                }
                try await waitUntil { connections.count == 4 }
                try await Task.sleep(for: .milliseconds(200))
                let refused = try RawConnection(port: port)
                try refused.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
                let answer = refused.readUntilClosed(within: .seconds(3))
                #expect(answer.text.hasPrefix("HTTP/1.1 503"))
                #expect(answer.text.lowercased().contains("retry-after: 1"))
                #expect(answer.text.contains("server-busy"))
                #expect(answer.closed)
                busy.forEach { $0.close() }
                try await waitUntil { connections.count == 0 }
                let again = try RawConnection(port: port)
                try again.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                #expect(again.readUntilClosed(within: .seconds(3)).text.hasPrefix("HTTP/1.1 200"))
            }
        }
    }

    @Test func halfSentRequestsAreEvictedForARealOneAndClosedAfterTheHeaderTimeout() async throws {
        try await APIFixture.with("bounds-header") { fixture in
            try await serve(fixture) { port, connections in
                let started = ContinuousClock.now
                var halfSent: [RawConnection] = []
                for _ in 0..<4 {
                    let connection = try RawConnection(port: port)
                    try connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\n")
                    halfSent.append(connection)
                }
                try await waitUntil { connections.count == 4 }
                let real = try RawConnection(port: port)
                try real.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                #expect(real.readUntilClosed(within: .seconds(3)).text.hasPrefix("HTTP/1.1 200"))
                // The server was full: the real request was served because one half-sent
                // connection was evicted; the others are closed by the header timeout.
                for connection in halfSent {
                    let outcome = connection.readUntilClosed(within: .seconds(5))
                    #expect(outcome.closed && outcome.text.isEmpty)
                }
                let waited = ContinuousClock.now - started
                #expect(waited >= .milliseconds(500) && waited < .seconds(5), "closed by the header timeout")
                halfSent.forEach { $0.close() }
            }
        }
    }

    /// A stalled database (here: the tokens table locked by another session) ends every
    /// request with a 503 `database-unavailable` and `Retry-After` near the statement
    /// timeout, and those waiting for a connection near the acquire timeout.
    @Test func withTheDatabaseStalledEveryRequestEndsWithA503Quickly() async throws {
        try await APIFixture.with("bounds-stall") { fixture in
            let bounded = PostgresClient(
                configuration: fixture.client.configuration,
                options: .init(maxConnections: 2, acquireTimeout: .seconds(1), statementTimeout: .milliseconds(500)),
                logger: Logger(label: "bounds-test"))
            let services = try await APIServices(
                store: Database(client: bounded, sealer: fixture.services.sealer),
                rateLimit: .init(perSecond: 0, burst: 0))
            let token = fixture.tokens[.coordinator] ?? ""
            try await fixture.client.withReservedConnection { locker in
                try await locker.run { try $0.executeScript("BEGIN; LOCK TABLE api_tokens IN ACCESS EXCLUSIVE MODE") }
                let application = Application(
                    router: buildRouter(services: services, logger: Logger(label: "bounds-test")))
                try await application.test(.router) { client in
                    let started = ContinuousClock.now
                    let answers = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                        for _ in 0..<6 {
                            group.addTask {
                                let response = try await client.execute(
                                    uri: "/v1/me", method: .get, headers: [.authorization: "Bearer \(token)"])
                                return (response.status, response.headers[.retryAfter])
                            }
                        }
                        return try await group.reduce(into: []) { $0.append($1) }
                    }
                    #expect(ContinuousClock.now - started < .seconds(3))
                    #expect(answers.allSatisfy { $0.0 == .serviceUnavailable && $0.1 != nil })
                }
                try await locker.run { try $0.executeScript("ROLLBACK") }
            }
            await bounded.shutdown()
        }
    }

    private func waitUntil(_ condition: @Sendable () -> Bool) async throws {
        for _ in 0..<100 where !condition() {
            try await Task.sleep(for: .milliseconds(30))
        }
        #expect(condition())
    }
}

/// A blocking TCP client for speaking raw HTTP/1.1, half-sent requests included.
final class RawConnection: Sendable {
    struct Failure: Error {}

    private let descriptor: Int32

    init(port: Int) throws {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        self.descriptor = descriptor
        guard connected == 0 else { throw Failure() }
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { throw Failure() }
    }

    /// Everything the server sends until it closes or `limit` passes.
    func readUntilClosed(within limit: Duration) -> (text: String, closed: Bool) {
        let deadline = ContinuousClock.now + limit
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while ContinuousClock.now < deadline {
            var descriptor = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 50) > 0 else { continue }
            let count = read(self.descriptor, &buffer, buffer.count)
            if count <= 0 { return (String(decoding: received, as: UTF8.self), true) }
            received += buffer.prefix(count)
        }
        return (String(decoding: received, as: UTF8.self), false)
    }

    func close() {
        #if canImport(Glibc)
            _ = Glibc.close(descriptor)
        #else
            _ = Darwin.close(descriptor)
        #endif
    }
}

/// The import upload's bounds: a file over 32 MiB is a 413, and a file of bad rows answers
/// the first 1,000 problems with the total in the detail.
@Suite("Import upload bounds")
struct ImportUploadBoundsTests {
    @Test func aFileOverTheLimitIsRefusedWith413() async throws {
        try await APIFixture.with("upload-413") { fixture in
            try await fixture.test { api in
                let csv = "case_number,category,quantity\n" + String(repeating: "x", count: 32 << 20)
                let answer = try await api.call(
                    .post, "/v1/imports/needs", as: .caseworker, json: csv, contentType: "text/csv")
                #expect(answer.status == .contentTooLarge)
            }
        }
    }

    @Test func aFileOfBadRowsAnswersTheFirstThousandProblemsAndTheTotal() async throws {
        try await APIFixture.with("upload-422") { fixture in
            try await fixture.test { api in
                var csv = "case_number,category,quantity\n"
                for row in 0..<1_200 { csv += "C\(row),粮油,many\n" }
                csv += "C1200,粮油,1\u{0}\n"
                let answer = try await api.call(
                    .post, "/v1/imports/needs", as: .caseworker, json: csv, contentType: "text/csv")
                #expect(answer.status == .unprocessableContent)
                #expect(answer.errorFields.count == 1_000)
                #expect(answer.errorFields.first == "line 2, column quantity")
                #expect(answer["detail"]?.stringValue?.contains("1201 problem(s)") == true)
            }
        }
    }
}
