/// A 12-digit administrative division code: GB/T 2260 (province 2, prefecture 2, county 2)
/// extended with the statistics bureau's township (3) and village (3) digits.
///
/// Scopes compare fixed-length prefixes by level. Stripping trailing zeros instead would
/// make township `110105100` contain `110105101…`, so this type never does that.
public struct RegionCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The five levels, each with the length of the prefix that identifies it.
    public enum Level: Int, Sendable, CaseIterable, Comparable {
        case province = 1, prefecture, county, township, village

        /// Digits that identify a region of this level: 2, 4, 6, 9 or 12.
        public var prefixLength: Int { [2, 4, 6, 9, 12][rawValue - 1] }

        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The 12 digits.
    public let digits: String
    /// The level the digits denote.
    public let level: Level

    /// Accepts exactly 12 ASCII digits whose non-zero segments form a proper hierarchy:
    /// each level's own segment is non-zero and everything after it is zero. The county
    /// segment may be `00` under a prefecture without counties (东莞 4419, 中山 4420).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 12, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        func isZero(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { $0 == UInt8(ascii: "0") } }
        let level: Level
        if isZero(0..<2) {
            return nil
        } else if isZero(2..<12) {
            level = .province
        } else if isZero(2..<4) {
            return nil
        } else if isZero(4..<12) {
            level = .prefecture
        } else if isZero(6..<12) {
            level = .county
        } else if isZero(6..<9) {
            return nil
        } else if isZero(9..<12) {
            level = .township
        } else {
            level = .village
        }
        self.digits = text
        self.level = level
    }

    /// The digits that identify this region at its own level (2 to 12 of them).
    public var scopePrefix: Substring { digits.prefix(level.prefixLength) }

    /// Whether `other` lies inside this region (a region contains itself).
    public func contains(_ other: RegionCode) -> Bool {
        other.level >= level && other.digits.hasPrefix(scopePrefix)
    }

    /// This region's ancestor at `level` (itself at its own level), or `nil` when this
    /// region is above that level or the ancestor's segment is empty (东莞 has no county).
    public func ancestor(at level: Level) -> RegionCode? {
        guard level <= self.level else { return nil }
        let prefix = digits.prefix(level.prefixLength)
        return RegionCode(prefix + String(repeating: "0", count: 12 - prefix.count))
    }

    public var description: String { digits }

    public static func < (lhs: RegionCode, rhs: RegionCode) -> Bool { lhs.digits < rhs.digits }
}

/// A service-area prefix: the 2, 4, 6, 9 or 12 leading digits that identify one region
/// at its level. A household is inside when its 12-digit code starts with the prefix.
public struct RegionScope: Sendable, Hashable, CustomStringConvertible {
    public let prefix: String
    public let level: RegionCode.Level

    /// Accepts exactly 2, 4, 6, 9 or 12 digits forming a valid region code when padded.
    public init?(prefix: String) {
        guard let level = RegionCode.Level.allCases.first(where: { $0.prefixLength == prefix.utf8.count }),
            let code = RegionCode(prefix + String(repeating: "0", count: 12 - prefix.utf8.count)),
            code.level == level
        else { return nil }
        self.prefix = prefix
        self.level = level
    }

    /// Whether `code` lies inside this scope.
    public func contains(_ code: RegionCode) -> Bool { code.level >= level && code.digits.hasPrefix(prefix) }

    public var description: String { prefix }
}

extension RegionCode {
    /// This region as a scope prefix.
    public var scope: RegionScope {
        guard let scope = RegionScope(prefix: String(scopePrefix)) else {
            preconditionFailure("a valid region code always has a valid scope prefix")
        }
        return scope
    }
}
