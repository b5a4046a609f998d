import Foundation
import Matching
import Postgres

/// One charity's published evaluation (绩效评价公示) for a region and period: its score and
/// its figures rounded and suppressed as ``PublicStats`` describes (a count under
/// ``PublicStatistics/minimumCount`` is nil, and so is anything computed from one).
public struct PublicEvaluation: Sendable, Equatable, Codable {
    public var evaluationID: Int64
    /// The county or wider scope prefix evaluated.
    public var region: String
    public var period: String
    public var publishedAt: Date
    public var charityID: Int64
    public var charityName: String
    /// The ``EvaluationFormula`` score, 0–100: the published judgement itself, always shown.
    public var score: Double
    public var accepted: Int?
    public var delivered: Int?
    public var confirmed: Int?
    public var lapsedOrTakenOver: Int?
    public var complaints: Int?
    public var satisfactionAverage: Double?
    public var satisfactionCount: Int?

    enum CodingKeys: String, CodingKey {
        case evaluationID, region, period, publishedAt, charityID, charityName, score, accepted, delivered
        case confirmed, lapsedOrTakenOver, complaints, satisfactionAverage, satisfactionCount
    }

    /// Nulls are written out: `null` says "too few to show".
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(evaluationID, forKey: .evaluationID)
        try container.encode(region, forKey: .region)
        try container.encode(period, forKey: .period)
        try container.encode(publishedAt, forKey: .publishedAt)
        try container.encode(charityID, forKey: .charityID)
        try container.encode(charityName, forKey: .charityName)
        try container.encode(score, forKey: .score)
        try container.encode(accepted, forKey: .accepted)
        try container.encode(delivered, forKey: .delivered)
        try container.encode(confirmed, forKey: .confirmed)
        try container.encode(lapsedOrTakenOver, forKey: .lapsedOrTakenOver)
        try container.encode(complaints, forKey: .complaints)
        try container.encode(satisfactionAverage, forKey: .satisfactionAverage)
        try container.encode(satisfactionCount, forKey: .satisfactionCount)
    }
}

extension PublicStatistics {
    /// The published evaluations of `region` (a county or wider) and the regions inside it,
    /// newest period first, optionally of one period: every charity evaluated, with its score
    /// and its suppressed figures. Drafts never appear.
    public func evaluations(region: RegionScope, period: EvaluationPeriod? = nil) async throws -> [PublicEvaluation] {
        guard region.level <= .county else {
            throw StoreError.invalid(
                field: "region",
                reason:
                    "must be a county or a wider region (2, 4 or 6 digits); figures below a county are not published")
        }
        return try await client.query(
            """
            SELECT e.id, e.region_prefix, e.period, e.published_at, \(CharityEvaluation.columns)
              FROM evaluations e JOIN evaluation_charities ec ON ec.evaluation_id = e.id
              JOIN charities c ON c.id = ec.charity_id
             WHERE e.status = 'published' AND e.region_prefix LIKE $1 || '%' AND ($2::text IS NULL OR e.period = $2::text)
             ORDER BY e.starts_on DESC, e.region_prefix, ec.charity_id
            """, [region.prefix, period?.description]
        ).map { row in
            let charity = try CharityEvaluation(row: row)
            let figures = charity.figures
            return PublicEvaluation(
                evaluationID: try row.decode(Int64.self, "id"), region: try row.decode(String.self, "region_prefix"),
                period: try row.decode(String.self, "period"), publishedAt: try row.decode(Date.self, "published_at"),
                charityID: charity.charityID, charityName: charity.charityName, score: charity.score,
                accepted: Self.shown(figures.accepted), delivered: Self.shown(figures.delivered),
                confirmed: Self.shown(figures.confirmed),
                lapsedOrTakenOver: Self.shown(figures.lapsed + figures.takenOver),
                complaints: Self.shown(figures.complaints),
                satisfactionAverage: figures.satisfactionCount >= Self.minimumCount ? figures.satisfactionAverage : nil,
                satisfactionCount: Self.shown(figures.satisfactionCount))
        }
    }
}
