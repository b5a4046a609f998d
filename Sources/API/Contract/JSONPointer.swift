import Foundation

/// RFC 6901 JSON pointers: building them for violations and following them for local `$ref`s.
enum JSONPointer {
    /// Appends one reference token, escaping `~` as `~0` and `/` as `~1`.
    static func appending(_ token: String, to pointer: String) -> String {
        pointer + "/" + token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    /// Appends an array index.
    static func appending(_ index: Int, to pointer: String) -> String {
        pointer + "/" + String(index)
    }

    /// Follows a pointer such as `/components/schemas/Offer` from `root`, or returns `nil` when it leads nowhere.
    static func resolve(_ pointer: String, in root: JSONValue) -> JSONValue? {
        guard !pointer.isEmpty else { return root }
        guard pointer.hasPrefix("/") else { return nil }
        var current = root
        for rawToken in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            let token = rawToken.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let members):
                guard let next = members[token] else { return nil }
                current = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Resolves a same-document reference such as `#/components/schemas/Offer` (percent-encoding allowed).
    static func resolveReference(_ reference: String, in root: JSONValue) -> JSONValue? {
        guard reference.hasPrefix("#"), let pointer = String(reference.dropFirst()).removingPercentEncoding else {
            return nil
        }
        return resolve(pointer, in: root)
    }
}
