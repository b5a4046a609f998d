extension TransportationProblem {
    /// An instance given as compressed rows: needs and offers sorted by id, and the edges of
    /// need `n` at `edgeStart[n] ..< edgeStart[n + 1]` in ascending offer order, with
    /// `edgeOffers` indexing `offers`. That is how a matching run loads its candidates, and
    /// it is already the canonical form, so it is checked in one linear pass where the
    /// general initialiser would look up two ids per edge (seconds at forty million edges).
    /// Rows in any other order go through the general initialiser and come out the same.
    public init(
        sortedNeeds needs: [NeedInput], sortedOffers offers: [(id: Int64, capacity: Int32)],
        households: [(id: Int64, cap: Int32)] = [], edgeStart: [Int32], edgeOffers: [Int32], edgeScores: [Int64]
    ) throws(Problem) {
        guard
            Self.areCompressedRows(
                needs: needs, offers: offers, edgeStart: edgeStart, edgeOffers: edgeOffers, edgeScores: edgeScores)
        else {
            var edges: [Edge] = []
            edges.reserveCapacity(edgeOffers.count)
            for need in needs.indices where need + 1 < edgeStart.count {
                for edge in Int(edgeStart[need])..<Int(edgeStart[need + 1])
                where edgeOffers.indices.contains(edge) && edgeScores.indices.contains(edge) {
                    let offer = Int(edgeOffers[edge])
                    edges.append(
                        Edge(
                            needID: needs[need].id, offerID: offers.indices.contains(offer) ? offers[offer].id : -1,
                            scoreMicro: edgeScores[edge]))
                }
            }
            try self.init(needs: needs, offers: offers, households: households, edges: edges)
            return
        }
        for (index, need) in needs.enumerated() where need.quantity <= 0 {
            throw .quantityNotPositive(index: index, id: need.id)
        }
        for (index, offer) in offers.enumerated() where offer.capacity < 0 {
            throw .capacityNegative(index: index, id: offer.id)
        }
        for (index, score) in edgeScores.enumerated() where !(0...Self.maximumScore).contains(score) {
            throw .scoreOutOfRange(edgeIndex: index, scoreMicro: score)
        }
        let (sortedHouseholds, householdIndex) = try Self.checkedHouseholds(households)
        var needHouseholds = [Int32](repeating: -1, count: needs.count)
        for (index, need) in needs.enumerated() {
            guard let household = need.householdID else { continue }
            guard let position = householdIndex[household] else {
                throw .unknownHousehold(needIndex: index, householdID: household)
            }
            needHouseholds[index] = position
        }
        self.init(
            needIDs: needs.map(\.id), needQuantities: needs.map(\.quantity), needHouseholds: needHouseholds,
            offerIDs: offers.map(\.id), offerCapacities: offers.map(\.capacity),
            householdIDs: sortedHouseholds.map(\.id), householdCaps: sortedHouseholds.map(\.cap), edgeStart: edgeStart,
            edgeOffers: edgeOffers, edgeScores: edgeScores)
    }

    /// Whether the arrays are compressed rows in canonical order: ids strictly ascending,
    /// row bounds consistent, each row's offers strictly ascending and in range.
    private static func areCompressedRows(
        needs: [NeedInput], offers: [(id: Int64, capacity: Int32)], edgeStart: [Int32], edgeOffers: [Int32],
        edgeScores: [Int64]
    ) -> Bool {
        guard edgeStart.count == needs.count + 1, edgeStart.first == 0,
            edgeStart.last.map(Int.init) == edgeOffers.count, edgeScores.count == edgeOffers.count
        else { return false }
        for index in needs.indices.dropFirst() where needs[index - 1].id >= needs[index].id { return false }
        for index in offers.indices.dropFirst() where offers[index - 1].id >= offers[index].id { return false }
        for need in needs.indices {
            let start = Int(edgeStart[need])
            let end = Int(edgeStart[need + 1])
            guard start <= end else { return false }
            for edge in start..<end {
                let offer = edgeOffers[edge]
                guard offer >= 0, Int(offer) < offers.count, edge == start || edgeOffers[edge - 1] < offer else {
                    return false
                }
            }
        }
        return true
    }
}
