import Foundation
import Hummingbird

/// The one-line confirmation a person sees after an action ("需求 #12 已登记"): the action
/// redirects (POST-redirect-GET) with the notice in a short-lived cookie, and the next page
/// shows it once and clears it. Only a text key and a short argument travel, never data.
enum DashboardNotice {
    static var cookie: String { "cm_notice" }

    /// The cookie that carries `key` (a `notice.<key>` text) and an optional argument such as
    /// an id; arguments are limited to letters, digits, `#` and `-`.
    static func carrying(_ key: String, argument: String?) -> Cookie {
        let safeArgument = argument.map { String($0.unicodeScalars.filter(isArgumentCharacter)) } ?? ""
        return Cookie(
            name: cookie, value: key + (safeArgument.isEmpty ? "" : "~" + safeArgument), maxAge: 60,
            path: "/dashboard", httpOnly: true, sameSite: .strict)
    }

    /// Clears the cookie once its notice has been shown.
    static var shown: Cookie {
        Cookie(name: cookie, value: "", maxAge: 0, path: "/dashboard", httpOnly: true, sameSite: .strict)
    }

    /// The notice's text in the page's language, or nil when the request carries none or an
    /// unknown key.
    static func text(_ request: Request, _ texts: [String: String]) -> String? {
        guard let value = request.cookies[cookie]?.value, !value.isEmpty else { return nil }
        let parts = value.split(separator: "~", maxSplits: 1).map(String.init)
        guard let template = texts["notice." + parts[0]] else { return nil }
        let argument = parts.count > 1 ? String(parts[1].unicodeScalars.filter(isArgumentCharacter)) : ""
        return template.replacingOccurrences(of: "{0}", with: argument)
    }

    private static func isArgumentCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII
            && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "#" || scalar == "-")
    }
}
