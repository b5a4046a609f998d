import Crypto
import Foundation
import Matching

/// Turns a 公民身份号码 into what the database may keep: an HMAC under a secret pepper and
/// the last four characters.
///
/// The HMAC lets imports find a household that is already registered without the number
/// ever being stored; a plain hash would not do, because the ~10¹⁰ plausible numbers of a
/// county can be hashed in minutes. The pepper lives in configuration (`ID_PEPPER`), never
/// in the database, so a leaked dump does not reveal the numbers.
public struct IDNumberSealer: Sendable {
    /// What the database stores instead of the number.
    public struct Sealed: Sendable, Hashable {
        /// HMAC-SHA256(pepper, upper-cased number): 32 bytes.
        public let hmac: Data
        /// The last four characters, so people can tell records apart.
        public let lastFour: String
    }

    /// Why a pepper was refused; never repeats the pepper.
    public struct PepperProblem: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The environment variable that carries the pepper.
    public static let environmentVariable = "ID_PEPPER"
    /// Shorter peppers are refused: the pepper is what keeps the HMACs from being brute-forced.
    public static let minimumPepperBytes = 16

    private let key: SymmetricKey

    /// A sealer keyed by `pepper` (at least 16 bytes of UTF-8).
    public init(pepper: String) throws(PepperProblem) {
        let bytes = Array(pepper.utf8)
        guard bytes.count >= Self.minimumPepperBytes else {
            throw PepperProblem(
                description: "\(Self.environmentVariable) must be at least \(Self.minimumPepperBytes) bytes long")
        }
        key = SymmetricKey(data: bytes)
    }

    /// The sealer configured by `ID_PEPPER` in `environment`.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(PepperProblem) -> IDNumberSealer {
        guard let pepper = environment[environmentVariable], !pepper.isEmpty else {
            throw PepperProblem(
                description:
                    "\(environmentVariable) is not set: it keys the HMAC that stands in for ID numbers (at least \(minimumPepperBytes) bytes; keep it secret and stable)"
            )
        }
        return try IDNumberSealer(pepper: pepper)
    }

    /// The HMAC and last four of a validated number.
    public func seal(_ number: ResidentIDNumber) -> Sealed {
        seal(validatedValue: number.value)
    }

    /// Seals the 18 characters of a number known to be valid (the seeder's own numbers).
    func seal(validatedValue value: String) -> Sealed {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(value.utf8), using: key)
        return Sealed(hmac: Data(mac), lastFour: String(value.suffix(4)))
    }

    /// The pseudonym under which `charity` knows `household`: `HH-` and ten Crockford
    /// base-32 characters (50 bits of HMAC-SHA256 under the pepper).
    ///
    /// The same pair always gives the same reference, so a charity can recognise a household
    /// it served before; two charities get unrelated references for one household, so they
    /// cannot pool what they know, and without the pepper no one can tell which household is
    /// behind one. The message is domain-separated (a fixed label and a zero byte before the
    /// two ids), so it can never coincide with an ID number's HMAC under the same key.
    public func householdReference(household: Int64, charity: Int64) -> String {
        var message = Array(Self.householdReferenceLabel.utf8)
        message.append(0)
        withUnsafeBytes(of: household.bigEndian) { message.append(contentsOf: $0) }
        withUnsafeBytes(of: charity.bigEndian) { message.append(contentsOf: $0) }
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: key)
        let bits = mac.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var reference = "HH-"
        for index in 0..<10 {
            reference.append(Self.crockford[Int(bits >> UInt64(59 - 5 * index) & 31)])
        }
        return reference
    }

    /// Separates household references from every other use of the key.
    private static let householdReferenceLabel = "charity-match/household-reference/v1"
    /// Crockford's base-32 alphabet: no I, L, O or U, so a reference read out over the phone
    /// is not misheard.
    private static let crockford = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
}
