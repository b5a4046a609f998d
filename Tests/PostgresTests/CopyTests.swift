import Foundation
import Postgres
import TestSupport
import Testing

@Suite("COPY FROM STDIN")
struct CopyTests {
    @Test func hundredThousandRowsLandExactly() async throws {
        try await TestDatabase.with(label: "copy") { database in
            try await database.withClient { client in
                try await client.query("CREATE TABLE t (id int8 PRIMARY KEY, label text, note text)")
                let copied = try await client.copyFrom("COPY t (id, label, note) FROM STDIN") { writer in
                    for id in 1...100_000 {
                        writer.append(id)
                        try writer.append(text: "户\t\(id)\\\n")
                        try writer.append(id.isMultiple(of: 7) ? nil : "note")
                        try writer.endRow()
                    }
                }
                #expect(copied == 100_000)
                let rows = try await client.query(
                    "SELECT count(*) AS n, count(note) AS notes, sum(id) AS total FROM t"
                )
                #expect(try rows[0].decode(Int.self, "n") == 100_000)
                #expect(try rows[0].decode(Int.self, "notes") == 100_000 - 100_000 / 7)
                #expect(try rows[0].decode(Decimal.self, "total") == 5_000_050_000)
                let label = try await client.query("SELECT label FROM t WHERE id = 42")[0].decode(String.self, "label")
                #expect(label == "户\t42\\\n")
            }
        }
    }

    @Test func badRowAbortsEverythingWithItsLine() async throws {
        try await TestDatabase.with(label: "copybad") { database in
            try await database.withClient { client in
                try await client.query("CREATE TABLE t (id int8 PRIMARY KEY, qty int4 NOT NULL)")
                let error = await #expect(throws: PostgresError.self) {
                    try await client.copyFrom("COPY t (id, qty) FROM STDIN") { writer in
                        for id in 1...50_000 {
                            writer.append(id)
                            if id == 40_000 {
                                try writer.append(text: "not-a-number")
                            } else {
                                writer.append(id % 5)
                            }
                            try writer.endRow()
                        }
                    }
                }
                #expect(error?.code == .copyFailed)
                #expect(error?.sqlState == .invalidTextRepresentation)
                #expect(error?.copyLine == 40_000)
                #expect(error?.description.contains("not-a-number") == false)
                #expect(try await client.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 0)
            }
        }
    }

    @Test func producerErrorAbortsTheCopyAndTheConnectionStaysUsable() async throws {
        struct Stop: Error {}
        try await TestDatabase.with(label: "copyabort") { database in
            try await database.withClient(options: .init(maxConnections: 1)) { client in
                try await client.query("CREATE TABLE t (id int8)")
                await #expect(throws: Stop.self) {
                    try await client.copyFrom("COPY t FROM STDIN") { writer in
                        for id in 1...1000 {
                            writer.append(id)
                            try writer.endRow()
                        }
                        throw Stop()
                    }
                }
                #expect(try await client.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 0)
            }
        }
    }

    @Test func theSessionPlanModeIsBackAfterACopyThatLandsOrFails() async throws {
        struct Stop: Error {}
        try await TestDatabase.with(label: "copyplan") { database in
            try await database.withClient(options: .init(maxConnections: 1)) { client in
                let modes = try await client.withConnection { connection in
                    try connection.query("CREATE TABLE t (id int8)")
                    try connection.copyFrom("COPY t FROM STDIN") { writer in
                        writer.append(1)
                        try writer.endRow()
                    }
                    let afterLanding = try connection.query("SHOW plan_cache_mode")[0].decode(
                        String.self, "plan_cache_mode")
                    _ = try? connection.copyFrom("COPY t FROM STDIN") { _ in throw Stop() }
                    let afterFailing = try connection.query("SHOW plan_cache_mode")[0].decode(
                        String.self, "plan_cache_mode")
                    let inTransaction = try connection.transaction { connection in
                        try connection.copyFrom("COPY t FROM STDIN") { writer in
                            writer.append(2)
                            try writer.endRow()
                        }
                        return try connection.query("SHOW plan_cache_mode")[0].decode(String.self, "plan_cache_mode")
                    }
                    return [afterLanding, afterFailing, inTransaction]
                }
                #expect(modes == ["force_custom_plan", "force_custom_plan", "force_custom_plan"])
                #expect(try await client.query("SELECT count(*) AS n FROM t")[0].decode(Int.self, "n") == 2)
            }
        }
    }
}
