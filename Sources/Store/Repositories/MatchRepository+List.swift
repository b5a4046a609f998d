import Foundation
import Matching
import Postgres

extension MatchRepository {
    /// Matches passing `filter`, by id, a page at a time.
    ///
    /// A page costs about the same deep in the list as at its start. Lists that walk the
    /// whole table in id order (everything, a status, a run, a county or wider region) read
    /// it through an index in that order and stop at the page's end; lists bounded by a
    /// charity or a township or village (see ``MatchSelection``) gather that bounded set
    /// through its own indexes and take the page from it.
    public func list(
        _ filter: MatchFilter, page: PageRequest<Int64> = PageRequest()
    ) async throws -> Page<MatchRecord, Int64> {
        let limit = try page.validatedLimit()
        var selection = MatchSelection(filter)
        let after = selection.bind(page.after ?? 0)
        let chosen = "SELECT m.id FROM \(selection.tables) WHERE m.id > \(after)\(selection.conditions)"
        let count = selection.bind(limit + 1)
        let sql =
            selection.isBounded
            ? """
            WITH chosen AS MATERIALIZED (\(chosen))
            SELECT \(MatchRecord.columns) FROM matches
             WHERE id IN (SELECT id FROM chosen ORDER BY id LIMIT \(count)) ORDER BY id
            """
            : """
            SELECT \(MatchRecord.columns) FROM matches
             WHERE id IN (\(chosen) ORDER BY m.id LIMIT \(count)) ORDER BY id
            """
        let rows = try await client.query(sql, selection.parameters)
        return Page(fetched: try rows.map(MatchRecord.init(row:)), limit: limit) { $0.id }
    }

    /// The match, or nil when it does not exist or lies outside what `filter` lets the caller
    /// see: on another charity's offer (``MatchFilter/charity``) or for a household outside
    /// ``MatchFilter/region``. Both look the same as a missing match, so nobody can probe for
    /// matches they may not see. The filter's other fields are ignored here.
    public func match(id: Int64, visibleTo filter: MatchFilter) async throws -> MatchRecord? {
        var selection = MatchSelection(filter.visibility)
        let match = selection.bind(id)
        let rows = try await client.query(
            """
            SELECT \(MatchRecord.columns) FROM matches
             WHERE id IN (SELECT m.id FROM \(selection.tables) WHERE m.id = \(match)\(selection.conditions))
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
/// A charity's matches, and a township's or a village's, are a small part of the table but
/// not spread over it: a run proposes need by need and needs follow their households'
/// registration, so one place's matches sit together in id order, and a small charity may
/// have none for a long stretch. Walking the primary key until a page of them turns up can
/// then read most of the table, and the planner, which assumes they are spread evenly,
/// cannot tell. Such a selection is ``isBounded``: it is gathered whole through the
/// charity's offers or the place's households, with no row limit to tempt the planner
/// into the walk, and the page is taken from it.
struct MatchSelection {
    private(set) var parameters: [any PostgresEncodable] = []
    /// Whether the selection is small whatever the table's size (see the type's note).
    let isBounded: Bool
    private var clauses: [String] = []
    private var joinsNeed = false
    private var joinsHousehold = false
    private var joinsOffer = false

    init(_ filter: MatchFilter) {
        isBounded = filter.charity != nil || (filter.region.map { $0.level >= .township } ?? false)
        if let status = filter.status { add("m.status = ", status.rawValue) }
        if let run = filter.run { add("m.run_id = ", run) }
        if filter.handMade { clauses.append("m.run_id IS NULL") }
        if let offer = filter.offer { add("m.offer_id = ", offer) }
        if let need = filter.need { add("m.need_id = ", need) }
        if let category = filter.category {
            joinsNeed = true
            let id = bind(category)
            clauses.append("n.category_id IN (SELECT c.id FROM categories c WHERE c.id = \(id) OR c.parent_id = \(id))")
        }
        if let region = filter.region {
            joinsNeed = true
            joinsHousehold = true
            clauses.append("h.region_code LIKE \(bind(region.prefix)) || '%'")
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
