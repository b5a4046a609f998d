import Foundation

/// The `Content-Type` of a request body, read strictly: the server reads every text body as
/// UTF-8, so a body that says it is in another charset is refused (415) rather than read
/// as something it is not.
enum MediaType {
    /// Whether `contentType` is `essence` (case-insensitive) with no parameter but an
    /// optional `charset=utf-8` (the value case-insensitive, quoted or not).
    static func accepts(_ contentType: String?, as essence: String) -> Bool {
        guard let contentType else { return false }
        var parts = contentType.split(separator: ";", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard parts.removeFirst().lowercased() == essence else { return false }
        return parts.allSatisfy { parameter in
            guard !parameter.isEmpty else { return true }
            let pair = parameter.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            guard pair.count == 2, pair[0] == "charset" else { return false }
            return pair[1] == "utf-8" || pair[1] == "\"utf-8\""
        }
    }
}
