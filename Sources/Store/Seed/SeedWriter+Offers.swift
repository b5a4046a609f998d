import Matching
import Postgres

extension SeedWriter {
    /// Offers whose capacities add up to about 70 % of the units needed: a county where
    /// charity cannot cover everything, which is when a good assignment matters.
    mutating func writeOffers(charityIDs: [Int64], demandUnits: Int) throws -> Int {
        guard plan.offers > 0 else { return 0 }
        let synthesis = OfferSynthesis(calendar: calendar, taxonomy: taxonomy, geography: geography)
        let meanCapacity = max(1, 0.7 * Double(demandUnits) / Double(plan.offers))
        var random = SplitMix64(seed: plan.seed ^ 0x6F66_6665_7273)
        let total = plan.offers
        let count = try connection.copyFrom(
            """
            COPY offers (charity_id, category_id, title, capacity, unit, unit_value, service_region_prefixes,
                         center_lat, center_lon, radius_km, eligible_statuses, required_flags, min_age,
                         max_household_size, available_from, available_until, status) FROM STDIN
            """
        ) { writer in
            for index in 0..<total {
                let offer = synthesis.offer(
                    index: index, count: total, charities: charityIDs.count, meanCapacity: meanCapacity,
                    random: &random)
                writer.append(Int(charityIDs[offer.charity]))
                writer.append(Int(offer.category.id))
                try writer.append(text: offer.title)
                writer.append(offer.capacity)
                try writer.append(text: offer.unit)
                writer.append(offer.unitValue)
                try writer.append(text: "{" + offer.prefixes.joined(separator: ",") + "}")
                try writer.append(offer.circle.map { String($0.latitude) })
                try writer.append(offer.circle.map { String($0.longitude) })
                try writer.append(offer.circle.map { String($0.radiusKm) })
                try writer.append(text: "{" + offer.statuses.joined(separator: ",") + "}")
                try writer.append(text: "{" + offer.flags.joined(separator: ",") + "}")
                try writer.append(offer.minAge)
                try writer.append(offer.maxHouseholdSize)
                try writer.append(text: SeedCalendar.dateText(offer.fromDay))
                try writer.append(offer.untilDay.map { SeedCalendar.dateText($0) })
                try writer.append(text: offer.status)
                try writer.endRow()
            }
        }
        progress("offers", count, total)
        return count
    }

    /// Aid already given: 临时救助金 to some households (government), and charity aid to a
    /// few, recent enough that the duplicate-aid rule and the fairness factor have work to do.
    func writeAidRecords(householdIDs: [Int64]) throws -> Int {
        var random = SplitMix64(seed: plan.seed ^ 0x6169_6473)
        let leaves = taxonomy.leaves
        let temporaryLiving = leaves.first { $0.code == "money.temporary_living" } ?? leaves[0]
        let today = calendar.today
        let count = try connection.copyFrom(
            """
            COPY aid_records (household_id, source, category_id, amount, units, given_on, program, external_ref)
            FROM STDIN
            """
        ) { writer in
            for (index, household) in householdIDs.enumerated() {
                let roll = random.unit()
                guard roll < 0.16 else { continue }
                let isGovernment = roll < 0.10
                let category = isGovernment ? temporaryLiving : leaves[random.int(in: 0...leaves.count - 1)]
                writer.append(Int(household))
                try writer.append(text: isGovernment ? "government" : "charity")
                writer.append(Int(category.id))
                writer.append(isGovernment ? 500 * random.int(in: 1...4) : random.int(in: 50...400))
                writer.append(1)
                try writer.append(text: SeedCalendar.dateText(today - random.int(in: 1...120)))
                try writer.append(isGovernment ? "临时救助金" : nil)
                try writer.append(text: "seed-\(plan.seed)-\(index)")
                try writer.endRow()
            }
        }
        progress("aid records", count, count)
        return count
    }
}
