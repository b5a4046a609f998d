import Foundation
import Hummingbird
import Store

/// One page of a list as JSON: the items and an opaque cursor for the next page.
struct PageResource<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
    /// Pass back as `?cursor=`; absent on the last page.
    var nextCursor: String?

    init<Record: Sendable & Codable>(_ page: Page<Record, Int64>, _ transform: (Record) throws -> Item) rethrows {
        items = try page.items.map(transform)
        nextCursor = page.nextCursor.map(PageCursor.encode)
    }
}

/// Cursors are opaque to clients (base64url of the last id seen), so the key behind them
/// can change without breaking anyone who treats them as such.
enum PageCursor {
    static func encode(_ id: Int64) -> String {
        Data("k\(id)".utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func decode(_ text: String) throws -> Int64 {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard text.count <= 32, let data = Data(base64Encoded: base64),
            let decoded = String(data: data, encoding: .utf8), decoded.first == "k",
            let id = Int64(decoded.dropFirst()), id >= 0
        else {
            throw Problem.invalidParameter("cursor", "is not a cursor this API returned")
        }
        return id
    }

    /// The page request of `?cursor=&limit=`.
    static func pageRequest(_ request: Request) throws -> PageRequest<Int64> {
        let query = request.uri.queryParameters
        let after = try query["cursor"].map { try decode(String($0)) }
        var limit = 50
        if let text = query["limit"] {
            guard let value = Int(text), (1...PageRequest<Int64>.maximumLimit).contains(value) else {
                throw Problem.invalidParameter(
                    "limit", "must be a whole number from 1 to \(PageRequest<Int64>.maximumLimit)")
            }
            limit = value
        }
        return PageRequest(after: after, limit: limit)
    }
}

extension PageResource {
    /// The answer for a filter that can match nothing the caller may see.
    static var empty: PageResource { PageResource(items: [], nextCursor: nil) }

    init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}
