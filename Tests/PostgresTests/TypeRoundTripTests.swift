import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Values survive a round trip through PostgreSQL")
struct TypeRoundTripTests {
    struct Payload: Codable, Equatable, Sendable {
        var name: String
        var weights: [String: Double]
        var tags: [String]
    }

    private func roundTrip<T: PostgresEncodable & PostgresDecodable & Equatable>(
        _ client: PostgresClient,
        _ value: T,
        as cast: String
    ) async throws -> T {
        let rows = try await client.query("SELECT $1::\(cast) AS v", [value])
        return try #require(rows.first).decode(T.self, "v")
    }

    @Test func scalarsIncludingExtremes() async throws {
        try await TestDatabase.with(label: "types") { database in
            try await database.withClient { client in
                for value in [Int.min, -1, 0, 1, Int.max] {
                    #expect(try await roundTrip(client, value, as: "int8") == value)
                }
                for value in [Int32.min, 0, Int32.max] {
                    #expect(try await roundTrip(client, value, as: "int4") == value)
                }
                for value in [Int64.min, Int64.max] {
                    #expect(try await roundTrip(client, value, as: "int8") == value)
                }
                for value in [0.1, -2.5e-300, 1.7976931348623157e308, Double.infinity, -Double.infinity] {
                    #expect(try await roundTrip(client, value, as: "float8") == value)
                }
                let nan = try await client.query("SELECT $1::float8 AS v", [Double.nan])
                #expect(try nan[0].decode(Double.self, "v").isNaN)
                #expect(try await roundTrip(client, true, as: "bool") == true)
                #expect(try await roundTrip(client, false, as: "bool") == false)
                let decimal = try #require(Decimal(string: "-12345678901234567890.123456789"))
                #expect(try await roundTrip(client, decimal, as: "numeric") == decimal)
                let uuid = UUID()
                #expect(try await roundTrip(client, uuid, as: "uuid") == uuid)
                let bytes = Data([0, 1, 0x7F, 0x80, 0xFF])
                #expect(try await roundTrip(client, bytes, as: "bytea") == bytes)
            }
        }
    }

    @Test(arguments: [
        "'); DROP TABLE x;--",
        "低保边缘户 张三 🏠👵🏻",
        "tab\tnewline\nbackslash\\quote\"apostrophe'",
        "",
    ])
    func textIsNeverSQL(_ text: String) async throws {
        try await TestDatabase.with(label: "text") { database in
            try await database.withClient { client in
                try await client.query("CREATE TABLE x (id int PRIMARY KEY, body text)")
                try await client.query("INSERT INTO x VALUES ($1, $2)", [1, text])
                let rows = try await client.query("SELECT body FROM x WHERE body = $1", [text])
                #expect(try rows[0].decode(String.self, "body") == text)
                #expect(try await client.query("SELECT count(*)::int8 AS n FROM x")[0].decode(Int.self, "n") == 1)
            }
        }
    }

    @Test func nullsDecodeAsNilAndRefuseNonOptional() async throws {
        try await TestDatabase.with(label: "nulls") { database in
            try await database.withClient { client in
                let rows = try await client.query("SELECT $1::int8 AS a, $2::text AS b", [nil, nil])
                #expect(try rows[0].decode(Int?.self, "a") == nil)
                #expect(try rows[0].decode(String?.self, "b") == nil)
                let error = #expect(throws: PostgresError.self) { try rows[0].decode(Int.self, "a") }
                #expect(error?.code == .decoding)
                #expect(error?.columnName == "a")
            }
        }
    }

    @Test func mismatchNamesTheColumn() async throws {
        try await TestDatabase.with(label: "mismatch") { database in
            try await database.withClient { client in
                let rows = try await client.query("SELECT 'secret-value'::text AS household_name")
                let error = #expect(throws: PostgresError.self) { try rows[0].decode(Int.self, "household_name") }
                #expect(error?.columnName == "household_name")
                #expect(error?.description.contains("household_name") == true)
                #expect(error?.description.contains("secret-value") == false)
            }
        }
    }

    @Test func timestampsWithZones() async throws {
        try await TestDatabase.with(label: "time") { database in
            try await database.withClient { client in
                let rows = try await client.query(
                    """
                    SELECT '2024-03-10 20:15:30.123456+08'::timestamptz AS beijing,
                           '1969-12-31 23:59:59.5-05:30'::timestamptz AS before_epoch,
                           '2024-02-29'::date AS leap_day
                    """
                )
                let beijing = try rows[0].decode(Date.self, "beijing")
                #expect(abs(beijing.timeIntervalSince1970 - 1_710_072_930.123456) < 1e-6)
                let beforeEpoch = try rows[0].decode(Date.self, "before_epoch")
                #expect(abs(beforeEpoch.timeIntervalSince1970 - 19_799.5) < 1e-6)
                #expect(try rows[0].decode(Date.self, "leap_day").timeIntervalSince1970 == 1_709_164_800)

                let now = Date(timeIntervalSince1970: 1_764_000_000.654321)
                let back = try await client.query("SELECT $1::timestamptz AS t", [now])[0].decode(Date.self, "t")
                #expect(abs(back.timeIntervalSince(now)) < 1e-6)
                let text = try await client.query(
                    "SELECT to_char($1::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS t",
                    [now]
                )
                #expect(try text[0].decode(String.self, "t") == "2025-11-25 00:00")
            }
        }
    }

    @Test func arraysAndJSON() async throws {
        try await TestDatabase.with(label: "arrays") { database in
            try await database.withClient { client in
                let strings = ["低保", "a,b", "quote\"d", "back\\slash", "NULL", "", "{brace}"]
                #expect(try await roundTrip(client, strings, as: "text[]") == strings)
                #expect(try await roundTrip(client, [String](), as: "text[]") == [])
                let numbers = [Int.min, -1, 0, 42, Int.max]
                #expect(try await roundTrip(client, numbers, as: "int8[]") == numbers)
                let small = try await client.query("SELECT ARRAY[1,2,3]::int4[] AS v")
                #expect(try small[0].decode([Int].self, "v") == [1, 2, 3])

                let payload = Payload(name: "特困供养", weights: ["urgency": 0.4, "fairness": 0.1], tags: ["急难"])
                let rows = try await client.query("SELECT $1::jsonb AS doc", [PostgresJSON(payload)])
                #expect(try rows[0].decodeJSON(Payload.self, "doc") == payload)

                let withNull = try await client.query("SELECT ARRAY['a', NULL]::text[] AS v")
                #expect(throws: PostgresError.self) { try withNull[0].decode([String].self, "v") }
            }
        }
    }
}
