import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
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
        maxConnections: 4, headerTimeout: .milliseconds(600), idleTimeout: .seconds(10))

    private func serve(
        _ fixture: APIFixture, _ body: @escaping @Sendable (Int, OpenConnections) async throws -> Void
    ) async throws {
        let connections = OpenConnections(limit: Self.limits.maxConnections)
        let logger = Logger(label: "bounds-test")
        let application = Application(
            router: buildRouter(services: fixture.services, logger: logger),
            server: .bounded(Self.limits, connections: connections),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await application.test(.live) { client in
            guard let port = client.port else { throw RawConnection.Failure() }
            try await body(port, connections)
        }
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
                var halfSent: [RawConnection] = []
                for _ in 0..<4 {
                    let connection = try RawConnection(port: port)
                    try connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\n")
                    halfSent.append(connection)
                }
                try await waitUntil { connections.count == 4 }
                let started = ContinuousClock.now
                let real = try RawConnection(port: port)
                try real.send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                #expect(real.readUntilClosed(within: .seconds(3)).text.hasPrefix("HTTP/1.1 200"))
                #expect(halfSent[0].readUntilClosed(within: .seconds(3)).closed)
                for connection in halfSent.dropFirst() {
                    let outcome = connection.readUntilClosed(within: .seconds(5))
                    #expect(outcome.closed && outcome.text.isEmpty)
                }
                let waited = ContinuousClock.now - started
                #expect(waited >= .milliseconds(300) && waited < .seconds(5))
                halfSent.forEach { $0.close() }
            }
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
