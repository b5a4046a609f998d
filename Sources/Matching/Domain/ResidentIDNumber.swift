/// A 公民身份号码 (GB 11643-1999) that passed its checks.
///
/// Kept only long enough to hash and mask it: the database stores an HMAC and the last
/// four characters, and ``masked`` is the one form ever shown.
public struct ResidentIDNumber: Sendable, Hashable {
    /// Why a number was refused; the message never repeats the number.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case length
        case characters
        case birthDate
        case checkCharacter

        public var description: String {
            switch self {
            case .length: "must be 18 characters"
            case .characters: "must be 17 digits followed by a digit or X"
            case .birthDate: "has a birth date that is not a real past date"
            case .checkCharacter: "fails its check character (GB 11643)"
            }
        }
    }

    /// The 18 characters, with a trailing `x` upper-cased.
    public let value: String

    private static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    private static let checkCharacters = Array("10X98765432")

    /// Validates length, characters, birth date (a real calendar date, not after `today`,
    /// given as `yyyymmdd`) and the ISO 7064 MOD 11-2 check character.
    public init(_ text: String, today: Int) throws(Problem) {
        let characters = Array(text.uppercased())
        guard characters.count == 18 else { throw .length }
        let digits = characters.prefix(17).compactMap { $0.wholeNumberValue }
        guard digits.count == 17, characters[17].isNumber || characters[17] == "X",
            characters.allSatisfy(\.isASCII)
        else { throw .characters }
        let birth = digits[6..<14].reduce(0) { $0 * 10 + $1 }
        guard Self.isCalendarDate(birth), birth <= today, birth >= 1880_01_01 else { throw .birthDate }
        let sum = zip(digits, Self.weights).reduce(0) { $0 + $1.0 * $1.1 }
        guard Self.checkCharacters[sum % 11] == characters[17] else { throw .checkCharacter }
        value = String(characters)
    }

    /// The number whose first 17 digits are `body`, with its check character appended; nil
    /// when `body` is not 17 digits or its birth date is not real. For synthetic households.
    public static func completing(_ body: String, today: Int) -> ResidentIDNumber? {
        let digits = body.compactMap(\.wholeNumberValue)
        guard digits.count == 17, body.count == 17 else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        return try? ResidentIDNumber(body + String(checkCharacters[sum % 11]), today: today)
    }

    /// The last four characters, stored next to the HMAC so people can tell records apart.
    public var lastFour: String { String(value.suffix(4)) }

    /// First 3 + 11 `*` + last 4, e.g. `110***********002X`: the only form ever displayed.
    public var masked: String { Self.mask(lastFour: lastFour, areaPrefix: String(value.prefix(3))) }

    /// The masked form from what the database keeps.
    public static func mask(lastFour: String, areaPrefix: String) -> String {
        areaPrefix + String(repeating: "*", count: 11) + lastFour
    }

    static func isCalendarDate(_ yyyymmdd: Int) -> Bool {
        let year = yyyymmdd / 10_000
        let month = yyyymmdd / 100 % 100
        let day = yyyymmdd % 100
        guard (1...12).contains(month), day >= 1 else { return false }
        let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }
}
