import Foundation
import Matching
import Postgres
import Store
import TestSupport
import Testing

@Suite("Delivery contacts and household references")
struct DeliveryContactTests {
    /// The offer's charity, and a household's id and contact columns, of a match.
    private static func parties(
        of match: Int64, _ client: PostgresClient
    ) async throws -> (
        charity: Int64, household: Int64, phone: String?, address: String?
    ) {
        let row = try await client.query(
            """
            SELECT o.charity_id, h.id AS household_id, h.contact_phone, h.address
              FROM matches m JOIN offers o ON o.id = m.offer_id JOIN needs n ON n.id = m.need_id
              JOIN households h ON h.id = n.household_id
             WHERE m.id = $1
            """, [match])[0]
        return (
            try row.decode(Int64.self, "charity_id"), try row.decode(Int64.self, "household_id"),
            try row.decode(String?.self, "contact_phone"),
            try row.decode(String?.self, "address")
        )
    }

    @Test func theOfferingCharitySeesHowToReachAnApprovedOrAcceptedHousehold() async throws {
        try await RepositoryFixtures.with("contact_shown") { client in
            let sealer = try SeededCounty.sealer
            let repository = MatchRepository(client: client, sealer: sealer)
            let (_, matches) = try await SeededCounty.offerWithProposals(capacity: 5, count: 2, client: client)
            let parties = try await Self.parties(of: matches[0], client)
            _ = try await repository.approve(match: matches[0], by: .system)
            let approved = try #require(
                try await repository.deliveryContact(match: matches[0], charity: parties.charity))
            #expect(
                approved
                    == DeliveryContact(
                        householdReference: sealer.householdReference(
                            household: parties.household, charity: parties.charity),
                        contactPhone: parties.phone, address: parties.address))
            #expect(approved.address != nil)
            _ = try await repository.apply(.accept, to: matches[0], by: .system)
            #expect(try await repository.deliveryContact(match: matches[0], charity: parties.charity) == approved)
        }
    }

    @Test func nothingIsShownToAnotherCharityBeforeApprovalAfterDeliveryOrWithoutConsent() async throws {
        try await RepositoryFixtures.with("contact_hidden") { client in
            let repository = MatchRepository(client: client, sealer: try SeededCounty.sealer)
            let (_, matches) = try await SeededCounty.offerWithProposals(capacity: 5, count: 3, client: client)
            let parties = try await Self.parties(of: matches[0], client)
            let other = try await client.query(
                "SELECT min(id) AS id FROM charities WHERE id <> $1", [parties.charity])[0].decode(Int64.self, "id")
            // A proposal is not yet the charity's business.
            #expect(try await repository.deliveryContact(match: matches[0], charity: parties.charity) == nil)
            for match in matches { _ = try await repository.approve(match: match, by: .system) }
            #expect(try await repository.deliveryContact(match: matches[0], charity: parties.charity) != nil)
            #expect(try await repository.deliveryContact(match: matches[0], charity: other) == nil)
            #expect(try await repository.deliveryContact(match: 9_999_999, charity: parties.charity) == nil)
            // Delivered: no longer needed.
            _ = try await repository.apply(.accept, to: matches[1], by: .system)
            _ = try await repository.apply(.deliver, to: matches[1], by: .system)
            #expect(try await repository.deliveryContact(match: matches[1], charity: parties.charity) == nil)
            // Consent withdrawn (set directly, so the match itself stays approved).
            let household = try await Self.parties(of: matches[2], client).household
            try await client.query(
                "UPDATE households SET consent_withdrawn_at = greatest(now(), consent_given_at) WHERE id = $1",
                [household])
            #expect(try await repository.deliveryContact(match: matches[2], charity: parties.charity) == nil)
        }
    }

    @Test func aRepositoryWithoutASealerRefusesByNamingIt() async throws {
        try await TestDatabase.with(label: "contact_sealer") { database in
            try await database.withClient { client in
                do {
                    _ = try await MatchRepository(client: client).deliveryContact(match: 1, charity: 1)
                    Issue.record("a repository without a sealer issued a contact")
                } catch StoreError.invalid(let field, _) {
                    #expect(field == "sealer")
                }
            }
        }
    }

    @Test func referencesAreStablePerCharityAndUnrelatedAcrossCharities() throws {
        let sealer = try SeededCounty.sealer
        // Pinned: an independent HMAC-SHA256 over "charity-match/household-reference/v1", a zero
        // byte and the two ids as big-endian 64-bit integers, first 50 bits in Crockford base 32.
        #expect(sealer.householdReference(household: 42, charity: 7) == "HH-NR854GED6A")
        let reference = sealer.householdReference(household: 42, charity: 7)
        #expect(reference.wholeMatch(of: /HH-[0-9A-HJKMNP-TV-Z]{10}/) != nil)
        #expect(sealer.householdReference(household: 42, charity: 7) == reference)
        #expect(sealer.householdReference(household: 42, charity: 8) != reference)
        #expect(sealer.householdReference(household: 43, charity: 7) != reference)
        let otherPepper = try IDNumberSealer(pepper: "another-pepper-0123456789")
        #expect(otherPepper.householdReference(household: 42, charity: 7) != reference)
        // One charity's references of many households do not collide.
        let references = Set((1...5000).map { sealer.householdReference(household: Int64($0), charity: 7) })
        #expect(references.count == 5000)
    }
}
