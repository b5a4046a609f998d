import Foundation
import Matching
import Postgres

/// A caseworker's search of the region's households: what they know a household by (a case
/// number, the head's name, the last four characters of an ID number), narrowed by
/// township and assistance status, in the order asked, a numbered page at a time.
public struct HouseholdSearch: Sendable, Equatable {
    /// The orders a list can be read in; each ends with the id so that pages never overlap.
    public enum Order: String, Sendable, CaseIterable {
        case caseNumber = "case_number"
        case members
        case region
        case recent

        var sql: String {
            switch self {
            case .caseNumber: "h.case_number, h.id"
            case .members: "h.members DESC, h.id"
            case .region: "h.region_code, h.case_number, h.id"
            case .recent: "h.updated_at DESC, h.id DESC"
            }
        }
    }

    /// Part of a case number or of the head's name, or an ID number's last four.
    public var text: String?
    /// A township's 9-digit code (or any region code prefix).
    public var township: String?
    public var status: AssistanceStatus?
    public var order: Order
    /// 1-based.
    public var page: Int
    public var pageSize: Int

    public init(
        text: String? = nil, township: String? = nil, status: AssistanceStatus? = nil,
        order: Order = .caseNumber, page: Int = 1, pageSize: Int = 50
    ) {
        self.text = text
        self.township = township
        self.status = status
        self.order = order
        self.page = page
        self.pageSize = pageSize
    }
}

/// One numbered page of a household search.
public typealias HouseholdSearchPage = NumberedPage<HouseholdRecord>

extension HouseholdRepository {
    /// The households inside `scope` (nil: all) that match `search`. The text matches a
    /// case number or a head's name anywhere in it (case-insensitively), or the last four
    /// of an ID number exactly; it is a query parameter, never part of the SQL, and nobody
    /// logs it.
    public func search(_ search: HouseholdSearch, within scope: RegionScope?) async throws -> HouseholdSearchPage {
        try HouseholdSearchPage.validate(page: search.page, pageSize: search.pageSize)
        let text = try optionalText(search.text, field: "q", maxLength: 100)
        if let township = search.township, RegionScope(prefix: township) == nil {
            throw StoreError.invalid(field: "township", reason: "is not a region code")
        }
        let pattern = text.map { "%" + Self.escapedForLike($0) + "%" }
        let lastFour = text.flatMap { $0.count == 4 ? $0.uppercased() : nil }
        let filter = """
             WHERE ($1::text IS NULL OR h.region_code LIKE $1::text || '%')
               AND ($2::text IS NULL OR h.region_code LIKE $2::text || '%')
               AND ($3::text IS NULL OR $3::text = ANY (h.assistance_statuses::text[]))
               AND ($4::text IS NULL OR h.case_number ILIKE $4::text OR h.contact_name ILIKE $4::text
                    OR h.id_number_last4 = $5::text)
            """
        let parameters: [(any PostgresEncodable)?] = [
            scope?.prefix, search.township, search.status?.rawValue, pattern, lastFour,
        ]
        let total = try await client.query("SELECT count(*) AS total FROM households h \(filter)", parameters)[0]
            .decode(Int.self, "total")
        let rows = try await client.query(
            """
            SELECT \(HouseholdRecord.columns) FROM households h \(filter)
             ORDER BY \(search.order.sql) LIMIT $6 OFFSET $7
            """, parameters + [search.pageSize, (search.page - 1) * search.pageSize])
        return HouseholdSearchPage(
            items: try rows.map(HouseholdRecord.init(row:)), total: total, page: search.page,
            pageSize: search.pageSize)
    }

    /// `text` with LIKE's wildcards and escape character taken literally.
    static func escapedForLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}
