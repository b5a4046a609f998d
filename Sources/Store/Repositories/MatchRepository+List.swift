import Foundation
import Matching
import Postgres

extension MatchRepository {
    /// Matches passing `filter`, by id, a page at a time.
    ///
    /// The statement joins only what the filter needs (the need and household for a region
    /// or category, the offer for a charity), so the common lists — a charity's matches, a
    /// run's proposals, a region's pending decisions — read a page from the indexes and
    /// never sort the whole table.
    public func list(
        _ filter: MatchFilter, page: PageRequest<Int64> = PageRequest()
    ) async throws -> Page<MatchRecord, Int64> {
        let limit = try page.validatedLimit()
        var selection = MatchSelection(filter, paging: true)
        let after = selection.bind(page.after ?? 0)
        let count = selection.bind(limit + 1)
        let rows = try await client.query(
            """
            \(selection.with)SELECT \(MatchRecord.columns) FROM (
                SELECT m.* FROM \(selection.tables) WHERE m.id > \(after)\(selection.conditions)
                 ORDER BY m.id LIMIT \(count)) AS m
             ORDER BY id
            """, selection.parameters)
        return Page(fetched: try rows.map(MatchRecord.init(row:)), limit: limit) { $0.id }
    }

    /// The match, or nil when it does not exist or lies outside what `filter` lets the caller
    /// see: on another charity's offer (``MatchFilter/charity``) or for a household outside
    /// ``MatchFilter/region``. Both look the same as a missing match, so nobody can probe for
    /// matches they may not see. The filter's other fields are ignored here.
    public func match(id: Int64, visibleTo filter: MatchFilter) async throws -> MatchRecord? {
        var selection = MatchSelection(filter.visibility, paging: false)
        let match = selection.bind(id)
        let rows = try await client.query(
            """
            SELECT \(MatchRecord.columns) FROM (
                SELECT m.* FROM \(selection.tables) WHERE m.id = \(match)\(selection.conditions)) AS m
            """, selection.parameters)
        return try rows.first.map(MatchRecord.init(row:))
    }
}

/// The tables, conditions and parameters of a filtered read of `matches m`.
///
/// The SQL text is assembled from fixed fragments only, one per filter that is set, and
/// every value travels as a `$n` parameter. A statement per combination of filters, rather
/// than one with `$n IS NULL OR …` for each, lets the planner use the index that fits.
///
/// A township or village scope holds few matches, but they sit together in id order (a
/// run proposes need by need, and needs follow their households' registration), so
/// walking the primary key until a page of them turns up can read most of the table. For
/// those scopes the scope's needs are found first (through the households' region index)
/// and their matches sorted; a county or wider scope holds most matches, and walking the
/// primary key finds a page at once.
struct MatchSelection {
    private(set) var parameters: [any PostgresEncodable] = []
    /// `WITH …` naming the scope's needs, or empty; it opens the statement.
    private(set) var with = ""
    private var clauses: [String] = []
    private var joinsNeed = false
    private var joinsHousehold = false
    private var joinsOffer = false

    /// `paging`: the statement reads a page of many matches (rather than one match by id),
    /// so a narrow scope is better searched scope first.
    init(_ filter: MatchFilter, paging: Bool) {
        if let status = filter.status { add("m.status = ", status.rawValue) }
        if let run = filter.run { add("m.run_id = ", run) }
        if let offer = filter.offer { add("m.offer_id = ", offer) }
        if let need = filter.need { add("m.need_id = ", need) }
        let category = filter.category.map { category in
            let id = bind(category)
            return "n.category_id IN (SELECT c.id FROM categories c WHERE c.id = \(id) OR c.parent_id = \(id))"
        }
        if paging, let region = filter.region, region.level >= .township {
            let needs = ["h.region_code LIKE \(bind(region.prefix)) || '%'"] + (category.map { [$0] } ?? [])
            with = """
                WITH scoped_needs AS MATERIALIZED (
                    SELECT n.id FROM households h JOIN needs n ON n.household_id = h.id
                     WHERE \(needs.joined(separator: " AND ")))

                """
            clauses.append("m.need_id IN (SELECT id FROM scoped_needs)")
        } else {
            if let category {
                joinsNeed = true
                clauses.append(category)
            }
            if let region = filter.region {
                joinsNeed = true
                joinsHousehold = true
                clauses.append("h.region_code LIKE \(bind(region.prefix)) || '%'")
            }
        }
        if let charity = filter.charity {
            joinsOffer = true
            add("o.charity_id = ", charity)
        }
    }

    /// The FROM list: `matches m` and the joins the conditions refer to.
    var tables: String {
        var text = "matches m"
        if joinsNeed { text += " JOIN needs n ON n.id = m.need_id" }
        if joinsHousehold { text += " JOIN households h ON h.id = n.household_id" }
        if joinsOffer { text += " JOIN offers o ON o.id = m.offer_id" }
        return text
    }

    /// The conditions, each preceded by ` AND `, to follow a first condition on `m.id`.
    var conditions: String { clauses.map { " AND " + $0 }.joined() }

    /// Adds `value` as the next parameter and returns its placeholder.
    mutating func bind(_ value: any PostgresEncodable) -> String {
        parameters.append(value)
        return "$\(parameters.count)"
    }

    private mutating func add(_ comparison: String, _ value: any PostgresEncodable) {
        clauses.append(comparison + bind(value))
    }
}
