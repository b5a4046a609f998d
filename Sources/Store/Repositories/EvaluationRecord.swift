import Foundation
import Postgres

/// An evaluation's period: a calendar quarter such as `2026Q4`, from its first day up to the
/// first day of the next (China Standard Time, as delivery dates are written).
public struct EvaluationPeriod: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    public var year: Int
    public var quarter: Int

    /// `2026Q4`, or ``StoreError/invalid(field:reason:)`` naming `period`.
    public init(parsing text: String) throws(StoreError) {
        let parts = text.split(separator: "Q", omittingEmptySubsequences: false)
        guard text.count == 6, parts.count == 2, parts[0].count == 4, parts[0].allSatisfy(\.isASCII),
            let year = Int(parts[0]), let quarter = Int(parts[1]), (2000...2999).contains(year),
            (1...4).contains(quarter)
        else { throw .invalid(field: "period", reason: "must be a quarter like 2026Q4") }
        self.year = year
        self.quarter = quarter
    }

    /// The quarter holding `date` in China Standard Time.
    public init(containing date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        let parts = calendar.dateComponents([.year, .month], from: date)
        year = parts.year ?? 2000
        quarter = ((parts.month ?? 1) - 1) / 3 + 1
    }

    public var description: String { "\(year)Q\(quarter)" }
    /// The first day, `YYYY-MM-DD`.
    public var startsOn: String { Self.day(year, 3 * quarter - 2) }
    /// The first day after the period.
    public var endsOn: String { quarter == 4 ? Self.day(year + 1, 1) : Self.day(year, 3 * quarter + 1) }

    private static func day(_ year: Int, _ month: Int) -> String {
        "\(year)-\(month < 10 ? "0" : "")\(month)-01"
    }
}

/// Draft (computed, re-computable, scored by the coordinator) or published (public, for good).
public enum EvaluationStatus: String, Sendable, Codable, CaseIterable {
    case draft, published
}

/// One charity in an evaluation: its figures, the coordinator's score and note, and the
/// ``EvaluationFormula`` score of them all.
public struct CharityEvaluation: Sendable, Equatable, Codable {
    public var charityID: Int64
    public var charityName: String
    public var figures: EvaluationFigures
    /// 0–100, nil until the coordinator gives one.
    public var coordinatorScore: Int?
    public var coordinatorNote: String?
    public var score: Double

    init(row: PostgresRow) throws {
        charityID = try row.decode(Int64.self, "charity_id")
        charityName = try row.decode(String.self, "charity_name")
        figures = try EvaluationRepository.figures(from: row)
        coordinatorScore = try row.decode(Int?.self, "coordinator_score")
        coordinatorNote = try row.decode(String?.self, "coordinator_note")
        score = try row.decode(Double.self, "score")
    }

    static let columns = """
        ec.charity_id, c.name AS charity_name, ec.accepted, ec.delivered, ec.confirmed, ec.disputed, ec.lapsed,
        ec.taken_over, ec.median_days, ec.complaints, ec.complaints_open, ec.satisfaction_average,
        ec.satisfaction_count, ec.coordinator_score::int AS coordinator_score, ec.coordinator_note, ec.score
        """
}

/// An evaluation (绩效评价) of the charities serving a county or wider region in a period.
public struct EvaluationRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var region: String
    public var period: String
    /// The first day and the first day after, `YYYY-MM-DD`.
    public var startsOn: String
    public var endsOn: String
    public var status: EvaluationStatus
    public var computedAt: Date
    public var publishedAt: Date?
    /// By charity id.
    public var charities: [CharityEvaluation]

    init(row: PostgresRow, charities: [CharityEvaluation]) throws {
        id = try row.decode(Int64.self, "id")
        region = try row.decode(String.self, "region_prefix")
        period = try row.decode(String.self, "period")
        startsOn = try row.decode(String.self, "starts_on")
        endsOn = try row.decode(String.self, "ends_on")
        status = try row.decodeCode(EvaluationStatus.self, "status")
        computedAt = try row.decode(Date.self, "computed_at")
        publishedAt = try row.decode(Date?.self, "published_at")
        self.charities = charities
    }

    static let columns = """
        e.id, e.region_prefix, e.period, e.starts_on::text AS starts_on, e.ends_on::text AS ends_on, e.status,
        e.computed_at, e.published_at
        """
}
