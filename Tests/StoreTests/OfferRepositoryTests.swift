import Foundation
import Matching
import Postgres
import Store
import Testing

@Suite("Offer repository")
struct OfferRepositoryTests {
    private static let terms = OfferTerms(
        title: "冬季棉被", capacity: 10, unitValue: Decimal(string: "120.50"), serviceRegionPrefixes: ["320508"],
        eligibleStatuses: [.dibao, .tekun], memberAges: 60...150)

    private static func activeCharity(_ client: PostgresClient) async throws -> Int64 {
        try await client.query("SELECT min(id) AS id FROM charities WHERE status = 'active'")[0].decode(
            Int64.self, "id")
    }

    @Test func createReadAndList() async throws {
        try await RepositoryFixtures.with("offercreate") { client in
            let offers = OfferRepository(client: client)
            let charity = try await Self.activeCharity(client)
            let category = try await RepositoryFixtures.categoryID(client, "material.clothing_bedding")
            let offer = try await offers.create(charity: charity, category: category, Self.terms, by: .system)
            #expect(offer.terms.unit == "set" && offer.status == .open && offer.allocated == 0)
            #expect(offer.terms.memberAges == 60...150 && offer.terms.unitValue == Decimal(string: "120.5"))
            #expect(try await offers.offer(id: offer.id) == offer)
            #expect(try await offers.offer(id: offer.id, charity: charity) == offer)
            #expect(try await offers.offer(id: offer.id, charity: charity + 1) == nil)
            #expect(try await RepositoryFixtures.audits(client, "offer.create", offer.id) == 1)
            let mine = try await offers.list(charity: charity, page: PageRequest(limit: 500))
            #expect(mine.items.contains(offer) && mine.items.allSatisfy { $0.charityID == charity })
            let township = try #require(RegionScope(prefix: "320508001"))
            let serving = try await offers.list(serving: township, page: PageRequest(limit: 500))
            #expect(serving.items.contains { $0.id == offer.id })
            let elsewhere = try await offers.list(serving: RepositoryFixtures.elsewhere)
            #expect(elsewhere.items.isEmpty)
        }
    }

    @Test func validationNamesTheField() async throws {
        try await RepositoryFixtures.with("offerinvalid") { client in
            let offers = OfferRepository(client: client)
            let charity = try await Self.activeCharity(client)
            let category = try await RepositoryFixtures.categoryID(client, "material.food")
            let before = try await RepositoryFixtures.allAudits(client)
            var trimmedZeros = Self.terms
            trimmedZeros.serviceRegionPrefixes = ["3205080"]
            await #expect(
                throws: StoreError.invalid(
                    field: "service_region_prefixes",
                    reason: "3205080 is not a region prefix (2, 4, 6, 9 or 12 digits of a region code, such as 320508)")
            ) {
                _ = try await offers.create(charity: charity, category: category, trimmedZeros, by: .system)
            }
            var nowhere = Self.terms
            nowhere.serviceRegionPrefixes = []
            await #expect(
                throws: StoreError.invalid(
                    field: "service_region_prefixes", reason: "name at least one region or a service circle")
            ) {
                _ = try await offers.create(charity: charity, category: category, nowhere, by: .system)
            }
            nowhere.serviceCircle = ServiceCircle(
                center: GeoPoint(latitude: 31.3, longitude: 120.6), radiusKilometres: 5)
            let circled = try await offers.create(charity: charity, category: category, nowhere, by: .system)
            #expect(circled.terms.serviceCircle?.radiusKilometres == 5)
            var empty = Self.terms
            empty.capacity = 0
            await #expect(throws: StoreError.invalid(field: "capacity", reason: "must be a whole number of at least 1"))
            {
                _ = try await offers.create(charity: charity, category: category, empty, by: .system)
            }
            let suspended = try await CharityRepository(client: client).suspend(
                charity: charity, by: .system, reason: "核查")
            await #expect(
                throws: StoreError.conflict(.notActive(.charity, id: suspended.id, status: "suspended"))
            ) {
                _ = try await offers.create(charity: charity, category: category, Self.terms, by: .system)
            }
            #expect(try await RepositoryFixtures.allAudits(client) == before + 2)
        }
    }

    @Test func updateGuardsVersionOwnerAndAllocatedCapacity() async throws {
        try await RepositoryFixtures.with("offerupdate") { client in
            let (offerID, matches) = try await SeededCounty.offerWithProposals(capacity: 5, count: 3, client: client)
            let lifecycle = MatchRepository(client: client)
            for match in matches { _ = try await lifecycle.approve(match: match, by: .system) }
            let offers = OfferRepository(client: client)
            let offer = try #require(try await offers.offer(id: offerID))
            var terms = offer.terms
            terms.capacity = 2
            await #expect(
                throws: StoreError.conflict(.belowCommitted(.offer, id: offerID, units: 3))
            ) {
                _ = try await offers.update(offer: offerID, terms, ifVersion: offer.version, by: .system)
            }
            await #expect(throws: StoreError.notFound(entity: .offer, id: String(offerID))) {
                _ = try await offers.update(
                    offer: offerID, terms, ifVersion: offer.version, charity: offer.charityID + 1, by: .system)
            }
            terms.capacity = 3
            let updated = try await offers.update(
                offer: offerID, terms, ifVersion: offer.version, charity: offer.charityID, by: .system)
            #expect(updated.terms.capacity == 3 && updated.remaining == 0 && updated.version == offer.version + 1)
            await #expect(
                throws: StoreError.versionMismatch(entity: .offer, id: String(offerID), current: updated.version)
            ) {
                _ = try await offers.update(offer: offerID, terms, ifVersion: offer.version, by: .system)
            }
            #expect(try await RepositoryFixtures.audits(client, "offer.update", offerID) == 1)
        }
    }

    @Test func pauseResumeClose() async throws {
        try await RepositoryFixtures.with("offerstatus") { client in
            let offers = OfferRepository(client: client)
            let charity = try await Self.activeCharity(client)
            let category = try await RepositoryFixtures.categoryID(client, "material.clothing_bedding")
            let id = try await offers.create(charity: charity, category: category, Self.terms, by: .system).id
            #expect(try await offers.pause(offer: id, charity: charity, by: .system).status == .paused)
            await #expect(
                throws: StoreError.invalidTransition(entity: .offer, id: String(id), from: "paused", action: "paused")
            ) {
                _ = try await offers.pause(offer: id, by: .system)
            }
            #expect(try await offers.resume(offer: id, by: .system).status == .open)
            #expect(try await offers.close(offer: id, by: .system).status == .closed)
            await #expect(
                throws: StoreError.invalidTransition(entity: .offer, id: String(id), from: "closed", action: "resumed")
            ) {
                _ = try await offers.resume(offer: id, by: .system)
            }
            for action in ["offer.pause", "offer.resume", "offer.close"] {
                #expect(try await RepositoryFixtures.audits(client, action, id) == 1)
            }
        }
    }
}
