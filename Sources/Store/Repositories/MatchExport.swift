import Foundation
import Matching
import Postgres

/// The coordinators' CSV of matches: what was proposed or decided, for whom (by case
/// number and region, never by name or ID number), from which offer, and why it scored.
public struct MatchExport: Sendable {
    /// Which matches to export.
    public enum Selection: Sendable, Equatable {
        case run(Int64)
        case status(MatchStatus)
    }

    /// The language of the header line; the cells are codes and numbers either way.
    public enum HeaderLanguage: String, Sendable, CaseIterable {
        case english = "en"
        case chinese = "zh-CN"
    }

    static let englishHeader = [
        "match_id", "run_id", "status", "need_id", "case_number", "region_code", "category", "offer_id", "offer_title",
        "charity", "units", "score", "created_at", "decided_at", "reason_code",
    ]
    static let chineseHeader = [
        "匹配编号", "运行编号", "状态", "需求编号", "案件编号", "区划代码", "类别", "供给编号", "供给名称", "慈善组织", "数量",
        "得分", "创建时间", "决定时间", "原因代码",
    ]

    /// The byte order mark that tells a spreadsheet on Chinese Windows the file is UTF-8
    /// (without it Excel reads GBK and shows mojibake).
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// The CSV (UTF-8 with a byte order mark, a header line in `language`, RFC 4180
    /// quoting), ordered by match id, its times in China time (`+08:00`) as the pages show
    /// them; `scope` keeps it to households inside a region (a coordinator's export).
    public func csv(
        _ selection: Selection, within scope: RegionScope? = nil, language: HeaderLanguage = .english
    ) async throws -> [UInt8] {
        let (condition, parameter): (String, any PostgresEncodable) =
            switch selection {
            case .run(let id): ("m.run_id = $1", id)
            case .status(let status): ("m.status = $1", status.rawValue)
            }
        let rows = try await client.query(
            """
            SELECT m.id, m.run_id, m.status, m.need_id, h.case_number, h.region_code, c.code AS category,
                   m.offer_id, o.title, ch.name AS charity, m.units,
                   to_char(m.score_micro / 1000000.0, 'FM0.000000') AS score,
                   to_char(m.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') AS created_at,
                   to_char(m.decided_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD"T"HH24:MI:SS"+08:00"') AS decided_at,
                   m.reason_code
              FROM matches m
              JOIN needs n ON n.id = m.need_id
              JOIN households h ON h.id = n.household_id
              JOIN categories c ON c.id = n.category_id
              JOIN offers o ON o.id = m.offer_id
              JOIN charities ch ON ch.id = o.charity_id
             WHERE \(condition) AND ($2::text IS NULL OR h.region_code LIKE $2::text || '%')
             ORDER BY m.id
            """, [parameter, scope?.prefix])
        var text = (language == .chinese ? Self.chineseHeader : Self.englishHeader).joined(separator: ",") + "\n"
        for row in rows {
            let fields: [String?] = [
                String(try row.decode(Int64.self, "id")), try row.decode(Int64?.self, "run_id").map(String.init),
                try row.decode(String.self, "status"), String(try row.decode(Int64.self, "need_id")),
                try row.decode(String.self, "case_number"), try row.decode(String.self, "region_code"),
                try row.decode(String.self, "category"), String(try row.decode(Int64.self, "offer_id")),
                try row.decode(String.self, "title"), try row.decode(String.self, "charity"),
                String(try row.decode(Int.self, "units")), try row.decode(String?.self, "score"),
                try row.decode(String.self, "created_at"), try row.decode(String?.self, "decided_at"),
                try row.decode(String?.self, "reason_code"),
            ]
            text += fields.map { Self.quoted($0 ?? "") }.joined(separator: ",") + "\n"
        }
        return Self.byteOrderMark + Array(text.utf8)
    }

    /// RFC 4180: quote a field holding a comma, quote or line break, doubling quotes; and
    /// neutralise a formula so a spreadsheet never runs a cell: a cell whose first visible
    /// character is = + - @ (after any spaces, control characters or invisible format
    /// characters a spreadsheet skips, such as ESC or U+202E) or that starts with a tab or
    /// a carriage return gets a leading apostrophe, unless it is a plain number such as -5.
    static func quoted(_ field: String) -> String {
        var value = field
        if Self.mayRunAsFormula(value) { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Whether a spreadsheet could take `value` for a formula; see ``quoted(_:)``.
    static func mayRunAsFormula(_ value: String) -> Bool {
        if let first = value.unicodeScalars.first, first == "\t" || first == "\r" { return true }
        let visible = value.unicodeScalars.drop { scalar in
            scalar.properties.isWhitespace || scalar.properties.generalCategory == .control
                || scalar.properties.generalCategory == .format
        }
        guard let first = visible.first, "=+-@".unicodeScalars.contains(first) else { return false }
        return Double(value) == nil
    }
}
