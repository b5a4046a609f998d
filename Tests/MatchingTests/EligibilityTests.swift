import Foundation
import Matching
import Testing

@Suite("Eligibility gives every reason")
struct EligibilityTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)
    static let grain = Category(id: 11, code: "material.grain_oil", parentID: 1)
    static let material = Category(id: 1, code: "material", parentID: nil)
    static let care = Category(id: 31, code: "service.care", parentID: 3)
    static let context = MatchingContext(
        now: now,
        lookBackDays: 90,
        categories: [1: material, 11: grain, 31: care],
        aidHistory: [
            7: [AidRecord(householdID: 7, categoryID: 11, givenOn: now.addingTimeInterval(-10 * 86_400), units: 1)]
        ]
    )

    static func household(id: Int64 = 1, region: String = "320508019044") throws -> Household {
        Household(
            id: id,
            region: try #require(RegionCode(region)),
            size: 2,
            statuses: [.dibao],
            flags: [.disabled],
            location: GeoPoint(latitude: 31.30, longitude: 120.60),
            memberAges: [72, 40],
            consent: Consent(givenAt: now.addingTimeInterval(-86_400))
        )
    }

    static func need(household: Int64 = 1, category: Int64 = 11) -> Need {
        Need(
            id: 100, householdID: household, categoryID: category, quantity: 2, urgency: 4,
            recordedAt: now.addingTimeInterval(-30 * 86_400))
    }

    static func offer(scopes: [String] = ["320508"], category: Int64 = 11) -> Offer {
        Offer(
            id: 500, charityID: 9, categoryID: category, remainingCapacity: 10,
            serviceArea: ServiceArea(scopes: scopes.compactMap { RegionScope(prefix: $0) }),
            availableFrom: now.addingTimeInterval(-86_400), availableUntil: now.addingTimeInterval(30 * 86_400)
        )
    }

    @Test func aFittingPairIsEligibleWithItsCategoryFit() throws {
        #expect(
            Eligibility.evaluate(
                need: Self.need(), household: try Self.household(), offer: Self.offer(), context: Self.context)
                == .eligible(.exact))
        let general = Self.offer(category: 1)
        #expect(
            Eligibility.evaluate(
                need: Self.need(), household: try Self.household(), offer: general, context: Self.context)
                == .eligible(.parent))
    }

    @Test func everyFailingRuleIsReported() throws {
        var household = try Self.household(id: 7)
        household.consent = Consent(
            givenAt: Self.now.addingTimeInterval(-86_400 * 5), withdrawnAt: Self.now.addingTimeInterval(-3600))
        household.size = 6
        var offer = Self.offer(scopes: ["320509"], category: 31)
        offer.remainingCapacity = 0
        offer.availableFrom = Self.now.addingTimeInterval(86_400)
        offer.availableUntil = Self.now.addingTimeInterval(-1)
        offer.eligibility = EligibilityRules(
            statuses: [.tekun],
            requiredFlags: [.minor, .disabled, .orphan],
            memberAges: 0...17,
            householdSize: 1...4
        )
        offer.charity = CharityStanding(status: .suspended)
        let verdict = Eligibility.evaluate(
            need: Self.need(household: 7), household: household, offer: offer, context: Self.context)
        #expect(
            verdict
                == .ineligible([
                    .categoryMismatch, .outsideServiceArea, .notYetAvailable, .offerExpired, .noCapacity,
                    .assistanceStatusNotEligible, .missingFlags([.minor, .orphan]), .noMemberInAgeRange,
                    .householdSizeOutOfRange, .charityNotActive, .consentMissing, .duplicateAid,
                ]))
    }

    @Test func duplicateAidInsideTheLookBackWindow() throws {
        let verdict = Eligibility.evaluate(
            need: Self.need(household: 7), household: try Self.household(id: 7), offer: Self.offer(),
            context: Self.context)
        #expect(verdict == .ineligible([.duplicateAid]))
        var longAgo = Self.context
        longAgo.lookBackDays = 5
        #expect(
            Eligibility.evaluate(
                need: Self.need(household: 7), household: try Self.household(id: 7), offer: Self.offer(),
                context: longAgo)
                == .eligible(.exact))
    }

    @Test func banEndsAtItsDate() throws {
        var offer = Self.offer()
        offer.charity = CharityStanding(status: .banned(until: Self.now.addingTimeInterval(86_400)))
        #expect(
            Eligibility.evaluate(
                need: Self.need(), household: try Self.household(), offer: offer, context: Self.context)
                == .ineligible([.charityNotActive]))
        offer.charity = CharityStanding(status: .banned(until: Self.now.addingTimeInterval(-1)))
        #expect(
            Eligibility.evaluate(
                need: Self.need(), household: try Self.household(), offer: offer, context: Self.context)
                == .eligible(.exact))
    }

    @Test func siblingTownshipsNeverMatchAtAnyLevel() throws {
        let home = try #require(RegionCode("110105100001"))
        for prefix in ["11", "1101", "110105", "110105100", "110105100001"] {
            #expect(try #require(RegionScope(prefix: prefix)).contains(home), "\(prefix)")
        }
        for prefix in ["12", "1102", "110106", "110105101", "110105100002"] {
            #expect(try #require(RegionScope(prefix: prefix)).contains(home) == false, "\(prefix)")
        }
        for invalid in ["110", "1101051", "110105000", "11010510000", "abcdef"] {
            #expect(RegionScope(prefix: invalid) == nil, "\(invalid)")
        }
        let sibling = Self.offer(scopes: ["110105101"])
        let verdict = Eligibility.evaluate(
            need: Self.need(), household: try Self.household(region: "110105100001"), offer: sibling,
            context: Self.context)
        #expect(verdict == .ineligible([.outsideServiceArea]))
    }

    @Test func circleCoversByDistance() throws {
        var offer = Self.offer(scopes: [])
        offer.serviceArea = ServiceArea(
            circle: .init(center: GeoPoint(latitude: 31.30, longitude: 120.70), radiusKilometres: 10))
        #expect(
            Eligibility.evaluate(
                need: Self.need(), household: try Self.household(), offer: offer, context: Self.context)
                == .eligible(.exact))
        offer.serviceArea = ServiceArea(
            circle: .init(center: GeoPoint(latitude: 31.30, longitude: 120.70), radiusKilometres: 9))
        #expect(
            Eligibility.evaluate(
                need: Self.need(), household: try Self.household(), offer: offer, context: Self.context)
                == .ineligible([.outsideServiceArea]))
    }
}
