/// A 统一社会信用代码 (GB 32100-2015) that passed its check character, the identity every
/// registered charity has.
public struct CreditCode: Sendable, Hashable, CustomStringConvertible {
    /// Why a code was refused.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case length
        case character(position: Int)
        case checkCharacter

        public var description: String {
            switch self {
            case .length: "must be 18 characters"
            case .character(let position): "has a character outside the GB 32100 alphabet at position \(position)"
            case .checkCharacter: "fails its check character (GB 32100)"
            }
        }
    }

    /// The 18 characters, upper-case.
    public let value: String

    /// 31 characters, no I, O, Z, S or V; each maps to its position (J = 18, not `ord − 55`).
    private static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    private static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    public init(_ text: String) throws(Problem) {
        let characters = Array(text.uppercased())
        guard characters.count == 18 else { throw .length }
        var values: [Int] = []
        for (offset, character) in characters.enumerated() {
            guard let value = Self.alphabet.firstIndex(of: character) else {
                throw .character(position: offset + 1)
            }
            values.append(value)
        }
        let sum = zip(values.prefix(17), Self.weights).reduce(0) { $0 + $1.0 * $1.1 }
        let check = (31 - sum % 31) % 31
        guard values[17] == check else { throw .checkCharacter }
        value = String(characters)
    }

    /// The code whose first 17 characters are `body`, with its check character appended;
    /// nil when `body` is not 17 characters of the alphabet. For generating test and demo
    /// organisations that pass every validator.
    public static func completing(_ body: String) -> CreditCode? {
        let characters = Array(body.uppercased())
        guard characters.count == 17 else { return nil }
        var sum = 0
        for (character, weight) in zip(characters, weights) {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            sum += value * weight
        }
        return try? CreditCode(String(characters) + String(alphabet[(31 - sum % 31) % 31]))
    }

    public var description: String { value }
}
