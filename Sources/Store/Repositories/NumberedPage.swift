/// One numbered page of a search and how many rows match in all, so a list can say "page 2
/// of 7" and link both ways. Keyset paging (``Page``) serves the long API lists.
public struct NumberedPage<Item: Sendable & Equatable>: Sendable, Equatable {
    public var items: [Item]
    public var total: Int
    /// 1-based.
    public var page: Int
    public var pageSize: Int

    /// The number of the last page (1 when nothing matches).
    public var pageCount: Int { max(1, (total + pageSize - 1) / pageSize) }

    /// The page number and size checked: ``StoreError/invalid(field:reason:)`` names the one
    /// out of range.
    static func validate(page: Int, pageSize: Int) throws(StoreError) {
        guard (1...PageRequest<Int64>.maximumLimit).contains(pageSize) else {
            throw .invalid(field: "limit", reason: "must be between 1 and \(PageRequest<Int64>.maximumLimit)")
        }
        guard page >= 1, page <= 1_000_000 else {
            throw .invalid(field: "page", reason: "must be a page number from 1")
        }
    }
}
