import Foundation

/// The public figures (公示) of a county or wider region: needs recorded and served, aid
/// delivered by category, and what each charity delivered and how satisfied households
/// were. Aggregates only: no household, need or match appears in it.
///
/// **Rounded, and small counts suppressed, so that nothing can be subtracted back.** Every
/// count and sum is rounded to the nearest multiple of ``PublicStatistics/roundingBase`` (10,
/// halves up); every count below ``PublicStatistics/minimumCount`` (15) is `nil` (JSON
/// `null`), and so is every figure computed from such a count: units delivered when fewer
/// than 15 matches were delivered, a satisfaction average from fewer than 15 ratings, and all
/// of a category's figures when it has fewer than 15 needs. A charity appears only when its
/// deliveries are shown. `null` says "too few to show" (0 to 14), never "none".
///
/// Suppression alone could be undone: a prefecture minus its other counties, or a total minus
/// its visible rows, gave back the hidden cell exactly. With rounding a published 20 stands
/// for 15–24, and because the threshold sits half a base above a multiple of 10 every
/// published figure stands for a full band of ten values. Adding or subtracting such bands
/// in any one relation (a region and its parts, a total and its rows) leaves the hidden cells
/// a range of at least two values: the bands' ends are 5 and 4 modulo 10, so a difference can
/// never land exactly on 0 or on the hidden band's top of 14 (see the README's notes on
/// public statistics).
public struct PublicStats: Sendable, Equatable, Codable {
    /// Needs of households in the region.
    public struct Needs: Sendable, Equatable, Codable {
        /// Every need ever recorded, whatever its status.
        public var recorded: Int?
        /// Still waiting for delivery: open, or covered by matches not yet delivered.
        public var open: Int?
        /// Fully served: delivered in full.
        public var fulfilled: Int?

        enum CodingKeys: String, CodingKey { case recorded, open, fulfilled }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(recorded, forKey: .recorded)
            try container.encode(open, forKey: .open)
            try container.encode(fulfilled, forKey: .fulfilled)
        }
    }

    /// One level-2 category of aid. Every category is listed, with or without needs, so the
    /// presence of a row says nothing.
    public struct CategoryFigures: Sendable, Equatable, Codable {
        /// Stable code such as `material.grain_oil`.
        public var categoryCode: String
        /// The Chinese name (粮油); ``categoryNameEn`` is the English one.
        public var categoryName: String
        public var categoryNameEn: String
        /// Needs recorded in the category.
        public var needs: Int?
        /// Needs of the category fully served.
        public var needsServed: Int?
        /// Units delivered on the category's needs.
        public var unitsDelivered: Int?

        enum CodingKeys: String, CodingKey {
            case categoryCode, categoryName, categoryNameEn, needs, needsServed, unitsDelivered
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(categoryCode, forKey: .categoryCode)
            try container.encode(categoryName, forKey: .categoryName)
            try container.encode(categoryNameEn, forKey: .categoryNameEn)
            try container.encode(needs, forKey: .needs)
            try container.encode(needsServed, forKey: .needsServed)
            try container.encode(unitsDelivered, forKey: .unitsDelivered)
        }
    }

    /// One charity that delivered at least ``PublicStatistics/minimumCount`` matches to
    /// households of the region.
    public struct CharityFigures: Sendable, Equatable, Codable {
        public var charityID: Int64
        public var charityName: String
        /// Matches it delivered in the region.
        public var deliveredMatches: Int?
        public var deliveredUnits: Int?
        /// Mean 1–5 satisfaction over those deliveries' ratings, to two decimals.
        public var satisfactionAverage: Double?
        public var satisfactionCount: Int?
        /// Of those deliveries, the ones whose receipt the household's caseworker confirmed.
        public var confirmedMatches: Int?
        /// Complaints about it handled in the region, open now and ever raised.
        public var complaintsOpen: Int?
        public var complaintsTotal: Int?

        enum CodingKeys: String, CodingKey {
            case charityID, charityName, deliveredMatches, deliveredUnits, satisfactionAverage, satisfactionCount
            case confirmedMatches, complaintsOpen, complaintsTotal
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(charityID, forKey: .charityID)
            try container.encode(charityName, forKey: .charityName)
            try container.encode(deliveredMatches, forKey: .deliveredMatches)
            try container.encode(deliveredUnits, forKey: .deliveredUnits)
            try container.encode(satisfactionAverage, forKey: .satisfactionAverage)
            try container.encode(satisfactionCount, forKey: .satisfactionCount)
            try container.encode(confirmedMatches, forKey: .confirmedMatches)
            try container.encode(complaintsOpen, forKey: .complaintsOpen)
            try container.encode(complaintsTotal, forKey: .complaintsTotal)
        }
    }

    /// The scope prefix (2, 4 or 6 digits) the figures cover.
    public var region: String
    public var regionName: String
    public var generatedAt: Date
    /// The smallest count shown; smaller ones are `nil`.
    public var minimumCount: Int
    /// What every shown count and sum is rounded to.
    public var roundingBase: Int
    public var needs: Needs
    /// Matches delivered to households of the region.
    public var deliveredMatches: Int?
    public var unitsDelivered: Int?
    public var byCategory: [CategoryFigures]
    /// By charity id.
    public var byCharity: [CharityFigures]

    enum CodingKeys: String, CodingKey {
        case region, regionName, generatedAt, minimumCount, roundingBase, needs, deliveredMatches, unitsDelivered,
            byCategory,
            byCharity
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(region, forKey: .region)
        try container.encode(regionName, forKey: .regionName)
        try container.encode(generatedAt, forKey: .generatedAt)
        try container.encode(minimumCount, forKey: .minimumCount)
        try container.encode(roundingBase, forKey: .roundingBase)
        try container.encode(needs, forKey: .needs)
        try container.encode(deliveredMatches, forKey: .deliveredMatches)
        try container.encode(unitsDelivered, forKey: .unitsDelivered)
        try container.encode(byCategory, forKey: .byCategory)
        try container.encode(byCharity, forKey: .byCharity)
    }
}
