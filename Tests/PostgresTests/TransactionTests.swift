import Postgres
import Synchronization
import TestSupport
import Testing

@Suite("Errors and transactions")
struct TransactionTests {
    @Test func uniqueViolationSurfacesSQLState() async throws {
        try await TestDatabase.with(label: "unique") { database in
            try await database.withClient { client in
                try await client.query("CREATE TABLE t (code text PRIMARY KEY)")
                try await client.query("INSERT INTO t VALUES ($1)", ["secret-code-1"])
                let error = await #expect(throws: PostgresError.self) {
                    try await client.query("INSERT INTO t VALUES ($1)", ["secret-code-1"])
                }
                #expect(error?.sqlState == .uniqueViolation)
                #expect(error?.constraintName == "t_pkey")
                #expect(error?.tableName == "t")
                #expect(error?.description.contains("secret-code-1") == false)
                #expect(error?.serverMessage?.contains("duplicate key") == true)
            }
        }
    }

    @Test func failedStatementRollsBackTheWholeTransaction() async throws {
        try await TestDatabase.with(label: "rollback") { database in
            try await database.withClient { client in
                try await client.query("CREATE TABLE t (id int PRIMARY KEY, n int CHECK (n >= 0))")
                await #expect(throws: PostgresError.self) {
                    try await client.withTransaction { connection in
                        try connection.query("INSERT INTO t VALUES (1, 1)")
                        try connection.query("INSERT INTO t VALUES (2, 2)")
                        try connection.query("INSERT INTO t VALUES (3, -1)")
                    }
                }
                let count = try await client.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n")
                #expect(count == 0)
                let committed = try await client.withTransaction { connection in
                    try connection.query("INSERT INTO t VALUES (4, 4)").affectedRows
                }
                #expect(committed == 1)
            }
        }
    }

    @Test func forcedSerializationFailureIsRetried() async throws {
        try await TestDatabase.with(label: "retry") { database in
            try await database.withClient { client in
                try await client.query("CREATE TABLE t (id int PRIMARY KEY)")
                let attempts = Atomic<Int>(0)
                try await client.withTransaction(isolation: .serializable) { connection in
                    try connection.query("INSERT INTO t VALUES (1)")
                    if attempts.add(1, ordering: .relaxed).newValue == 1 {
                        try connection.executeScript(
                            "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = 'serialization_failure'; END $$"
                        )
                    }
                }
                #expect(attempts.load(ordering: .relaxed) == 2)
                #expect(try await client.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 1)
            }
        }
    }

    @Test func realWriteSkewUnderSerializableIsRetriedToACorrectResult() async throws {
        try await TestDatabase.with(label: "skew") { database in
            try await database.withClient(options: .init(maxConnections: 8)) { client in
                try await client.query("CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)")
                try await client.query("INSERT INTO counter VALUES (1, 0)")
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<16 {
                        group.addTask {
                            try await client.withTransaction(isolation: .serializable, maxAttempts: 50) { connection in
                                let n = try connection.query("SELECT n FROM counter WHERE id = 1")[0].decode(
                                    Int32.self, "n")
                                try connection.query("UPDATE counter SET n = $1 WHERE id = 1", [n + 1])
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                #expect(try await client.query("SELECT n FROM counter")[0].decode(Int32.self, "n") == 16)
            }
        }
    }

    @Test func retriesAreBounded() async throws {
        try await TestDatabase.with(label: "bounded") { database in
            try await database.withClient { client in
                let error = await #expect(throws: PostgresError.self) {
                    try await client.withTransaction(maxAttempts: 3) { connection in
                        try connection.executeScript(
                            "DO $$ BEGIN RAISE EXCEPTION 'forced' USING ERRCODE = 'deadlock_detected'; END $$"
                        )
                    }
                }
                #expect(error?.code == .transactionRetriesExhausted)
                #expect(error?.sqlState == .deadlockDetected)
            }
        }
    }

    @Test func preparedStatementsSurviveASchemaChange() async throws {
        try await TestDatabase.with(label: "prepared") { database in
            try await database.withClient(options: .init(maxConnections: 1)) { client in
                try await client.query("CREATE TABLE t (a int8)")
                try await client.query("INSERT INTO t VALUES ($1)", [7])
                #expect(try await client.query("SELECT * FROM t WHERE a = $1", [7])[0].decode(Int.self, "a") == 7)
                try await client.query("ALTER TABLE t ADD COLUMN b text DEFAULT 'x'")
                let rows = try await client.query("SELECT * FROM t WHERE a = $1", [7])
                #expect(rows.columnNames == ["a", "b"])
                #expect(try rows[0].decode(String.self, "b") == "x")
            }
        }
    }
}
