import Foundation
import Matching

/// The administrative map of a synthetic county: the province, prefecture and county rows
/// above it, and townships and villages below, with codes shaped like GB/T 2260 plus the
/// statistical 乡镇/村居 segments and coordinates scattered around a plausible centroid.
///
/// Township segments follow the statistical convention: 001–099 街道 (urban), then 镇 and 乡
/// from 100 up; village segments 001–199 社区 (居委会) and 200+ 村 (村委会). So a household's
/// code says whether it is urban, as it does in the real roll. The county's own kind follows
/// GB/T 2260 too: digits 5–6 of 01–20 are a 市辖区 (mostly 街道, towns but no 乡), 21–80 a 县,
/// 81–99 a 县级市.
struct CountyGeography {
    /// What digits 5–6 of a county-level code make it.
    enum Kind {
        case district, county, city

        init(code: String) {
            let serial = Int(code.dropFirst(4).prefix(2)) ?? 21
            self = serial <= 20 ? .district : serial <= 80 ? .county : .city
        }

        var suffix: String {
            switch self {
            case .district: "区"
            case .county: "县"
            case .city: "市"
            }
        }

        /// How many of `townships` are urban 街道.
        func urbanTownships(of townships: Int) -> Int {
            switch self {
            case .district: min(99, max(1, townships * 4 / 5))
            case .county: min(99, max(1, townships / 5))
            case .city: min(99, max(1, townships / 3))
            }
        }
    }

    struct Place {
        var code: String
        var name: String
        var level: Int
        var parent: String?
        var latitude: Double
        var longitude: Double
    }

    struct Village {
        var code: String
        var latitude: Double
        var longitude: Double
        var isUrban: Bool
        var name: String
    }

    /// Province, prefecture, county, then every township followed by its villages.
    private(set) var places: [Place] = []
    private(set) var villages: [Village] = []
    /// The nine-digit prefixes of the townships, in code order.
    private(set) var townshipPrefixes: [String] = []
    let county: RegionCode
    let countyName: String

    /// `county` must be a level-3 code; `townships` between 1 and 899.
    init(county: RegionCode, townships: Int, villagesPerTownship: ClosedRange<Int>, random: inout SplitMix64) {
        self.county = county
        let digits = county.digits
        let province = String(digits.prefix(2))
        let prefecture = String(digits.prefix(4))
        let latitude = 23 + random.unit() * 16
        let longitude = 104 + random.unit() * 16
        let kind = Kind(code: digits)
        let syntheticCounty = SeedNames.placeName(&random) + kind.suffix
        countyName = SeedNames.knownPlace(String(digits.prefix(6))) ?? syntheticCounty
        places.append(
            Place(
                code: province + "0000000000", name: SeedNames.province(province), level: 1, parent: nil,
                latitude: latitude, longitude: longitude))
        if prefecture.suffix(2) != "00" {
            places.append(
                Place(
                    code: prefecture + "00000000",
                    name: SeedNames.knownPlace(prefecture) ?? SeedNames.placeName(&random) + "市", level: 2,
                    parent: province + "0000000000", latitude: latitude, longitude: longitude))
        }
        places.append(
            Place(
                code: digits, name: countyName, level: 3, parent: places.last?.code, latitude: latitude,
                longitude: longitude))
        // Townships spread over a disc whose area grows with their number (~60 km² each).
        let radiusKm = (Double(townships) * 60 / Double.pi).squareRoot()
        let urbanTownships = kind.urbanTownships(of: townships)
        for index in 0..<townships {
            let isUrban = index < urbanTownships
            let segment = isUrban ? index + 1 : 100 + (index - urbanTownships)
            let code = String(digits.prefix(6)) + Self.pad(segment, 3)
            let (townLat, townLon) = Self.scatter(
                around: (latitude, longitude), radiusKm: isUrban ? radiusKm * 0.2 : radiusKm, &random)
            let suffix = isUrban ? "街道" : (segment < 200 && random.unit() < 0.7 || kind != .county ? "镇" : "乡")
            townshipPrefixes.append(code)
            places.append(
                Place(
                    code: code + "000", name: SeedNames.placeName(&random) + suffix, level: 4, parent: digits,
                    latitude: townLat, longitude: townLon))
            let count = random.int(in: villagesPerTownship)
            for village in 0..<count {
                let villageSegment = isUrban ? village + 1 : 200 + village
                let (lat, lon) = Self.scatter(around: (townLat, townLon), radiusKm: 3, &random)
                let name = SeedNames.placeName(&random) + (isUrban ? "社区" : "村")
                let villageCode = code + Self.pad(villageSegment, 3)
                villages.append(
                    Village(
                        code: villageCode, latitude: lat, longitude: lon, isUrban: isUrban, name: name)
                )
                places.append(
                    Place(
                        code: villageCode, name: name, level: 5, parent: code + "000", latitude: lat, longitude: lon))
            }
        }
    }

    /// A point uniformly inside a disc of `radiusKm` around `centre`.
    static func scatter(
        around centre: (Double, Double), radiusKm: Double, _ random: inout SplitMix64
    )
        -> (Double, Double)
    {
        let distance = radiusKm * random.unit().squareRoot()
        let angle = random.unit() * 2 * Double.pi
        let latitude = centre.0 + distance * cos(angle) / 111.2
        let longitude = centre.1 + distance * sin(angle) / (111.2 * cos(centre.0 * Double.pi / 180))
        return (latitude, longitude)
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}
