import Foundation

/// Compiled `pattern` regexes, shared by every validation that uses the same validator.
///
/// Compiling an `NSRegularExpression` costs far more than matching one, and request validation runs on every
/// request, so each pattern is compiled once. Patterns that do not compile are remembered as such.
///
/// The cache is guarded by `NSLock` rather than `Synchronization.Mutex`: both are correct, but ThreadSanitizer on
/// Linux does not see `Mutex`'s futex-based locking and reports false races, which would make a TSan run useless.
/// `@unchecked Sendable` is sound because `compiled` is only touched while `lock` is held, and compiled
/// `NSRegularExpression`s are immutable and documented as safe to use from several threads.
final class RegexCache: @unchecked Sendable {
    private let lock = NSLock()
    private var compiled: [String: NSRegularExpression?] = [:]

    /// Whether `text` contains a match for `pattern` anywhere (JSON Schema patterns are not anchored), or `nil`
    /// when the pattern is not a valid regular expression.
    func matches(_ pattern: String, _ text: String) -> Bool? {
        guard let regex = regex(for: pattern) else { return nil }
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return regex.firstMatch(in: text, options: [], range: range) != nil
    }

    private func regex(for pattern: String) -> NSRegularExpression? {
        lock.withLock {
            if let known = compiled[pattern] { return known }
            let regex = try? NSRegularExpression(pattern: pattern, options: [])
            compiled[pattern] = regex
            return regex
        }
    }
}
