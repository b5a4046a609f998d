import Foundation
import Postgres
import Store
import TestSupport
import Testing

/// PostgreSQL's time types hold `infinity` and `-infinity`; a `Date` does not. A permanent
/// ban stored as `infinity` made every page and endpoint that read the charity answer 500
/// (issue 13, finding 4). So no time column may hold one: this walks the catalogue.
@Suite("Finite time in every time column")
struct FiniteTimeTests {
    /// For every timestamptz, timestamp and date column of the schema and every CHECK of its
    /// table, a bare copy of the table (no NOT NULL, so the column can be tried alone) with
    /// just that CHECK is given a finite value and both infinities in the column. One CHECK
    /// alone per copy, so a rule about other columns that NULLs happen to break (say, consent
    /// given without a scope) cannot pass for a refusal of infinity.
    private static let probe = """
        CREATE FUNCTION pg_temp.infinity_outcomes()
        RETURNS TABLE (table_name text, column_name text, check_name text, outcomes text) LANGUAGE plpgsql AS $$
        DECLARE
            target record;
            rule record;
            required record;
            trial text;
        BEGIN
            FOR target IN
                SELECT c.table_name::text AS table_name, c.column_name::text AS column_name
                  FROM information_schema.columns c
                  JOIN information_schema.tables t
                    ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                   AND t.table_type = 'BASE TABLE'
                 WHERE c.table_schema = current_schema()
                   AND c.data_type IN ('timestamp with time zone', 'timestamp without time zone', 'date')
                 ORDER BY 1, 2
            LOOP
                table_name := target.table_name;
                column_name := target.column_name;
                check_name := NULL;
                outcomes := NULL;
                RETURN NEXT;
                FOR rule IN
                    SELECT k.conname::text AS name, pg_get_constraintdef(k.oid) AS definition
                      FROM pg_constraint k
                     WHERE k.conrelid = format('%I', target.table_name)::regclass AND k.contype = 'c'
                LOOP
                    EXECUTE format('CREATE TEMP TABLE probe (LIKE %I)', target.table_name);
                    FOR required IN
                        SELECT attname FROM pg_attribute
                         WHERE attrelid = 'pg_temp.probe'::regclass AND attnum > 0 AND attnotnull
                           AND NOT attisdropped
                    LOOP
                        EXECUTE format('ALTER TABLE pg_temp.probe ALTER COLUMN %I DROP NOT NULL', required.attname);
                    END LOOP;
                    EXECUTE 'ALTER TABLE pg_temp.probe ADD ' || rule.definition;
                    check_name := rule.name;
                    outcomes := '';
                    FOREACH trial IN ARRAY ARRAY['2026-11-26', 'infinity', '-infinity'] LOOP
                        BEGIN
                            EXECUTE format('INSERT INTO pg_temp.probe (%I) VALUES (%L)', target.column_name, trial);
                            outcomes := outcomes || 'stored ';
                        EXCEPTION WHEN check_violation THEN
                            outcomes := outcomes || 'refused ';
                        END;
                    END LOOP;
                    RETURN NEXT;
                    DROP TABLE pg_temp.probe;
                END LOOP;
            END LOOP;
        END
        $$;
        """

    @Test func everyTimeColumnStoresFiniteTimeAndRefusesInfinity() async throws {
        try await TestDatabase.with(label: "finite_time") { database in
            try await database.withClient { client in
                _ = try await Migrator(client: client, logger: TestDatabase.logger)
                    .migrate(try Migration.load(from: RepositoryLayout.migrations))
                let rows = try await client.withConnection { connection in
                    try connection.executeScript(Self.probe)
                    return try connection.query("SELECT * FROM pg_temp.infinity_outcomes()").map { row in
                        (
                            column: try row.decode(String.self, "table_name") + "."
                                + (try row.decode(String.self, "column_name")),
                            outcomes: try row.decode(String?.self, "outcomes")
                        )
                    }
                }
                let columns = Set(rows.map(\.column))
                #expect(columns.count > 30)
                #expect(columns.isSuperset(of: ["charities.banned_until", "needs.needed_by", "audit_log.at"]))
                // Each column has a CHECK that takes a finite time and refuses both infinities.
                let guarded = Set(rows.filter { $0.outcomes == "stored refused refused " }.map(\.column))
                #expect(
                    columns.subtracting(guarded).isEmpty,
                    "infinity can be stored in \(columns.subtracting(guarded).sorted())")
            }
        }
    }

    /// Before: a need whose candidates included a permanently banned charity's offer was a
    /// 500, and the charity read as `banned_until: null`, as if not banned.
    @Test func aPermanentBanIsStoredWithoutAnEndAndReadsAsPermanent() async throws {
        try await SeededCounty.with("permanent_ban", plan: RepositoryFixtures.smallPlan) { _, client in
            let charities = CharityRepository(client: client)
            let id = try await client.query(
                "SELECT min(id) AS id FROM charities WHERE status = 'active'")[0].decode(Int64.self, "id")
            let banned = try await charities.ban(charity: id, until: nil, by: .system, reason: "禁入：虚假报告")
            #expect(banned.status == .banned && banned.bannedUntil == nil && banned.isBannedPermanently)
            let stored = try await client.query(
                "SELECT banned_until IS NULL AS open_ended FROM charities WHERE id = $1", [id])[0]
            #expect(try stored.decode(Bool.self, "open_ended"))
            // A ban with an end is not permanent; reinstating clears both.
            let other = try await client.query(
                "SELECT min(id) AS id FROM charities WHERE status = 'active'")[0].decode(Int64.self, "id")
            let until = Date().addingTimeInterval(30 * 86_400)
            let dated = try await charities.ban(charity: other, until: until, by: .system, reason: "限期整改")
            #expect(
                !dated.isBannedPermanently && dated.bannedUntil.map { abs($0.timeIntervalSince(until)) < 1 } == true)
            let back = try await charities.reinstate(charity: id, by: .system)
            #expect(back.status == .active && !back.isBannedPermanently)
            // The one array of dates, members' birth dates, refuses infinities too.
            for value in ["{infinity}", "{-infinity}"] {
                await #expect(throws: PostgresError.self) {
                    try await client.query(
                        "UPDATE households SET member_birth_dates = $1::date[] WHERE id = (SELECT min(id) FROM households)",
                        [value])
                }
            }
        }
    }
}
