import Foundation
import Matching
import Postgres

/// A match with what a coordinator needs to judge it at a glance: the need (category,
/// urgency, 急难), where the household lives, and whose offer it is.
///
/// The household shows only as its place and case number: the review decides on need and
/// fit, and names have no part in that.
public struct MatchReviewRow: Sendable, Equatable, Codable {
    public var match: MatchRecord
    public var categoryID: Int64
    public var urgency: Int
    public var isEmergency: Bool
    /// The household's 12-digit region code and the name of its township (nil when the
    /// township is not on the map, which the schema allows for a village-less code).
    public var householdRegion: String
    /// The household, for a link to its page, and its case number, which coordinators
    /// search by.
    public var householdID: Int64
    public var caseNumber: String
    public var townshipName: String?
    public var offerTitle: String
    public var charityID: Int64
    public var charityName: String

    init(row: PostgresRow) throws {
        match = try MatchRecord(row: row)
        categoryID = try row.decode(Int64.self, "category_id")
        urgency = Int(try row.decode(Int32.self, "urgency"))
        isEmergency = try row.decode(Bool.self, "emergency")
        householdRegion = try row.decode(String.self, "household_region")
        householdID = try row.decode(Int64.self, "household_id")
        caseNumber = try row.decode(String.self, "case_number")
        townshipName = try row.decode(String?.self, "township_name")
        offerTitle = try row.decode(String.self, "offer_title")
        charityID = try row.decode(Int64.self, "charity_id")
        charityName = try row.decode(String.self, "charity_name")
    }
}

/// A charity as a filter lists it: id and name.
public struct CharityName: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
}

extension MatchRepository {
    /// Matches passing `filter` whose score lies in `scoreMicro` (nil: any, including none),
    /// by id, a page at a time, each with its need, place and offer for the review table.
    ///
    /// The page is chosen exactly as ``list(_:page:)`` chooses it (same indexes, same bounded
    /// gathering for a charity or township), then the page's few rows are joined to their
    /// needs, households, offers and charities.
    public func review(
        _ filter: MatchFilter, scoreMicro: ClosedRange<Int64>? = nil, page: PageRequest<Int64> = PageRequest()
    ) async throws -> Page<MatchReviewRow, Int64> {
        let limit = try page.validatedLimit()
        var selection = MatchSelection(filter)
        let after = selection.bind(page.after ?? 0)
        var conditions = selection.conditions
        if let scoreMicro {
            let low = selection.bind(scoreMicro.lowerBound)
            let high = selection.bind(scoreMicro.upperBound)
            conditions += " AND m.score_micro BETWEEN \(low) AND \(high)"
        }
        let chosen = "SELECT m.id FROM \(selection.tables) WHERE m.id > \(after)\(conditions)"
        let count = selection.bind(limit + 1)
        let ids =
            selection.isBounded
            ? "WITH chosen AS MATERIALIZED (\(chosen)) SELECT id FROM chosen ORDER BY id LIMIT \(count)"
            : "\(chosen) ORDER BY m.id LIMIT \(count)"
        let rows = try await client.query(
            """
            SELECT picked.*, n.category_id, n.urgency, n.emergency, n.household_id, h.case_number,
                   h.region_code AS household_region,
                   t.name AS township_name, o.title AS offer_title, c.id AS charity_id, c.name AS charity_name
              FROM (SELECT \(MatchRecord.columns) FROM matches WHERE id IN (\(ids))) picked
              JOIN needs n ON n.id = picked.need_id
              JOIN households h ON h.id = n.household_id
              JOIN offers o ON o.id = picked.offer_id
              JOIN charities c ON c.id = o.charity_id
              LEFT JOIN regions t ON t.code = left(h.region_code, 9) || '000'
             ORDER BY picked.id
            """, selection.parameters)
        return Page(fetched: try rows.map(MatchReviewRow.init(row:)), limit: limit) { $0.match.id }
    }

    /// The charities whose offers a run matched (nil: the hand-made proposals still
    /// waiting), by name: the choices of the review's charity filter, a handful per run.
    public func charities(ofRun run: Int64?) async throws -> [CharityName] {
        try await client.query(
            """
            SELECT c.id, c.name FROM charities c
             WHERE c.id IN (SELECT o.charity_id FROM matches m JOIN offers o ON o.id = m.offer_id
                             WHERE CASE WHEN $1::bigint IS NULL THEN m.run_id IS NULL AND m.status = 'proposed'
                                        ELSE m.run_id = $1::bigint END)
             ORDER BY c.name, c.id
            """, [run]
        ).map { CharityName(id: try $0.decode(Int64.self, "id"), name: try $0.decode(String.self, "name")) }
    }
}
