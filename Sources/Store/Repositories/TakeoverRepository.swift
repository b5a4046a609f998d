import Foundation
import Matching
import Postgres

/// One takeover as a coordinator reviews it: whose matches, why, how many needs wait, and
/// how many of them are matched again.
public struct TakeoverRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var charityID: Int64
    public var charityName: String
    public var cause: Takeover.Cause
    public var regionPrefix: String
    public var offerID: Int64?
    public var startedAt: Date
    /// The matches taken over (inside the reader's region) and the units they held.
    public var matches: Int
    public var units: Int
    /// Needs released, and those of them with a live or delivered match made since.
    public var needs: Int
    public var rematchedNeeds: Int
    /// The latest takeover run, if any.
    public var runID: Int64?

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        charityID = try row.decode(Int64.self, "charity_id")
        charityName = try row.decode(String.self, "charity_name")
        cause = try row.decodeCode(Takeover.Cause.self, "cause")
        regionPrefix = try row.decode(String.self, "region_prefix")
        offerID = try row.decode(Int64?.self, "offer_id")
        startedAt = try row.decode(Date.self, "started_at")
        matches = try row.decode(Int.self, "matches")
        units = try row.decode(Int.self, "units")
        needs = try row.decode(Int.self, "needs")
        rematchedNeeds = try row.decode(Int.self, "rematched_needs")
        runID = try row.decode(Int64?.self, "run_id")
    }
}

/// Takeovers (临时接管) for the coordinators of the regions they touch: the list, and the
/// takeover run that re-matches their needs before anything else.
public struct TakeoverRepository: Sendable {
    private let client: PostgresClient
    private let runs: MatchingRuns

    public init(client: PostgresClient, holds: HoldPolicy = HoldPolicy()) {
        self.client = client
        self.runs = MatchingRuns(client: client, holds: holds)
    }

    /// Takeovers with released needs inside the caller's region, newest first, counted
    /// within it. The caller must be allowed ``Action/runTakeover``.
    public func takeovers(by principal: Principal, limit: Int = 100) async throws -> [TakeoverRecord] {
        try principal.authorize(.runTakeover)
        return try await client.query(
            """
            \(Self.selection) GROUP BY t.id, c.name ORDER BY t.started_at DESC, t.id DESC LIMIT $2
            """, [principal.regionLimit?.prefix, limit, nil as Int64?]
        ).map(TakeoverRecord.init(row:))
    }

    /// One takeover inside the caller's region, else ``StoreError/notFound(entity:id:)``.
    public func takeover(id: Int64, by principal: Principal) async throws -> TakeoverRecord {
        try principal.authorize(.runTakeover)
        let rows = try await client.query(
            "\(Self.selection) GROUP BY t.id, c.name LIMIT $2",
            [principal.regionLimit?.prefix, 1, id])
        guard let row = rows.first else { throw StoreError.notFound(entity: .takeover, id: String(id)) }
        return try TakeoverRecord(row: row)
    }

    /// Runs the matching over the takeover's needs in the caller's region alone, so they
    /// claim the supply left before the region's next regular run; the proposals are
    /// reviewed like any run's (``MatchRepository/approve(match:by:reason:note:)`` holds
    /// capacity exactly as ever). A dry run previews. Audited with the run.
    public func run(
        takeover id: Int64, by principal: Principal, dryRun: Bool = false
    ) async throws
        -> MatchingRunReport
    {
        let takeover = try await self.takeover(id: id, by: principal)
        let everywhere = principal.regionLimit == nil ? Self.commonScope(of: try await regions(of: id)) : nil
        guard let scope = principal.regionLimit ?? everywhere else {
            throw StoreError.notFound(entity: .takeover, id: String(id))
        }
        let padded = scope.prefix + String(repeating: "0", count: 12 - scope.prefix.count)
        guard let region = RegionCode(padded) else { throw StoreError.notFound(entity: .region, id: padded) }
        var request = MatchingRunRequest(region: region, dryRun: dryRun, actor: principal.actor)
        request.takeover = takeover.id
        return try await runs.run(request).0
    }

    /// The region codes of the households whose matches the takeover released.
    private func regions(of takeover: Int64) async throws -> [String] {
        try await client.query(
            """
            SELECT DISTINCT h.region_code FROM takeover_matches tm JOIN needs n ON n.id = tm.need_id
              JOIN households h ON h.id = n.household_id WHERE tm.takeover_id = $1
            """, [takeover]
        ).map { try $0.decode(String.self, "region_code") }
    }

    /// The narrowest scope holding every code (a country-wide takeover's run for an
    /// administrator).
    static func commonScope(of codes: [String]) -> RegionScope? {
        guard let first = codes.first else { return nil }
        let shared = codes.dropFirst().reduce(first) { String(zip($0, $1).prefix { $0 == $1 }.map(\.0)) }
        return [12, 9, 6, 4, 2].lazy.filter { $0 <= shared.count }.compactMap {
            RegionScope(prefix: String(shared.prefix($0)))
        }.first
    }

    /// Takeovers with their counts inside the scope `$1` (NULL: everywhere).
    private static let selection = """
        SELECT t.id, t.charity_id, c.name AS charity_name, t.cause, t.region_prefix, t.offer_id, t.started_at,
               t.run_id, count(*)::int AS matches, sum(tm.units)::int AS units,
               count(DISTINCT tm.need_id)::int AS needs,
               count(DISTINCT tm.need_id) FILTER (WHERE EXISTS (
                   SELECT 1 FROM matches again
                    WHERE again.need_id = tm.need_id AND again.created_at > t.started_at
                      AND again.status IN ('proposed', 'approved', 'accepted', 'delivered')))::int AS rematched_needs
          FROM takeovers t JOIN charities c ON c.id = t.charity_id
          JOIN takeover_matches tm ON tm.takeover_id = t.id
          JOIN needs n ON n.id = tm.need_id JOIN households h ON h.id = n.household_id
         WHERE ($1::text IS NULL OR h.region_code LIKE $1::text || '%') AND ($3::bigint IS NULL OR t.id = $3::bigint)
        """
}
