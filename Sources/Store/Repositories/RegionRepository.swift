import Foundation
import Matching
import Postgres

/// A region as stored: a 12-digit code with its name, level and place in the hierarchy.
public struct RegionRecord: Sendable, Equatable, Codable {
    public var code: String
    public var name: String
    /// 1 province … 5 village or community.
    public var level: Int
    /// Nil for a province.
    public var parentCode: String?
    /// The fixed-length prefix scope checks compare (2, 4, 6, 9 or 12 digits).
    public var scopePrefix: String
    public var centroid: GeoPoint?

    static let columns = "code, name, level, parent_code, scope_prefix, centroid_lat, centroid_lon"

    init(row: PostgresRow) throws {
        code = try row.decode(String.self, "code")
        name = try row.decode(String.self, "name")
        level = Int(try row.decode(Int32.self, "level"))
        parentCode = try row.decode(String?.self, "parent_code")
        scopePrefix = try row.decode(String.self, "scope_prefix")
        centroid = try row.decodePoint(latitude: "centroid_lat", longitude: "centroid_lon")
    }
}

/// Reads of the administrative map, which the seed and migrations write and nothing in
/// the application changes (so there are no mutations and no audit rows here).
public struct RegionRepository: Sendable {
    let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// The region with this 12-digit code, or nil.
    public func region(code: String) async throws -> RegionRecord? {
        try await client.query("SELECT \(RegionRecord.columns) FROM regions WHERE code = $1", [code])
            .first.map(RegionRecord.init(row:))
    }

    /// The regions directly below `code`, by code; empty for a leaf or an unknown code.
    public func children(of code: String) async throws -> [RegionRecord] {
        try await client.query(
            "SELECT \(RegionRecord.columns) FROM regions WHERE parent_code = $1 ORDER BY code", [code]
        ).map(RegionRecord.init(row:))
    }

    /// The regions inside `scope` (the scope's own region included), by code, optionally
    /// of one level only; a province holds tens of thousands of villages, hence the pages.
    public func regions(
        in scope: RegionScope, level: RegionCode.Level? = nil, page: PageRequest<String> = PageRequest()
    ) async throws -> Page<RegionRecord, String> {
        let limit = try page.validatedLimit()
        let rows = try await client.query(
            """
            SELECT \(RegionRecord.columns) FROM regions
             WHERE code LIKE $1 || '%' AND ($2::smallint IS NULL OR level = $2::smallint)
               AND ($3::text IS NULL OR code > $3::text)
             ORDER BY code LIMIT $4
            """,
            [scope.prefix, level?.rawValue, page.after, limit + 1])
        return Page(fetched: try rows.map(RegionRecord.init(row:)), limit: limit) { $0.code }
    }
}

/// What kind of aid a category is.
public enum CategoryKind: String, Sendable, Codable, CaseIterable {
    case material, money, service
}

/// An entry of the two-level aid taxonomy.
public struct CategoryRecord: Sendable, Equatable, Codable {
    public var id: Int64
    /// `material`, or `material.grain_oil` below it.
    public var code: String
    /// 1 for the three kinds, 2 for the categories needs and offers normally name.
    public var level: Int
    public var kind: CategoryKind
    public var parentID: Int64?
    public var nameZh: String
    public var nameEn: String
    /// The unit a need or offer gets when it names none.
    public var defaultUnit: String?
    public var sortOrder: Int

    static let columns = "id, code, level, kind, parent_id, name_zh, name_en, default_unit, sort_order"

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        code = try row.decode(String.self, "code")
        level = Int(try row.decode(Int32.self, "level"))
        kind = try row.decodeCode(CategoryKind.self, "kind")
        parentID = try row.decode(Int64?.self, "parent_id")
        nameZh = try row.decode(String.self, "name_zh")
        nameEn = try row.decode(String.self, "name_en")
        defaultUnit = try row.decode(String?.self, "default_unit")
        sortOrder = Int(try row.decode(Int32.self, "sort_order"))
    }
}

/// Reads of the aid taxonomy, which migrations own.
public struct CategoryRepository: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// Every category: each kind followed by its categories in display order.
    public func all() async throws -> [CategoryRecord] {
        try await client.query(
            """
            SELECT \(CategoryRecord.columns) FROM categories c
             ORDER BY (SELECT p.sort_order FROM categories p WHERE p.id = coalesce(c.parent_id, c.id)), level,
                      sort_order, code
            """
        ).map(CategoryRecord.init(row:))
    }

    /// The category with this code, or nil.
    public func category(code: String) async throws -> CategoryRecord? {
        try await client.query("SELECT \(CategoryRecord.columns) FROM categories WHERE code = $1", [code])
            .first.map(CategoryRecord.init(row:))
    }

    /// The category inside the caller's transaction, or ``StoreError/invalid(field:reason:)``
    /// naming `field` when there is none: an unknown category is bad input, not a missing page.
    static func category(id: Int64, field: String, on connection: PostgresConnection) throws -> CategoryRecord {
        guard
            let row = try connection.query("SELECT \(CategoryRecord.columns) FROM categories WHERE id = $1", [id])
                .first
        else { throw StoreError.invalid(field: field, reason: "unknown category \(id)") }
        return try CategoryRecord(row: row)
    }
}
