import Postgres
import TestSupport
import Testing

@Suite("Connecting")
struct ConnectionConfigurationTests {
    @Test func badStringIsRefusedWithoutEchoingThePassword() {
        let error = #expect(throws: PostgresError.self) {
            try ConnectionConfiguration("host=localhost password=hunter2secret bogus")
        }
        #expect(error?.code == .invalidConnectionString)
        #expect(error?.description.contains("hunter2secret") == false)
    }

    @Test func badURLIsRefused() {
        let error = #expect(throws: PostgresError.self) {
            try ConnectionConfiguration("postgres://user:hunter2secret@host:notaport/db?sslmode=bogus&x=1")
        }
        #expect(error?.description.contains("hunter2secret") == false)
    }

    @Test func urlOptionsPassThrough() throws {
        let configuration = try ConnectionConfiguration(
            "postgres://app:pw@db1:5432,db2:5433/charity?sslmode=prefer&connect_timeout=3"
                + "&application_name=dashboard&target_session_attrs=read-write"
        )
        #expect(configuration.value(of: "host") == "db1,db2")
        #expect(configuration.value(of: "port") == "5432,5433")
        #expect(configuration.value(of: "sslmode") == "prefer")
        #expect(configuration.value(of: "connect_timeout") == "3")
        #expect(configuration.value(of: "application_name") == "dashboard")
        #expect(configuration.with(database: "other").value(of: "dbname") == "other")
    }

    @Test func unreachableServerFailsClearlyAndQuickly() async throws {
        let configuration = try ConnectionConfiguration(
            "postgresql://app:hunter2secret@127.0.0.1:1/charity?connect_timeout=2"
        )
        let client = PostgresClient(configuration: configuration, logger: TestDatabase.logger)
        let error = await #expect(throws: PostgresError.self) { try await client.query("SELECT 1") }
        #expect(error?.code == .connectionFailed)
        #expect(error?.description.contains("hunter2secret") == false)
        #expect(error?.description.contains("127.0.0.1") == true)
        await client.shutdown()
    }

    @Test func applicationNameDefaultsAndEscapedIdentifiers() async throws {
        try await TestDatabase.with(label: "identifiers") { database in
            try await database.withClient { client in
                let name = try await client.query("SELECT current_setting('application_name') AS n")
                #expect(try name[0].decode(String.self, "n") == "charity-match-tests")
                let rows = try await client.withConnection { connection in
                    let schema = try connection.escapeIdentifier("Region \"A\"; DROP")
                    try connection.executeScript("CREATE SCHEMA \(schema)")
                    return try connection.query(
                        "SELECT nspname::text AS n FROM pg_namespace WHERE nspname = $1", ["Region \"A\"; DROP"])
                }
                #expect(rows.count == 1)
            }
        }
    }
}
