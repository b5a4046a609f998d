import Foundation

/// The dashboard's two languages: zh-CN by default, English on request.
///
/// The choice comes from an explicit `lang` setting (query or cookie) first, then the
/// browser's `Accept-Language`, so a coordinator's English browser still gets English while
/// everyone else gets Chinese.
public enum DashboardLanguage: String, Sendable, CaseIterable {
    case chinese = "zh-CN"
    case english = "en"

    /// Picks the language from an explicit choice, else from an `Accept-Language` header.
    public static func negotiate(explicit: String?, acceptLanguage: String?) -> DashboardLanguage {
        if let explicit, let chosen = match(explicit) { return chosen }
        guard let acceptLanguage else { return .chinese }
        let ranked = acceptLanguage.split(separator: ",").enumerated().compactMap {
            (position, entry) -> (language: DashboardLanguage, quality: Double, position: Int)? in
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first, let language = match(tag) else { return nil }
            let quality =
                parts.dropFirst()
                .first { $0.hasPrefix("q=") }
                .flatMap { Double($0.dropFirst(2)) } ?? 1
            return quality > 0 ? (language, quality, position) : nil
        }
        let best = ranked.max { lhs, rhs in
            lhs.quality != rhs.quality ? lhs.quality < rhs.quality : lhs.position > rhs.position
        }
        return best?.language ?? .chinese
    }

    private static func match(_ tag: String) -> DashboardLanguage? {
        let primary = tag.lowercased().split(separator: "-").first ?? ""
        switch primary {
        case "zh": return .chinese
        case "en": return .english
        default: return nil
        }
    }
}
