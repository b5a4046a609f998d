import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Connection pool")
struct PoolTests {
    @Test func fiftyConcurrentTasksThroughFourConnections() async throws {
        try await TestDatabase.with(label: "pool") { database in
            try await database.withClient(options: .init(maxConnections: 4)) { client in
                let backends = try await withThrowingTaskGroup(of: Int32.self) { group in
                    for index in 0..<50 {
                        group.addTask {
                            let rows = try await client.query(
                                "SELECT pg_backend_pid() AS pid, $1::int8 AS i, pg_sleep(0.01)::text AS s",
                                [index]
                            )
                            #expect(try rows[0].decode(Int.self, "i") == index)
                            return try rows[0].decode(Int32.self, "pid")
                        }
                    }
                    return try await group.reduce(into: Set<Int32>()) { $0.insert($1) }
                }
                #expect(backends.count <= 4)
                #expect(backends.count >= 2)
            }
        }
    }

    @Test func acquireTimesOutWhenThePoolIsExhausted() async throws {
        try await TestDatabase.with(label: "timeout") { database in
            let options = PostgresClient.Options(maxConnections: 1, acquireTimeout: .milliseconds(200))
            try await database.withClient(options: options) { client in
                async let holder: Void = client.withConnection { connection in
                    try connection.query("SELECT pg_sleep(1.5)")
                }
                try await Task.sleep(for: .milliseconds(300))
                let started = ContinuousClock.now
                let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
                #expect(error?.code == .poolAcquireTimeout)
                #expect(ContinuousClock.now - started < .seconds(1))
                try await holder
                #expect(try await client.query("SELECT 1 AS one")[0].decode(Int32.self, "one") == 1)
            }
        }
    }

    @Test func cancellingALongQueryReturnsQuicklyAndKeepsTheConnection() async throws {
        try await TestDatabase.with(label: "cancel") { database in
            try await database.withClient(options: .init(maxConnections: 1)) { client in
                let before = try await client.query("SELECT pg_backend_pid() AS pid")[0].decode(Int32.self, "pid")
                let task = Task { try await client.query("SELECT pg_sleep(10)") }
                try await Task.sleep(for: .milliseconds(200))
                let started = ContinuousClock.now
                task.cancel()
                let error = await #expect(throws: PostgresError.self) { try await task.value }
                #expect(ContinuousClock.now - started < .milliseconds(800))
                #expect(error?.code == .cancelled)
                let after = try await client.query("SELECT pg_backend_pid() AS pid")[0].decode(Int32.self, "pid")
                #expect(after == before)
            }
        }
    }

    @Test func cancellingInsideATransactionRollsBack() async throws {
        try await TestDatabase.with(label: "canceltx") { database in
            try await database.withClient(options: .init(maxConnections: 1)) { client in
                try await client.query("CREATE TABLE t (id int)")
                let task = Task {
                    try await client.withTransaction { connection in
                        try connection.query("INSERT INTO t VALUES (1)")
                        try connection.query("SELECT pg_sleep(10)")
                    }
                }
                try await Task.sleep(for: .milliseconds(200))
                task.cancel()
                await #expect(throws: PostgresError.self) { try await task.value }
                #expect(try await client.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 0)
            }
        }
    }

    @Test func terminatedBackendIsReplacedByAFreshConnection() async throws {
        try await TestDatabase.with(label: "terminate") { database in
            try await database.withClient(options: .init(maxConnections: 1)) { client in
                let victim = try await client.query("SELECT pg_backend_pid() AS pid")[0].decode(Int32.self, "pid")
                let gone = try await TestDatabase.onServer { connection in
                    try connection.query("SELECT pg_terminate_backend($1)", [victim])
                    for _ in 0..<500 {
                        let alive = try connection.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [victim])
                        if alive.isEmpty { return true }
                        usleep(20_000)
                    }
                    return false
                }
                try #require(gone, "the terminated backend did not exit within 10 s")
                let fresh = try await client.query("SELECT pg_backend_pid() AS pid")[0].decode(Int32.self, "pid")
                #expect(fresh != victim)
            }
        }
    }

    @Test func connectionBrokenMidUseIsDiscarded() async throws {
        try await TestDatabase.with(label: "broken") { database in
            try await database.withClient(options: .init(maxConnections: 1)) { client in
                let error = await #expect(throws: PostgresError.self) {
                    try await client.query("SELECT pg_terminate_backend(pg_backend_pid())")
                }
                #expect(error?.code == .connectionClosed)
                let one = try await client.query("SELECT 1 AS one")[0].decode(Int32.self, "one")
                #expect(one == 1)
            }
        }
    }
}
