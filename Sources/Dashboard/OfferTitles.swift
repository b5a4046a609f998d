import Foundation
import Store

/// The charity's own offers met while drawing a page, read once each.
struct OfferTitles {
    private var known: [Int64: OfferRecord?] = [:]

    mutating func offer(_ id: Int64, charity: Int64, _ offers: OfferRepository) async throws -> OfferRecord? {
        if let cached = known[id] { return cached }
        let offer = try await offers.offer(id: id, charity: charity)
        known[id] = offer
        return offer
    }
}
