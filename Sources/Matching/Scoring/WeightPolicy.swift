/// The factors a pair's score is made of; each is a number in [0, 1].
public enum ScoreFactor: String, Sendable, CaseIterable, Codable, CodingKeyRepresentable, Comparable {
    case urgency
    case vulnerability
    case proximity
    case waitingTime = "waiting_time"
    case categoryFit = "category_fit"
    case reliability
    case fairness
    case deadlineFit = "deadline_fit"

    public static func < (lhs: ScoreFactor, rhs: ScoreFactor) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// A named, versioned set of factor weights, normalised to sum to 1 so that every score
/// stays in [0, 1] whatever numbers a coordinator typed.
public struct WeightPolicy: Sendable, Equatable, Codable {
    /// Why a set of weights was refused.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case negativeWeight(ScoreFactor)
        case notFinite(ScoreFactor)
        case noPositiveWeight
        case emptyName
        case versionNotPositive

        public var description: String {
            switch self {
            case .negativeWeight(let factor): "weight of \(factor.rawValue) must not be negative"
            case .notFinite(let factor): "weight of \(factor.rawValue) must be a finite number"
            case .noPositiveWeight: "at least one weight must be positive"
            case .emptyName: "a policy needs a name"
            case .versionNotPositive: "a policy version starts at 1"
            }
        }
    }

    public let name: String
    public let version: Int
    /// Normalised weights; factors not given weigh 0.
    public let weights: [ScoreFactor: Double]

    public init(name: String, version: Int, weights: [ScoreFactor: Double]) throws(Problem) {
        guard !name.trimmingWhitespace.isEmpty else { throw .emptyName }
        guard version >= 1 else { throw .versionNotPositive }
        for factor in ScoreFactor.allCases {
            let weight = weights[factor] ?? 0
            guard weight.isFinite else { throw .notFinite(factor) }
            guard weight >= 0 else { throw .negativeWeight(factor) }
        }
        // Summed in the fixed factor order: a dictionary's order changes from process to
        // process, and floating-point addition is not associative.
        let total = ScoreFactor.allCases.reduce(0) { $0 + (weights[$1] ?? 0) }
        guard total > 0 else { throw .noPositiveWeight }
        self.name = name
        self.version = version
        var normalised: [ScoreFactor: Double] = [:]
        for factor in ScoreFactor.allCases { normalised[factor] = (weights[factor] ?? 0) / total }
        self.weights = normalised
    }

    /// The weight of `factor` (0 when absent).
    public func weight(_ factor: ScoreFactor) -> Double { weights[factor] ?? 0 }

    /// The policy a fresh installation starts with: urgency and vulnerability first, as the
    /// policy documents put the neediest first, then waiting, fairness and fit.
    public static let standard: WeightPolicy = {
        do {
            return try WeightPolicy(
                name: "standard",
                version: 1,
                weights: [
                    .urgency: 0.25, .vulnerability: 0.20, .proximity: 0.10, .waitingTime: 0.10,
                    .categoryFit: 0.10, .reliability: 0.05, .fairness: 0.10, .deadlineFit: 0.10,
                ]
            )
        } catch {
            preconditionFailure("the standard weights are valid: \(error)")
        }
    }()
}

extension String {
    var trimmingWhitespace: Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
