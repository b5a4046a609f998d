import Foundation
import Postgres

/// A household's rating of one delivered match.
public struct FeedbackRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var matchID: Int64
    /// 1 to 5.
    public var satisfaction: Int
    public var comment: String?
    public var recordedBy: Int64?
    public var recordedAt: Date

    static let columns = "id, match_id, satisfaction, comment, recorded_by, recorded_at"

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        matchID = try row.decode(Int64.self, "match_id")
        satisfaction = Int(try row.decode(Int32.self, "satisfaction"))
        comment = try row.decode(String?.self, "comment")
        recordedBy = try row.decode(Int64?.self, "recorded_by")
        recordedAt = try row.decode(Date.self, "recorded_at")
    }
}

/// Mean satisfaction over a charity's rated deliveries.
public struct CharitySatisfaction: Sendable, Equatable, Codable {
    public var charityID: Int64
    public var average: Double
    public var count: Int
}

/// Reads of household feedback. Feedback is written by
/// ``MatchRepository/recordFeedback(match:satisfaction:comment:by:)``, next to the
/// delivery it rates, so this holds the reads only.
public struct FeedbackRepository: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// The feedback on a match, or nil when there is none (yet).
    public func feedback(ofMatch match: Int64) async throws -> FeedbackRecord? {
        try await client.query("SELECT \(FeedbackRecord.columns) FROM feedback WHERE match_id = $1", [match])
            .first.map(FeedbackRecord.init(row:))
    }

    /// Average satisfaction of every charity with at least one rating, by charity id.
    public func satisfactionByCharity() async throws -> [CharitySatisfaction] {
        try await client.query(
            """
            SELECT o.charity_id, avg(f.satisfaction)::float8 AS average, count(*) AS n
              FROM feedback f JOIN matches m ON m.id = f.match_id JOIN offers o ON o.id = m.offer_id
             GROUP BY o.charity_id ORDER BY o.charity_id
            """
        ).map { row in
            CharitySatisfaction(
                charityID: try row.decode(Int64.self, "charity_id"), average: try row.decode(Double.self, "average"),
                count: try row.decode(Int.self, "n"))
        }
    }
}
