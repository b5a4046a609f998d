import Foundation
import Matching
import Postgres

/// Writes one ``CountySeed/Plan`` on one connection inside the caller's transaction.
///
/// Ids come from identity columns. The tables are locked against other writers first, so
/// the rows one COPY adds get consecutive ids in input order; that is checked, and lets
/// needs refer to households (and offers to charities) without reading a million rows back.
struct SeedWriter {
    let connection: PostgresConnection
    let plan: CountySeed.Plan
    let taxonomy: SeedTaxonomy
    let sealer: IDNumberSealer
    let progress: CountySeed.Progress
    private var random: SplitMix64
    let calendar: SeedCalendar
    let geography: CountyGeography

    init(
        connection: PostgresConnection, plan: CountySeed.Plan, taxonomy: SeedTaxonomy, sealer: IDNumberSealer,
        progress: @escaping CountySeed.Progress
    ) {
        self.connection = connection
        self.plan = plan
        self.taxonomy = taxonomy
        self.sealer = sealer
        self.progress = progress
        random = SplitMix64(seed: plan.seed)
        calendar = SeedCalendar(today: Int((plan.asOf.timeIntervalSince1970 / 86_400).rounded(.down)))
        // About 2,500 assisted households per township, so a bigger county is a wider one
        // (offers per township, and so candidates per need, stay the same at any size).
        let townships = min(899, max(6, plan.households / 2500))
        geography = CountyGeography(
            county: plan.county, townships: townships, villagesPerTownship: 8...20, random: &random)
    }

    mutating func write() throws -> CountySeed.Summary {
        try connection.executeScript(
            "LOCK TABLE charities, households, needs, offers, aid_records IN EXCLUSIVE MODE")
        let regions = try writeRegions()
        let charityIDs = try writeCharities()
        let (householdIDs, needs, demand) = try writeHouseholds()
        let needCount = try writeNeeds(needs, householdIDs: householdIDs)
        let offers = try writeOffers(charityIDs: charityIDs, demandUnits: demand)
        let aid = try writeAidRecords(householdIDs: householdIDs)
        let summary = CountySeed.Summary(
            regions: regions, charities: charityIDs.count, offers: offers, households: householdIDs.count,
            needs: needCount, aidRecords: aid)
        try AuditTrail.record(
            on: connection, actor: .system, action: "county.seed", entityType: "region",
            entityID: plan.county.digits, details: summary)
        return summary
    }

    private func writeRegions() throws -> Int {
        let places = geography.places
        let rows = try connection.query(
            """
            INSERT INTO regions (code, name, level, parent_code, centroid_lat, centroid_lon)
            SELECT code, name, level, nullif(parent, ''), lat::float8, lon::float8
              FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[], $6::text[])
                   AS p (code, name, level, parent, lat, lon)
            ON CONFLICT (code) DO NOTHING
            """,
            [
                places.map(\.code), places.map(\.name), places.map(\.level), places.map { $0.parent ?? "" },
                places.map { String($0.latitude) }, places.map { String($0.longitude) },
            ]
        )
        return rows.affectedRows
    }

    /// Ids of the rows the last COPY added to `table`, after checking they are consecutive.
    private func consecutiveIDs(of table: String, after before: Int64, expected: Int) throws -> [Int64] {
        let row = try connection.query(
            "SELECT coalesce(min(id), 0) AS low, coalesce(max(id), 0) AS high, count(*) AS n FROM \(table) WHERE id > $1",
            [before])[0]
        let low = try row.decode(Int64.self, "low")
        let high = try row.decode(Int64.self, "high")
        let count = try row.decode(Int.self, "n")
        guard count == expected, expected == 0 || high - low + 1 == Int64(count) else {
            throw StoreError.conflict(
                .changedMeanwhile("\(table) received rows from another writer during the seed; run it again"))
        }
        return (0..<Int64(count)).map { low + $0 }
    }

    private func maxID(of table: String) throws -> Int64 {
        try connection.query("SELECT coalesce(max(id), 0) AS high FROM \(table)")[0].decode(Int64.self, "high")
    }

    private mutating func writeCharities() throws -> [Int64] {
        let synthesis = OfferSynthesis(calendar: calendar, taxonomy: taxonomy, geography: geography)
        let charities = (0..<plan.charities).map { synthesis.charity(index: $0, random: &random) }
        let before = try maxID(of: "charities")
        let county = plan.county.digits
        try connection.copyFrom(
            """
            COPY charities (name, credit_code, kind, region_code, contact_name, contact_phone, status, banned_until,
                            status_reason) FROM STDIN
            """
        ) { writer in
            for charity in charities {
                try writer.append(text: charity.name)
                try writer.append(text: charity.creditCode)
                try writer.append(text: charity.kind)
                try writer.append(text: county)
                try writer.append(text: charity.contactName)
                try writer.append(text: charity.contactPhone)
                try writer.append(text: charity.status)
                try writer.append(charity.bannedUntilDay.map { SeedCalendar.dateText($0) })
                try writer.append(charity.status == "active" ? nil : "complaints under review")
                try writer.endRow()
            }
        }
        progress("charities", charities.count, charities.count)
        return try consecutiveIDs(of: "charities", after: before, expected: charities.count)
    }

    private mutating func writeHouseholds() throws -> ([Int64], [HouseholdSynthesis.Need], Int) {
        let synthesis = HouseholdSynthesis(calendar: calendar, taxonomy: taxonomy)
        let before = try maxID(of: "households")
        let county = String(plan.county.digits.prefix(6))
        let total = plan.households
        let villages = geography.villages
        let sealer = self.sealer
        let today = SeedCalendar.compactDate(calendar.today)
        var random = self.random
        var needs: [HouseholdSynthesis.Need] = []
        needs.reserveCapacity(total * 3 / 2)
        var demand = 0
        try connection.copyFrom(
            """
            COPY households (case_number, region_code, members, member_birth_dates, assistance_statuses,
                             vulnerability_flags, per_capita_income, latitude, longitude, id_number_hmac,
                             id_number_last4, contact_name, contact_phone, address, consent_given_at,
                             consent_scope, consent_withdrawn_at) FROM STDIN
            """
        ) { writer in
            for index in 0..<total {
                let village = villages[random.int(in: 0...villages.count - 1)]
                let household = synthesis.household(index: index, village: village, county: county, random: &random)
                guard let number = ResidentIDNumber.completing(household.idBody, today: today) else {
                    throw StoreError.conflict(.inconsistent("the seeder made an invalid ID number; this is a bug"))
                }
                let sealed = sealer.seal(number)
                try writer.append(text: "\(county)-\(CountyGeography.pad(index + 1, 7))")
                try writer.append(text: village.code)
                writer.append(household.members)
                try writer.append(
                    text: "{" + household.birthDays.map(SeedCalendar.dateText).joined(separator: ",") + "}")
                try writer.append(text: "{" + household.statuses.joined(separator: ",") + "}")
                try writer.append(text: "{" + household.flags.joined(separator: ",") + "}")
                try writer.append(text: String(household.incomeYuan))
                try writer.append(text: String(household.latitude))
                try writer.append(text: String(household.longitude))
                try writer.append(text: "\\x" + sealed.hmac.map { Self.hex[Int($0)] }.joined())
                try writer.append(text: sealed.lastFour)
                try writer.append(text: household.name)
                try writer.append(text: household.phone)
                try writer.append(text: "\(village.name)\(random.int(in: 1...300))号")
                try writer.append(household.consentGivenSeconds.map { SeedCalendar.timestampText($0) })
                try writer.append(household.consentGivenSeconds == nil ? nil : "charity_referral")
                try writer.append(household.consentWithdrawnSeconds.map { SeedCalendar.timestampText($0) })
                try writer.endRow()
                for need in synthesis.needs(of: household, index: Int32(index), random: &random) {
                    needs.append(need)
                    demand += Int(need.quantity)
                }
                if index % 50_000 == 49_999 { progress("households", index + 1, total) }
            }
        }
        self.random = random
        progress("households", total, total)
        return (try consecutiveIDs(of: "households", after: before, expected: total), needs, demand)
    }

    private static let hex: [String] = (0..<256).map { String(format: "%02x", $0) }

    private func writeNeeds(_ needs: [HouseholdSynthesis.Need], householdIDs: [Int64]) throws -> Int {
        let leaves = taxonomy.leaves
        let units = leaves.map { taxonomy.unit(of: $0) }
        let count = try connection.copyFrom(
            """
            COPY needs (household_id, category_id, quantity, unit, urgency, emergency, needed_by, recorded_at)
            FROM STDIN
            """
        ) { writer in
            for (index, need) in needs.enumerated() {
                writer.append(Int(householdIDs[Int(need.household)]))
                writer.append(Int(leaves[Int(need.category)].id))
                writer.append(Int(need.quantity))
                try writer.append(text: units[Int(need.category)])
                writer.append(Int(need.urgency))
                try writer.append(text: need.emergency ? "t" : "f")
                try writer.append(need.neededByDay.map { SeedCalendar.dateText(Int($0)) })
                try writer.append(text: SeedCalendar.timestampText(need.recordedAtSeconds))
                try writer.endRow()
                if index % 100_000 == 99_999 { progress("needs", index + 1, needs.count) }
            }
        }
        progress("needs", needs.count, needs.count)
        return count
    }
}
