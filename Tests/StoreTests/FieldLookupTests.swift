import Foundation
import Matching
import Postgres
import Store
import Testing

/// The reads the caseworker's and the charity's dashboard pages add: a household by its
/// case number, region names for a page of households, and a charity's latest decisions.
@Suite("Field page lookups")
struct FieldLookupTests {
    @Test func aHouseholdIsFoundByCaseNumberOnlyInsideTheScope() async throws {
        try await RepositoryFixtures.with("casenumber") { client in
            let households = HouseholdRepository(client: client, sealer: try SeededCounty.sealer)
            let row = try await client.query("SELECT id, case_number FROM households ORDER BY id LIMIT 1")[0]
            let id = try row.decode(Int64.self, "id")
            let caseNumber = try row.decode(String.self, "case_number")
            let found = try await households.household(caseNumber: caseNumber, within: RepositoryFixtures.countyScope)
            #expect(found?.id == id)
            #expect(try await households.household(caseNumber: caseNumber) == found)
            #expect(try await households.household(caseNumber: caseNumber, within: RepositoryFixtures.elsewhere) == nil)
            #expect(try await households.household(caseNumber: caseNumber + "-x") == nil)
        }
    }

    @Test func regionNamesComeByCodeAndUnknownCodesAreLeftOut() async throws {
        try await RepositoryFixtures.with("regionnames") { client in
            let village = try await RepositoryFixtures.village(client)
            let name = try await client.query("SELECT name FROM regions WHERE code = $1", [village])[0]
                .decode(String.self, "name")
            let regions = RegionRepository(client: client)
            #expect(try await regions.names(of: [village, "999999999999"]) == [village: name])
            #expect(try await regions.names(of: []).isEmpty)
        }
    }

    @Test func recentMatchesComeLatestDecisionFirstAndOnlyTheCharitys() async throws {
        try await RepositoryFixtures.with("recentmatches") { client in
            let (offer, ids) = try await SeededCounty.offerWithProposals(capacity: 10, count: 4, client: client)
            let charity = try await client.query("SELECT charity_id FROM offers WHERE id = $1", [offer])[0]
                .decode(Int64.self, "charity_id")
            let other = try await client.query("SELECT min(id) AS id FROM charities WHERE id <> $1", [charity])[0]
                .decode(Int64.self, "id")
            let matches = MatchRepository(client: client)
            for id in ids {
                _ = try await matches.approve(match: id, by: .system)
                _ = try await matches.apply(.accept, to: id, by: .system)
            }
            for id in [ids[2], ids[0], ids[3]] { _ = try await matches.apply(.deliver, to: id, by: .system) }
            let delivered = try await matches.recent(MatchFilter(status: .delivered, charity: charity), limit: 2)
            #expect(delivered.map(\.id) == [ids[3], ids[0]])
            let all = try await matches.recent(MatchFilter(charity: charity), limit: 10)
            #expect(all.map(\.id) == [ids[3], ids[0], ids[2], ids[1]])
            #expect(try await matches.recent(MatchFilter(offer: offer, charity: other), limit: 10).isEmpty)
            await #expect(throws: StoreError.invalid(field: "limit", reason: "must be between 1 and 500")) {
                _ = try await matches.recent(MatchFilter(charity: charity), limit: 0)
            }
        }
    }
}
