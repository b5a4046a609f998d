import Foundation
import Hummingbird

/// An `application/x-www-form-urlencoded` body, as the dashboard's forms send it.
struct HTMLForm: Sendable {
    /// Forms carry a few short fields; anything larger is refused before it is read.
    static let maximumBytes = 16 * 1024

    let fields: [String: String]
    /// Every field in the order sent, for the names a form repeats (a group of checkboxes).
    let pairs: [(name: String, value: String)]

    init(_ text: String) {
        var fields: [String: String] = [:]
        var pairs: [(name: String, value: String)] = []
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]) else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) ?? "" : ""
            fields[name] = value
            pairs.append((name, value))
        }
        self.fields = fields
        self.pairs = pairs
    }

    /// Every value sent under `name`, in order.
    func all(_ name: String) -> [String] {
        pairs.filter { $0.name == name }.map(\.value)
    }

    static func read(_ request: Request) async throws -> HTMLForm {
        var request = request
        let buffer = try await request.collectBody(upTo: maximumBytes)
        return HTMLForm(String(buffer: buffer))
    }

    subscript(name: String) -> String? { fields[name] }

    private static func decode(_ text: Substring) -> String? {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}
