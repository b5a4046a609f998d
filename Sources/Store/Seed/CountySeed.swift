import Foundation
import Matching
import Postgres

/// Fills a database with a plausible county: its map, charities, offers, households with
/// their needs, and some aid already given. Deterministic for a seed and a date; everything
/// lands in one transaction through COPY, so a failure leaves nothing behind.
public struct CountySeed: Sendable {
    /// What to generate.
    public struct Plan: Sendable, Equatable {
        public var households: Int
        public var charities: Int
        public var offers: Int
        public var seed: UInt64
        /// A level-3 (county) code.
        public var county: RegionCode
        /// The day the data is "as of" (UTC midnight); dates are drawn relative to it.
        public var asOf: Date
        /// Marks the database as a demo (``DemoMark``), which `rehearse` requires before it
        /// fabricates decisions; never set for a database that will hold real records.
        public var demo: Bool

        public init(
            households: Int, charities: Int, offers: Int, seed: UInt64, county: RegionCode, asOf: Date,
            demo: Bool = false
        ) {
            self.households = households
            self.charities = charities
            self.offers = offers
            self.seed = seed
            self.county = county
            self.asOf = asOf
            self.demo = demo
        }

        /// Checks the numbers before anything is written; each message names its flag.
        public func validate() throws(StoreError) {
            guard county.level == .county else {
                throw .invalid(field: "region", reason: "must be a county-level (level 3) code such as 320508000000")
            }
            guard (1...20_000_000).contains(households) else {
                throw .invalid(field: "households", reason: "must be between 1 and 20000000")
            }
            guard (1...100_000).contains(charities) else {
                throw .invalid(field: "charities", reason: "must be between 1 and 100000")
            }
            guard (0...5_000_000).contains(offers) else {
                throw .invalid(field: "offers", reason: "must be between 0 and 5000000")
            }
        }
    }

    /// What was written.
    public struct Summary: Sendable, Equatable, Codable {
        public var regions: Int
        public var charities: Int
        public var offers: Int
        public var households: Int
        public var needs: Int
        public var aidRecords: Int
    }

    /// Progress callback: phase name, done, total.
    public typealias Progress = @Sendable (String, Int, Int) -> Void

    private let client: PostgresClient
    private let sealer: IDNumberSealer

    public init(client: PostgresClient, sealer: IDNumberSealer) {
        self.client = client
        self.sealer = sealer
    }

    /// Whether households of `county` already exist (the demo skips seeding then).
    public func isSeeded(county: RegionCode) async throws -> Bool {
        let rows = try await client.query(
            "SELECT EXISTS (SELECT 1 FROM households WHERE region_code LIKE $1 || '%') AS seeded",
            [String(county.scopePrefix)])
        return try rows.first?.decode(Bool.self, "seeded") ?? false
    }

    /// Generates and loads everything in `plan`; refuses a county that already has households.
    public func run(_ plan: Plan, progress: @escaping Progress = { _, _, _ in }) async throws -> Summary {
        try plan.validate()
        if try await isSeeded(county: plan.county) {
            throw StoreError.conflict(
                .notReady("county \(plan.county) already has households; seed into a fresh database or another county"))
        }
        let sealer = self.sealer
        return try await client.withConnection { connection in
            try connection.transaction { connection in
                let taxonomy = try Self.loadTaxonomy(on: connection)
                var writer = SeedWriter(
                    connection: connection, plan: plan, taxonomy: taxonomy, sealer: sealer, progress: progress)
                let summary = try writer.write()
                if plan.demo { try DemoMark.mark(county: plan.county, on: connection) }
                return summary
            }
        }
    }

    static func loadTaxonomy(on connection: PostgresConnection) throws -> SeedTaxonomy {
        let rows = try connection.query("SELECT id, code, kind, parent_id, default_unit, name_zh FROM categories")
        let entries = try rows.map { row in
            let kind = try row.decode(String.self, "kind")
            return SeedTaxonomy.Entry(
                id: try row.decode(Int64.self, "id"), code: try row.decode(String.self, "code"), kind: kind,
                parentID: try row.decode(Int64?.self, "parent_id"),
                unit: try row.decode(String?.self, "default_unit") ?? (kind == "service" ? "session" : "portion"),
                nameZh: try row.decode(String.self, "name_zh"))
        }
        guard entries.contains(where: { $0.parentID != nil }) else {
            throw StoreError.conflict(.notReady("the categories table is empty: run charity-match migrate first"))
        }
        return SeedTaxonomy(entries: entries)
    }
}
