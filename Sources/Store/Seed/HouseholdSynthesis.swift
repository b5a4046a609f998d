import Matching

/// Draws households and their needs with the proportions of the national roll.
///
/// Figures behind the numbers (民政部 2023 统计公报): 低保 40.6 M persons, about 84 % rural,
/// household sizes about 1.6 urban and 1.9 rural; 特困 4.7 M persons, nearly all living
/// alone; 临时救助 7.4 M person-times a year; average 低保 standards 795 元 (urban) and 590 元
/// (rural) per person and month. Counted in households, that is roughly 60 % 低保, 14 % 特困,
/// 12 % 低保边缘 and 14 % 临时救助, with 医疗救助 on top for the seriously ill.
struct HouseholdSynthesis {
    struct Household {
        var members: Int
        var birthDays: [Int]
        var statuses: [String]
        var flags: [String]
        var incomeYuan: Double
        var latitude: Double
        var longitude: Double
        var idBody: String
        var name: String
        var phone: String
        var consentGivenSeconds: Int?
        var consentWithdrawnSeconds: Int?
    }

    struct Need {
        var household: Int32
        var category: Int16
        var quantity: Int16
        var urgency: Int8
        var emergency: Bool
        var neededByDay: Int32?
        var recordedAtSeconds: Int
    }

    let calendar: SeedCalendar
    let taxonomy: SeedTaxonomy

    /// Household `index` (its ID number is unique by construction: the 27 M (birth day,
    /// sequence) pairs are walked by a multiplier coprime to their count).
    func household(
        index: Int, village: CountyGeography.Village, county: String, random: inout SplitMix64
    )
        -> Household
    {
        let roll = random.unit()
        let statuses: [String] =
            roll < 0.60 ? ["dibao"] : roll < 0.74 ? ["tekun"] : roll < 0.86 ? ["dibao_edge"] : ["temporary"]
        let isTekun = statuses == ["tekun"]
        let meanSize = village.isUrban ? 1.6 : 1.9
        let members = isTekun ? 1 : max(1, min(8, Int((meanSize + random.bell() * 1.5).rounded())))
        var flags: [String] = []
        func flag(_ code: String, _ probability: Double) { if random.unit() < probability { flags.append(code) } }
        let elderly = isTekun ? random.unit() < 0.65 : random.unit() < 0.18
        if elderly && members == 1 { flags.append("living_alone_elderly") }
        flag("disabled", 0.20)
        if flags.contains("disabled") { flag("severe_disability", 0.3) }
        if members >= 2 {
            flag("minor", 0.40)
            if flags.contains("minor") && !village.isUrban { flag("left_behind_child", 0.2) }
            if flags.contains("minor") { flag("single_parent", 0.15) }
        }
        if isTekun && members == 1 && !elderly { flag("orphan", 0.05) }
        flag("serious_illness", 0.15)
        flag("disaster_affected", 0.03)
        var allStatuses = statuses
        if flags.contains("serious_illness") && statuses != ["dibao_edge"] && random.unit() < 0.6 {
            allStatuses.append("medical")
        }
        let standard = village.isUrban ? 795.0 : 590.0
        let income =
            switch statuses[0] {
            case "tekun": random.unit() * 300
            case "dibao": standard * random.unit() * 0.7
            case "dibao_edge": standard * (1 + random.unit() * 0.5)
            default: standard * random.unit() * 1.2
            }
        // (birth day, sequence) from a bijection of the index; heads born 1932–2005.
        let slot = (index &* 7_368_787) % 27_000_000
        let headBirth = -13_880 + slot / 1000
        var birthDays = [elderly ? calendar.today - 365 * (65 + random.int(in: 0...25)) : headBirth]
        for member in 1..<members {
            let isMinor = flags.contains("minor") && member == members - 1
            let age = isMinor ? random.int(in: 2...17) : random.int(in: 18...80)
            birthDays.append(calendar.today - 365 * age - random.int(in: 0...364))
        }
        let idBody = county + String(SeedCalendar.compactDate(headBirth)) + CountyGeography.pad(slot % 1000, 3)
        let (latitude, longitude) = CountyGeography.scatter(
            around: (village.latitude, village.longitude), radiusKm: 1.2, &random)
        let consentRoll = random.unit()
        let now = calendar.today * 86_400
        let consentGiven = consentRoll < 0.88 ? now - random.int(in: 86_400...(400 * 86_400)) : nil
        let withdrawn = consentGiven.flatMap { given in consentRoll < 0.03 ? given + (now - given) / 2 : nil }
        return Household(
            members: members, birthDays: birthDays, statuses: allStatuses, flags: flags,
            incomeYuan: (income * 100).rounded() / 100, latitude: latitude, longitude: longitude,
            idBody: idBody, name: SeedNames.personName(&random),
            phone: "1" + String(random.int(in: 3...9)) + CountyGeography.pad(random.int(in: 0...999_999_999), 9),
            consentGivenSeconds: consentGiven, consentWithdrawnSeconds: withdrawn)
    }

    /// One to three open needs, leaning towards what the household's flags suggest.
    func needs(of household: Household, index: Int32, random: inout SplitMix64) -> [Need] {
        let count = random.unit() < 0.7 ? 1 : (random.unit() < 0.75 ? 2 : 3)
        let weights = taxonomy.needWeights(flags: household.flags)
        let now = calendar.today * 86_400
        return (0..<count).map { _ in
            let category = taxonomy.draw(weights: weights, &random)
            let urgencyRoll = random.unit()
            let urgency: Int8 =
                urgencyRoll < 0.1 ? 1 : urgencyRoll < 0.3 ? 2 : urgencyRoll < 0.7 ? 3 : urgencyRoll < 0.9 ? 4 : 5
            let emergencyChance = household.flags.contains("disaster_affected") ? 0.4 : 0.03
            let recorded = now - random.int(in: 3600...(180 * 86_400))
            let neededBy = random.unit() < 0.6 ? Int32(calendar.today + random.int(in: 7...120)) : nil
            return Need(
                household: index, category: Int16(category), quantity: Int16(random.int(in: 1...3)),
                urgency: urgency, emergency: random.unit() < emergencyChance, neededByDay: neededBy,
                recordedAtSeconds: recorded)
        }
    }
}
