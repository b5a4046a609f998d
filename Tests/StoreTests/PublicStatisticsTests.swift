import Foundation
import Matching
import Postgres
import Store
import TestSupport
import Testing

@Suite("Public statistics")
struct PublicStatisticsTests {
    /// A hand-made map with exact counts on both sides of the suppression line: in county
    /// 320508, fifteen 粮油 needs of two units delivered by Alpha and rated 5 (eight) or 4
    /// (seven), fourteen 衣被 needs delivered by Beta and rated 3, and seventeen open 取暖
    /// needs; next door in 320509, four more 粮油 needs delivered by Alpha and rated 1.
    private static func withFigures(_ label: String, _ body: (PostgresClient) async throws -> Void) async throws {
        try await TestDatabase.with(label: label) { database in
            try await database.withClient { client in
                _ = try await Migrator(client: client, logger: TestDatabase.logger)
                    .migrate(try Migration.load(from: RepositoryLayout.migrations))
                for (serial, name) in [(1, "Alpha"), (2, "Beta")] {
                    try await client.query(
                        "INSERT INTO charities (name, credit_code, kind) VALUES ($1, $2, 'foundation')",
                        [name, RepositoryFixtures.creditCode(serial)])
                }
                try await client.withConnection { connection in
                    try connection.executeScript(Self.fixture)
                }
                try await body(client)
            }
        }
    }

    private static let fixture = """
        INSERT INTO regions (code, name, level, parent_code) VALUES
            ('320000000000', '江苏省', 1, NULL), ('320500000000', '苏州市', 2, '320000000000'),
            ('320508000000', '姑苏区', 3, '320500000000'), ('320508001000', '平江街道', 4, '320508000000'),
            ('320508001001', '平江社区', 5, '320508001000'), ('320509000000', '吴江区', 3, '320500000000');
        INSERT INTO offers (charity_id, category_id, title, capacity, unit, service_region_prefixes)
        SELECT ch.id, c.id, ch.name || ' ' || c.code, 100, 'portion', ARRAY['3205']
          FROM charities ch JOIN categories c
            ON (ch.name, c.code) IN (('Alpha', 'material.grain_oil'), ('Beta', 'material.clothing_bedding'));
        INSERT INTO households (case_number, region_code, members, id_number_hmac, id_number_last4,
                                consent_given_at, consent_scope)
        SELECT 'S-' || i, CASE WHEN i <= 29 THEN '320508001001' ELSE '320509000000' END, 1,
               sha256(('household ' || i)::bytea), '0000', now() - interval '30 days', 'share'
          FROM generate_series(1, 33) AS i;
        INSERT INTO needs (household_id, category_id, quantity, unit, fulfilled_quantity, status, closed_at)
        SELECT h.id, c.id, k.quantity, 'portion', k.quantity, 'fulfilled', now()
          FROM households h
         CROSS JOIN LATERAL (
               SELECT CASE WHEN substr(h.case_number, 3)::int BETWEEN 16 AND 29
                           THEN 'material.clothing_bedding' ELSE 'material.grain_oil' END AS code,
                      CASE WHEN substr(h.case_number, 3)::int BETWEEN 16 AND 29 THEN 1 ELSE 2 END AS quantity) k
          JOIN categories c ON c.code = k.code;
        INSERT INTO needs (household_id, category_id, quantity, unit)
        SELECT h.id, c.id, 1, 'portion' FROM households h, categories c
         WHERE c.code = 'material.heating' AND substr(h.case_number, 3)::int <= 17;
        INSERT INTO matches (need_id, offer_id, units, status, decided_at)
        SELECT n.id, o.id, n.quantity, 'delivered', now()
          FROM needs n JOIN offers o ON o.category_id = n.category_id WHERE n.status = 'fulfilled';
        INSERT INTO feedback (match_id, satisfaction)
        SELECT m.id, CASE WHEN k.serial <= 8 THEN 5 WHEN k.serial <= 15 THEN 4 WHEN k.serial <= 29 THEN 3 ELSE 1 END
          FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
         CROSS JOIN LATERAL (SELECT substr(h.case_number, 3)::int AS serial) k;
        """

    private static func scope(_ prefix: String) throws -> RegionScope {
        try #require(RegionScope(prefix: prefix))
    }

    @Test func countsAreRoundedToTenAndCountsBelowFifteenAndWhatFollowsFromThemAreWithheld() async throws {
        try await Self.withFigures("stats_county") { client in
            let stats = try await PublicStatistics(client: client).stats(region: try Self.scope("320508"))
            #expect(stats.region == "320508" && stats.regionName == "姑苏区")
            #expect(stats.minimumCount == 15 && stats.roundingBase == 10)
            // 46 recorded, 17 open, 29 fulfilled: rounded to the nearest ten, halves up.
            #expect(stats.needs.recorded == 50 && stats.needs.open == 20 && stats.needs.fulfilled == 30)
            // 29 deliveries of 44 units.
            #expect(stats.deliveredMatches == 30 && stats.unitsDelivered == 40)
            let categories = Dictionary(uniqueKeysWithValues: stats.byCategory.map { ($0.categoryCode, $0) })
            let grain = try #require(categories["material.grain_oil"])
            #expect(grain.needs == 20 && grain.needsServed == 20 && grain.unitsDelivered == 30)
            #expect(grain.categoryName == "粮油")
            // Fourteen needs: every figure of the category is withheld, though 14 units were delivered.
            let clothing = try #require(categories["material.clothing_bedding"])
            #expect(clothing.needs == nil && clothing.needsServed == nil && clothing.unitsDelivered == nil)
            // Seventeen needs, none served: the count shows, the zeros do not.
            let heating = try #require(categories["material.heating"])
            #expect(heating.needs == 20 && heating.needsServed == nil && heating.unitsDelivered == nil)
            // Every level-2 category is listed, used or not, so a row's presence says nothing.
            #expect(
                try await SeededCounty.count(client, "SELECT count(*) FROM categories WHERE level = 2")
                    == stats.byCategory.count)
            // Beta's fourteen deliveries are too few: it is left out, not listed with nulls.
            #expect(stats.byCharity.map(\.charityName) == ["Alpha"])
            let alpha = stats.byCharity[0]
            #expect(alpha.deliveredMatches == 20 && alpha.deliveredUnits == 30)
            #expect(alpha.satisfactionAverage == 4.53 && alpha.satisfactionCount == 20)
        }
    }

    @Test func aWiderRegionAddsItsCountiesAndWithheldFiguresAreJSONNull() async throws {
        try await Self.withFigures("stats_province") { client in
            let stats = try await PublicStatistics(client: client).stats(region: try Self.scope("32"))
            // 50 recorded, 17 open, 33 fulfilled; 33 deliveries of 52 units.
            #expect(stats.needs.recorded == 50 && stats.needs.open == 20 && stats.needs.fulfilled == 30)
            #expect(stats.deliveredMatches == 30 && stats.unitsDelivered == 50)
            #expect(stats.byCharity.map(\.charityName) == ["Alpha"])
            let alpha = stats.byCharity[0]
            #expect(alpha.deliveredMatches == 20 && alpha.deliveredUnits == 40)
            #expect(alpha.satisfactionAverage == 3.79 && alpha.satisfactionCount == 20)
            let city = try await PublicStatistics(client: client).stats(region: try Self.scope("3205"))
            #expect(city.needs == stats.needs && city.byCharity == stats.byCharity)

            let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(stats))
            let object = try #require(json as? [String: Any])
            #expect(object["roundingBase"] as? Int == 10)
            let categories = try #require(object["byCategory"] as? [[String: Any]])
            let clothing = try #require(
                categories.first { $0["categoryCode"] as? String == "material.clothing_bedding" })
            #expect(clothing["needs"] is NSNull && clothing["needsServed"] is NSNull)
            #expect(clothing["unitsDelivered"] is NSNull)
            #expect(try JSONDecoder().decode(PublicStats.self, from: try JSONEncoder().encode(stats)) == stats)
        }
    }

    @Test func onlyCountiesAndWiderRegionsThatExistArePublished() async throws {
        try await Self.withFigures("stats_region") { client in
            let statistics = PublicStatistics(client: client)
            for narrow in ["320508001", "320508001001"] {
                do {
                    _ = try await statistics.stats(region: try Self.scope(narrow))
                    Issue.record("figures of \(narrow) were published")
                } catch StoreError.invalid(let field, _) {
                    #expect(field == "region")
                }
            }
            await #expect(throws: StoreError.notFound(entity: .region, id: "320583")) {
                _ = try await statistics.stats(region: try Self.scope("320583"))
            }
        }
    }
}
