/// Which slice of a list to read: the rows after a cursor, at most `limit` of them.
///
/// Keyset pagination (`WHERE key > cursor ORDER BY key LIMIT n`) rather than offsets, so
/// a page costs the same deep in a list as at its start and rows inserted meanwhile do
/// not shift later pages.
public struct PageRequest<Cursor: Sendable & Codable & Hashable>: Sendable, Hashable {
    /// The largest page a caller may ask for.
    public static var maximumLimit: Int { 500 }

    /// The `nextCursor` of the previous page; nil for the first page.
    public var after: Cursor?
    /// Rows wanted, 1 to ``maximumLimit``.
    public var limit: Int

    public init(after: Cursor? = nil, limit: Int = 50) {
        self.after = after
        self.limit = limit
    }

    /// The limit, or ``StoreError/invalid(field:reason:)`` naming `limit`.
    func validatedLimit() throws(StoreError) -> Int {
        guard (1...Self.maximumLimit).contains(limit) else {
            throw .invalid(field: "limit", reason: "must be between 1 and \(Self.maximumLimit)")
        }
        return limit
    }
}

/// One page of a list and the cursor of the next one.
public struct Page<Item: Sendable & Codable, Cursor: Sendable & Codable & Hashable>: Sendable, Codable {
    public var items: [Item]
    /// Pass as ``PageRequest/after`` to read on; nil when this was the last page.
    public var nextCursor: Cursor?

    public init(items: [Item], nextCursor: Cursor?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// A page from `limit + 1` fetched rows: the extra row only says that more exist.
    init(fetched: [Item], limit: Int, cursor: (Item) -> Cursor) {
        items = Array(fetched.prefix(limit))
        nextCursor = fetched.count > limit ? items.last.map(cursor) : nil
    }
}

extension Page: Equatable where Item: Equatable {}
