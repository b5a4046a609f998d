/// One page of a short list that an administrator pages through by number, with the total,
/// so a page can say "21–40 of 57" and offer both the previous and the next page. Keyset
/// paging (``Page``) serves the long lists; accounts and charities number in the hundreds.
public struct CountedPage<Item: Sendable>: Sendable {
    /// The largest page a caller may ask for.
    public static var maximumLimit: Int { 200 }

    public var items: [Item]
    /// Rows in the whole list.
    public var total: Int
    /// Rows before this page.
    public var offset: Int
    public var limit: Int

    /// The offset of the previous page, nil on the first.
    public var previousOffset: Int? { offset > 0 ? max(0, offset - limit) : nil }
    /// The offset of the next page, nil on the last.
    public var nextOffset: Int? { offset + items.count < total ? offset + limit : nil }

    /// Offset and limit checked: ``StoreError/invalid(field:reason:)`` names the one out of range.
    static func validated(offset: Int, limit: Int) throws(StoreError) -> (offset: Int, limit: Int) {
        guard (1...maximumLimit).contains(limit) else {
            throw .invalid(field: "limit", reason: "must be between 1 and \(maximumLimit)")
        }
        guard (0...1_000_000).contains(offset) else {
            throw .invalid(field: "offset", reason: "must be between 0 and 1000000")
        }
        return (offset, limit)
    }
}
