import Matching

/// The categories the seeder draws from, with how often each is needed.
///
/// Weights are relative frequencies of needs in a county roll: grain, oil and food lead,
/// medical costs follow; flags shift them (an elderly person living alone needs care, a
/// child school supplies, the seriously ill medicines and medical costs).
struct SeedTaxonomy: Sendable {
    struct Entry: Sendable {
        var id: Int64
        var code: String
        var kind: String
        var parentID: Int64?
        var unit: String
        var nameZh: String
    }

    /// Level-2 categories, the ones needs are recorded in.
    let leaves: [Entry]
    /// Level-1 categories by kind, for the general offers that serve a whole kind.
    let kinds: [String: Entry]
    private let baseWeights: [Double]

    private static let frequencies: [String: Double] = [
        "material.grain_oil": 12, "material.clothing_bedding": 6, "material.heating": 4, "material.appliances": 3,
        "material.school_supplies": 3, "material.food": 8, "material.medicines": 4, "material.mobility_aids": 1.5,
        "money.medical": 7, "money.education": 3, "money.temporary_living": 6, "money.housing_repair": 3,
        "money.heating": 3, "service.care": 5, "service.rehabilitation": 2.5, "service.hospital_escort": 2.5,
        "service.social_integration": 2, "service.capacity_building": 2, "service.counselling": 2.5,
        "service.resource_linkage": 2,
    ]
    private static let boosts: [String: [String: Double]] = [
        "living_alone_elderly": ["service.care": 4, "service.hospital_escort": 3, "material.heating": 2],
        "disabled": ["material.mobility_aids": 5, "service.rehabilitation": 4],
        "minor": ["material.school_supplies": 5, "money.education": 4],
        "serious_illness": ["material.medicines": 3, "money.medical": 4, "service.hospital_escort": 2],
        "disaster_affected": ["money.housing_repair": 5, "money.temporary_living": 3],
    ]

    init(entries: [Entry]) {
        leaves = entries.filter { $0.parentID != nil }.sorted { $0.id < $1.id }
        kinds = Dictionary(entries.filter { $0.parentID == nil }.map { ($0.kind, $0) }) { first, _ in first }
        baseWeights = leaves.map { Self.frequencies[$0.code] ?? 1 }
    }

    /// Weights over ``leaves`` for a household with `flags`.
    func needWeights(flags: [String]) -> [Double] {
        var weights = baseWeights
        for flag in flags {
            guard let boost = Self.boosts[flag] else { continue }
            for (index, leaf) in leaves.enumerated() { weights[index] *= boost[leaf.code] ?? 1 }
        }
        return weights
    }

    /// Weights for what charities offer: the base frequencies.
    var offerWeights: [Double] { baseWeights }

    /// An index into ``leaves`` drawn with `weights`.
    func draw(weights: [Double], _ random: inout SplitMix64) -> Int {
        var target = random.unit() * weights.reduce(0, +)
        for (index, weight) in weights.enumerated() {
            target -= weight
            if target < 0 { return index }
        }
        return weights.count - 1
    }

    /// The unit needs and offers of a leaf are counted in: money is given in grants of a
    /// fixed amount (the offer's unit value), so quantities stay small whole numbers.
    func unit(of leaf: Entry) -> String { leaf.kind == "money" ? "grant" : leaf.unit }
}
