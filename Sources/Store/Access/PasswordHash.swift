import Crypto
import CryptoExtras
import Foundation
import NIOPosix

/// A password kept as scrypt (swift-crypto's CryptoExtras, over BoringSSL) in the PHC
/// string form `$scrypt$ln=15,r=8,p=1$<salt>$<hash>`: a stolen `users` table costs an
/// attacker 32 MiB and tens of milliseconds per guess. The parameters travel with each
/// hash, so a later, costlier setting verifies the old hashes and rehashes on the next
/// change.
///
/// Hashing is CPU-bound for tens of milliseconds, so it runs on NIO's shared thread pool,
/// never on an event loop or Swift's cooperative pool.
public struct PasswordHash: Sendable, Equatable {
    /// log₂ of scrypt's N: 2¹⁵ rounds of 128·r bytes each, 32 MiB.
    static let defaultLogRounds = 15
    static let defaultBlockSize = 8
    static let defaultParallelism = 1
    private static let saltBytes = 16
    private static let hashBytes = 32

    /// The stored text.
    public let encoded: String

    init(encoded: String) {
        self.encoded = encoded
    }

    /// A fresh salt and the hash of `password` under it.
    static func make(_ password: String) async throws -> PasswordHash {
        let salt = Array(SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) })
        let parameters = Parameters(
            logRounds: defaultLogRounds, blockSize: defaultBlockSize, parallelism: defaultParallelism)
        let hash = try await derive(password, salt: salt, parameters, byteCount: hashBytes)
        return PasswordHash(
            encoded: "$scrypt$ln=\(parameters.logRounds),r=\(parameters.blockSize),p=\(parameters.parallelism)$"
                + unpadded(Data(salt)) + "$" + unpadded(Data(hash)))
    }

    /// The hash of `password` if there is one.
    static func make(_ password: String?) async throws -> PasswordHash? {
        guard let password else { return nil }
        return try await make(password)
    }

    /// Whether `password` is the one hashed here; false for text that is not one of our
    /// hashes (never an error: sign-in then simply fails).
    func verify(_ password: String) async throws -> Bool {
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0].isEmpty, parts[1] == "scrypt", let parameters = Parameters(parts[2]),
            let salt = Self.decoded(parts[3]), let expected = Self.decoded(parts[4]),
            (16...64).contains(expected.count)
        else { return false }
        let actual = try await Self.derive(password, salt: salt, parameters, byteCount: expected.count)
        // Every byte compared, whatever the first difference: the time says nothing.
        return zip(actual, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// A hash of no one's password: verified against when a login does not exist, so an
    /// unknown login takes as long to refuse as a wrong password.
    static let decoy: PasswordHash = PasswordHash(
        encoded: "$scrypt$ln=15,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")

    private struct Parameters {
        var logRounds: Int
        var blockSize: Int
        var parallelism: Int

        init(logRounds: Int, blockSize: Int, parallelism: Int) {
            self.logRounds = logRounds
            self.blockSize = blockSize
            self.parallelism = parallelism
        }

        /// `ln=15,r=8,p=1`, within bounds that keep a crafted row from costing gigabytes.
        init?(_ text: Substring) {
            var values: [Substring: Int] = [:]
            for pair in text.split(separator: ",") {
                let halves = pair.split(separator: "=", maxSplits: 1)
                guard halves.count == 2, let value = Int(halves[1]) else { return nil }
                values[halves[0]] = value
            }
            guard let ln = values["ln"], let r = values["r"], let p = values["p"], (10...20).contains(ln),
                (1...16).contains(r), (1...4).contains(p)
            else { return nil }
            self.init(logRounds: ln, blockSize: r, parallelism: p)
        }
    }

    private static func derive(
        _ password: String, salt: [UInt8], _ parameters: Parameters, byteCount: Int
    ) async throws -> [UInt8] {
        let secret = Array(password.utf8)
        return try await NIOThreadPool.singleton.runIfActive {
            let key = try KDF.Scrypt.deriveKey(
                from: secret, salt: salt, outputByteCount: byteCount, rounds: 1 << parameters.logRounds,
                blockSize: parameters.blockSize, parallelism: parameters.parallelism)
            return key.withUnsafeBytes { Array($0) }
        }
    }

    /// Base64 without padding, as PHC strings write it.
    private static func unpadded(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    private static func decoded(_ text: Substring) -> [UInt8]? {
        var text = String(text)
        text += String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Data(base64Encoded: text).map(Array.init)
    }
}
