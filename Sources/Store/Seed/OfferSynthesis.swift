import Matching

/// Draws charities and their offers so that a run finds a realistic candidate set: most
/// offers serve one or two townships, some a circle of a few kilometres, a handful the
/// whole county, and a tenth serve a whole kind of aid (the parent category).
struct OfferSynthesis {
    struct Charity {
        var name: String
        var creditCode: String
        var kind: String
        var status: String
        var bannedUntilDay: Int?
        var contactName: String
        var contactPhone: String
    }

    struct Offer {
        var charity: Int
        var category: SeedTaxonomy.Entry
        var title: String
        var capacity: Int
        var unit: String
        var unitValue: Int
        var prefixes: [String]
        var circle: (latitude: Double, longitude: Double, radiusKm: Int)?
        var statuses: [String]
        var flags: [String]
        var minAge: Int?
        var maxHouseholdSize: Int?
        var fromDay: Int
        var untilDay: Int?
        var status: String
    }

    let calendar: SeedCalendar
    let taxonomy: SeedTaxonomy
    let geography: CountyGeography

    private static let kinds: [(String, Double, String)] = [
        ("foundation", 0.20, "53"), ("social_group", 0.25, "51"), ("social_service_agency", 0.40, "52"),
        ("enterprise", 0.10, "91"), ("other", 0.05, "59"),
    ]
    private static let codeAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    func charity(index: Int, random: inout SplitMix64) -> Charity {
        var roll = random.unit()
        var chosen = Self.kinds[Self.kinds.count - 1]
        for kind in Self.kinds {
            roll -= kind.1
            if roll < 0 {
                chosen = kind
                break
            }
        }
        // Registration authority + type, the county's code, a 9-character organisation code
        // derived from the index (unique), then the GB 32100 check character.
        var organisation = ""
        var rest = index &* 40_503 &+ 1_000_003
        for _ in 0..<9 {
            organisation.append(Self.codeAlphabet[rest % 31])
            rest /= 31
        }
        let body = chosen.2 + String(geography.county.digits.prefix(6)) + organisation
        let code = CreditCode.completing(body)?.value ?? ""
        let statusRoll = random.unit()
        let status = statusRoll < 0.03 ? "suspended" : statusRoll < 0.05 ? "banned" : "active"
        return Charity(
            name: SeedNames.charityName(county: geography.countyName, kind: chosen.0, index: index, &random),
            creditCode: code, kind: chosen.0, status: status,
            bannedUntilDay: status == "banned" ? calendar.today + random.int(in: 90...720) : nil,
            contactName: SeedNames.personName(&random),
            contactPhone: "0" + CountyGeography.pad(random.int(in: 100_000_000...999_999_999), 9) + "0")
    }

    /// Offer `index` of `count`; capacities average `meanCapacity`.
    func offer(index: Int, count: Int, charities: Int, meanCapacity: Double, random: inout SplitMix64) -> Offer {
        let isGeneral = random.unit() < 0.10
        let leaf = taxonomy.leaves[taxonomy.draw(weights: taxonomy.offerWeights, &random)]
        let category = isGeneral ? (taxonomy.kinds[leaf.kind] ?? leaf) : leaf
        let townships = geography.townshipPrefixes
        // A fixed handful of county-wide offers: their number must not grow with the county,
        // or every need would see every one of them.
        let countyWide = index % max(1, count / 40) == 0 && index / max(1, count / 40) < 40
        let areaRoll = random.unit()
        var prefixes: [String] = []
        var circle: (Double, Double, Int)?
        if countyWide {
            prefixes = [String(geography.county.digits.prefix(6))]
        } else if areaRoll < 0.68 {
            let first = random.int(in: 0...townships.count - 1)
            prefixes = [townships[first]]
            if random.unit() < 0.2 && townships.count > 1 { prefixes.append(townships[(first + 1) % townships.count]) }
        } else {
            let village = geography.villages[random.int(in: 0...geography.villages.count - 1)]
            circle = (village.latitude, village.longitude, random.int(in: 2...8))
        }
        let maximum = max(1, Int((2 * meanCapacity - 1).rounded()))
        var statuses: [String] = []
        var flags: [String] = []
        var minAge: Int?
        var maxSize: Int?
        if random.unit() < 0.25 {
            statuses = random.unit() < 0.5 ? ["dibao", "tekun"] : ["dibao", "tekun", "dibao_edge"]
        }
        switch leaf.code {
        case "material.mobility_aids" where !isGeneral && random.unit() < 0.7: flags = ["disabled"]
        case "material.school_supplies", "money.education": if !isGeneral && random.unit() < 0.7 { flags = ["minor"] }
        case "service.care" where !isGeneral && random.unit() < 0.5: minAge = 60
        default: break
        }
        if random.unit() < 0.05 { maxSize = 3 }
        // Most offers run for months; one in twenty has already lapsed, some have no end.
        var fromDay = calendar.today - random.int(in: 0...60)
        let untilRoll = random.unit()
        var untilDay: Int? = untilRoll < 0.80 ? calendar.today + random.int(in: 10...180) : nil
        if untilRoll >= 0.80 && untilRoll < 0.85 {
            fromDay = calendar.today - random.int(in: 31...90)
            untilDay = calendar.today - random.int(in: 1...30)
        }
        let statusRoll = random.unit()
        let unitValue =
            switch category.kind {
            case "money": 500 * random.int(in: 1...6)
            case "service": random.int(in: 80...200)
            default: random.int(in: 50...300)
            }
        return Offer(
            charity: random.int(in: 0...charities - 1), category: category,
            title: "\(category.nameZh)援助 #\(index + 1)", capacity: random.int(in: 1...maximum),
            unit: taxonomy.unit(of: category), unitValue: unitValue, prefixes: prefixes,
            circle: circle.map { ($0.0, $0.1, $0.2) }, statuses: statuses, flags: flags, minAge: minAge,
            maxHouseholdSize: maxSize, fromDay: fromDay, untilDay: untilDay,
            status: statusRoll < 0.90 ? "open" : statusRoll < 0.95 ? "paused" : "closed")
    }
}
