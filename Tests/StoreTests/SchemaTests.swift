import Postgres
import Store
import TestSupport
import Testing

@Suite("Schema rules enforced by the database")
struct SchemaTests {
    private static func withMigratedDatabase(
        _ label: String,
        _ body: (TestDatabase, PostgresClient) async throws -> Void
    ) async throws {
        try await TestDatabase.with(label: label) { database in
            try await database.withClient { client in
                _ = try await Migrator(client: client, logger: TestDatabase.logger)
                    .migrate(try Migration.load(from: RepositoryLayout.migrations))
                try await body(database, client)
            }
        }
    }

    @Test func auditLogIsAppendOnlyForTheApplicationRole() async throws {
        try await Self.withMigratedDatabase("audit") { database, client in
            let role = "cm_app_\(database.name.suffix(8))"
            try await client.withConnection { connection in
                let quotedRole = try connection.escapeIdentifier(role)
                try connection.executeScript(
                    """
                    CREATE ROLE \(quotedRole) NOLOGIN;
                    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO \(quotedRole);
                    GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO \(quotedRole);
                    """
                )
            }
            let outcomes = try await client.withConnection { connection in
                try connection.transaction { connection in
                    try connection.executeScript("SET LOCAL ROLE \(try connection.escapeIdentifier(role))")
                    try connection.query(
                        "INSERT INTO audit_log (action, entity_type, entity_id) VALUES ($1, $2, $3)",
                        ["approve", "match", "1"]
                    )
                    var states: [SQLState?] = []
                    for statement in ["UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log"] {
                        try connection.executeScript("SAVEPOINT attempt")
                        do {
                            try connection.query(statement)
                            states.append(nil)
                        } catch let error as PostgresError {
                            states.append(error.sqlState)
                        }
                        try connection.executeScript("ROLLBACK TO SAVEPOINT attempt")
                    }
                    let count = try connection.query("SELECT count(*) AS n FROM audit_log")[0].decode(Int.self, "n")
                    return (states, count)
                }
            }
            try await client.withConnection { connection in
                let quotedRole = try connection.escapeIdentifier(role)
                try connection.executeScript("DROP OWNED BY \(quotedRole); DROP ROLE \(quotedRole)")
            }
            #expect(outcomes.0 == [.insufficientPrivilege, .insufficientPrivilege])
            #expect(outcomes.1 == 1)
        }
    }

    @Test func capacityAndUrgencyChecks() async throws {
        try await Self.withMigratedDatabase("checks") { _, client in
            let levels = try await client.query(
                "SELECT count(*) FILTER (WHERE parent_id IS NULL) AS top, count(parent_id) AS leaves FROM categories"
            )
            #expect(try levels[0].decode(Int.self, "top") == 3)
            #expect(try levels[0].decode(Int.self, "leaves") >= 15)
            let overAllocation = await #expect(throws: PostgresError.self) {
                try await client.query(
                    """
                    INSERT INTO charities (name, credit_code, kind) VALUES ('测试慈善会', '91350100M000100Y43', 'foundation');
                    """
                )
                try await client.query(
                    """
                    INSERT INTO offers (charity_id, category_id, title, capacity, allocated, unit,
                                        service_region_prefixes)
                    SELECT c.id, k.id, '米面油', 5, 6, 'portion', ARRAY['3501']
                    FROM charities c, categories k WHERE k.code = 'material.grain_oil'
                    """
                )
            }
            #expect(overAllocation?.sqlState == .checkViolation)
            #expect(overAllocation?.constraintName == "offers_allocated_within_capacity")
            let badCode = await #expect(throws: PostgresError.self) {
                try await client.query(
                    "INSERT INTO charities (name, credit_code, kind) VALUES ('x', '91350211M0000XUF46', 'foundation')"
                )
            }
            #expect(badCode?.sqlState == .checkViolation)
        }
    }
}
