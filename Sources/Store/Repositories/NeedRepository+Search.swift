import Foundation
import Matching
import Postgres

/// A search of the region's needs as a caseworker's or coordinator's list asks it: by case
/// number, township, status, category and the day recorded (China time), in the order
/// asked, a numbered page at a time.
public struct NeedSearch: Sendable, Equatable {
    /// The orders a list can be read in; each ends with the id so that pages never overlap.
    public enum Order: String, Sendable, CaseIterable {
        case newest
        case oldest
        case urgency
        case neededBy = "needed_by"

        var sql: String {
            switch self {
            case .newest: "n.id DESC"
            case .oldest: "n.id"
            case .urgency: "n.emergency DESC, n.urgency DESC, n.id"
            case .neededBy: "n.needed_by NULLS LAST, n.id"
            }
        }
    }

    /// Part of the household's case number.
    public var caseNumber: String?
    public var township: String?
    public var status: NeedStatus?
    /// A category id: itself, or every category under it when it is a kind of aid.
    public var category: Int64?
    /// `yyyy-mm-dd`, China time, both days included.
    public var recordedFrom: String?
    public var recordedTo: String?
    public var order: Order
    /// 1-based.
    public var page: Int
    public var pageSize: Int

    public init(
        caseNumber: String? = nil, township: String? = nil, status: NeedStatus? = nil, category: Int64? = nil,
        recordedFrom: String? = nil, recordedTo: String? = nil, order: Order = .newest, page: Int = 1,
        pageSize: Int = 50
    ) {
        self.caseNumber = caseNumber
        self.township = township
        self.status = status
        self.category = category
        self.recordedFrom = recordedFrom
        self.recordedTo = recordedTo
        self.order = order
        self.page = page
        self.pageSize = pageSize
    }
}

/// A need a search found, with its household's case number and place.
public struct NeedSearchRow: Sendable, Equatable {
    public var need: NeedRecord
    public var caseNumber: String
    public var regionCode: String
}

/// One numbered page of a need search.
public typealias NeedSearchPage = NumberedPage<NeedSearchRow>

extension NeedRepository {
    /// The needs of households inside `scope` (nil: all) that match `search`.
    public func search(_ search: NeedSearch, within scope: RegionScope?) async throws -> NeedSearchPage {
        try NeedSearchPage.validate(page: search.page, pageSize: search.pageSize)
        let caseNumber = try optionalText(search.caseNumber, field: "q", maxLength: 100)
        if let township = search.township, RegionScope(prefix: township) == nil {
            throw StoreError.invalid(field: "township", reason: "is not a region code")
        }
        for (field, day) in [("from", search.recordedFrom), ("to", search.recordedTo)] {
            if let day, CivilDate(day) == nil {
                throw StoreError.invalid(field: field, reason: "must be a date written yyyy-mm-dd")
            }
        }
        let filter = """
             WHERE ($1::text IS NULL OR h.region_code LIKE $1::text || '%')
               AND ($2::text IS NULL OR h.region_code LIKE $2::text || '%')
               AND ($3::text IS NULL OR n.status = $3::text)
               AND ($4::bigint IS NULL OR n.category_id = $4::bigint
                    OR n.category_id IN (SELECT id FROM categories WHERE parent_id = $4::bigint))
               AND ($5::date IS NULL OR n.recorded_at >= $5::date::timestamp AT TIME ZONE 'Asia/Shanghai')
               AND ($6::date IS NULL
                    OR n.recorded_at < ($6::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')
               AND ($7::text IS NULL OR h.case_number ILIKE $7::text)
            """
        let parameters: [(any PostgresEncodable)?] = [
            scope?.prefix, search.township, search.status?.rawValue, search.category, search.recordedFrom,
            search.recordedTo, caseNumber.map { "%" + HouseholdRepository.escapedForLike($0) + "%" },
        ]
        let from = "FROM needs n JOIN households h ON h.id = n.household_id"
        let total = try await client.query("SELECT count(*) AS total \(from) \(filter)", parameters)[0]
            .decode(Int.self, "total")
        let rows = try await client.query(
            """
            SELECT \(NeedRecord.columns), h.case_number, h.region_code \(from) \(filter)
             ORDER BY \(search.order.sql) LIMIT $8 OFFSET $9
            """, parameters + [search.pageSize, (search.page - 1) * search.pageSize])
        return NeedSearchPage(
            items: try rows.map { row in
                NeedSearchRow(
                    need: try NeedRecord(row: row), caseNumber: try row.decode(String.self, "case_number"),
                    regionCode: try row.decode(String.self, "region_code"))
            }, total: total, page: search.page, pageSize: search.pageSize)
    }
}
