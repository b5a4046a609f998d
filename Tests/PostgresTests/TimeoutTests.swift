import Foundation
import Postgres
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The deadlines that keep a slow or hung database from holding callers. Bounds are
/// generous (the machine is shared): they tell "ended near its timeout" from "hung".
@Suite("Statement and acquire timeouts")
struct TimeoutTests {
    @Test func theServerEndsAStatementAtTheStatementTimeoutAndTheConnectionStays() async throws {
        try await TestDatabase.with(label: "stmt-timeout") { database in
            let options = PostgresClient.Options(maxConnections: 1, statementTimeout: .milliseconds(300))
            try await database.withClient(options: options) { client in
                let pid = try await client.query("SELECT pg_backend_pid() AS pid")[0].decode(Int32.self, "pid")
                let started = ContinuousClock.now
                let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT pg_sleep(5)") }
                #expect(error?.code == .timedOut)
                #expect(ContinuousClock.now - started < .seconds(3))
                let after = try await client.query("SELECT pg_backend_pid() AS pid")[0].decode(Int32.self, "pid")
                #expect(after == pid)
            }
        }
    }

    @Test func aStatementWaitingForALockEndsAtTheStatementTimeout() async throws {
        try await TestDatabase.with(label: "lock-timeout") { database in
            try await database.withClient(options: .init(maxConnections: 1)) { holder in
                try await holder.query("CREATE TABLE held (id int)")
                let options = PostgresClient.Options(maxConnections: 2, statementTimeout: .milliseconds(300))
                try await database.withClient(options: options) { client in
                    try await holder.withReservedConnection { locked in
                        try await locked.run { try $0.executeScript("BEGIN; LOCK TABLE held IN ACCESS EXCLUSIVE MODE") }
                        let started = ContinuousClock.now
                        let error = await #expect(throws: PostgresError.self) {
                            try await client.query("SELECT count(*) AS n FROM held")
                        }
                        #expect(error?.code == .timedOut)
                        #expect(ContinuousClock.now - started < .seconds(3))
                        try await locked.run { try $0.executeScript("ROLLBACK") }
                    }
                }
            }
        }
    }

    /// A stopped backend answers nothing, not even a cancel: the client gives up on its own,
    /// discards the connection, and the next caller gets a fresh one.
    @Test func aHungBackendIsGivenUpOnAndAFreshConnectionServesTheNextCaller() async throws {
        try await TestDatabase.with(label: "hung-backend") { database in
            let options = PostgresClient.Options(
                maxConnections: 1, acquireTimeout: .seconds(2), statementTimeout: .milliseconds(300))
            try await database.withClient(options: options) { client in
                let pid = try await client.query("SELECT pg_backend_pid() AS pid")[0].decode(Int32.self, "pid")
                guard kill(pid, SIGSTOP) == 0 else {
                    Issue.record("cannot stop backend \(pid) (errno \(errno)); run the tests as the cluster's owner")
                    return
                }
                let started = ContinuousClock.now
                let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
                let waited = ContinuousClock.now - started
                kill(pid, SIGCONT)
                #expect(error?.code == .timedOut)
                #expect(waited >= .milliseconds(300) && waited < .seconds(3))
                let fresh = try await client.query("SELECT pg_backend_pid() AS pid")[0].decode(Int32.self, "pid")
                #expect(fresh != pid)
            }
        }
    }

    /// A server that accepts the connection and never speaks: opening gives up at the
    /// acquire deadline instead of waiting for libpq's own (unset) connect timeout.
    @Test func aServerThatNeverAnswersTheStartupIsGivenUpOnAtTheAcquireTimeout() async throws {
        let listener = try SilentListener()
        defer { listener.close() }
        let configuration = try ConnectionConfiguration("postgresql://nobody@127.0.0.1:\(listener.port)/none")
        let options = PostgresClient.Options(maxConnections: 1, acquireTimeout: .milliseconds(500))
        let client = PostgresClient(configuration: configuration, options: options, logger: TestDatabase.logger)
        let started = ContinuousClock.now
        let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
        #expect(error?.code == .timedOut)
        #expect(ContinuousClock.now - started < .seconds(3))
        await client.shutdown()
    }
}

/// A TCP socket that listens on a free loopback port and never accepts or answers.
private struct SilentListener {
    let descriptor: Int32
    let port: Int

    init() throws {
        #if canImport(Glibc)
            let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
            let descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) }
        }
        guard bound == 0, listen(descriptor, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        #if canImport(Glibc)
            _ = Glibc.close(descriptor)
        #else
            _ = Darwin.close(descriptor)
        #endif
    }
}
