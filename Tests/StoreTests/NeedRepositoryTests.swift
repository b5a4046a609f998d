import Foundation
import Matching
import Postgres
import Store
import Testing

@Suite("Need repository")
struct NeedRepositoryTests {
    private static func repository(_ client: PostgresClient) -> NeedRepository {
        NeedRepository(client: client, today: { RepositoryFixtures.today })
    }

    /// A household of the seed without an open need in `category`.
    private static func household(_ client: PostgresClient, without category: Int64) async throws -> Int64 {
        try await client.query(
            """
            SELECT min(h.id) AS id FROM households h
             WHERE NOT EXISTS (SELECT 1 FROM needs n WHERE n.household_id = h.id AND n.category_id = $1
                                 AND n.status IN ('open', 'matched'))
            """, [category])[0].decode(Int64.self, "id")
    }

    @Test func recordUsesTheCategoryUnitAndRefusesASecondOpenNeed() async throws {
        try await RepositoryFixtures.with("needrecord") { client in
            let needs = Self.repository(client)
            let category = try await RepositoryFixtures.categoryID(client, "material.clothing_bedding")
            let household = try await Self.household(client, without: category)
            let need = try await needs.record(
                household: household, category: category,
                NeedDetails(quantity: 2, urgency: 4, isEmergency: true, neededBy: "2026-12-31", description: "冬被"),
                within: RepositoryFixtures.countyScope, by: .system)
            #expect(need.unit == "set" && need.status == .open && need.neededBy == "2026-12-31")
            #expect(try await needs.need(id: need.id, within: RepositoryFixtures.countyScope) == need)
            #expect(try await needs.need(id: need.id, within: RepositoryFixtures.elsewhere) == nil)
            #expect(try await RepositoryFixtures.audits(client, "need.record", need.id) == 1)
            await #expect(
                throws: StoreError.conflict(
                    .needAlreadyOpen(household: household, need: need.id, category: "material.clothing_bedding"))
            ) {
                _ = try await needs.record(
                    household: household, category: category, NeedDetails(quantity: 1), by: .system)
            }
            let listed = try await needs.list(
                within: RepositoryFixtures.countyScope, status: .open, category: category, household: household)
            #expect(listed.items.map(\.id) == [need.id])
        }
    }

    @Test func validationNamesTheFieldAndScopeHidesHouseholds() async throws {
        try await RepositoryFixtures.with("needinvalid") { client in
            let needs = Self.repository(client)
            let category = try await RepositoryFixtures.categoryID(client, "material.heating")
            let group = try await RepositoryFixtures.categoryID(client, "material")
            let household = try await Self.household(client, without: category)
            let before = try await RepositoryFixtures.allAudits(client)
            await #expect(throws: StoreError.invalid(field: "urgency", reason: "must be a whole number from 1 to 5")) {
                _ = try await needs.record(
                    household: household, category: category, NeedDetails(quantity: 1, urgency: 9), by: .system)
            }
            await #expect(throws: StoreError.invalid(field: "quantity", reason: "must be a whole number of at least 1"))
            {
                _ = try await needs.record(
                    household: household, category: category, NeedDetails(quantity: 0), by: .system)
            }
            await #expect(
                throws: StoreError.invalid(
                    field: "needed_by", reason: "must be today or a later date written yyyy-mm-dd")
            ) {
                _ = try await needs.record(
                    household: household, category: category, NeedDetails(quantity: 1, neededBy: "2020-01-01"),
                    by: .system)
            }
            await #expect(
                throws: StoreError.invalid(
                    field: "category_id", reason: "material is a group of categories; name one of them")
            ) {
                _ = try await needs.record(household: household, category: group, NeedDetails(quantity: 1), by: .system)
            }
            await #expect(throws: StoreError.notFound(entity: .household, id: String(household))) {
                _ = try await needs.record(
                    household: household, category: category, NeedDetails(quantity: 1),
                    within: RepositoryFixtures.elsewhere, by: .system)
            }
            #expect(try await RepositoryFixtures.allAudits(client) == before)
        }
    }

    @Test func updateNeedsTheCurrentVersionAndAnOpenNeed() async throws {
        try await RepositoryFixtures.with("needupdate") { client in
            let needs = Self.repository(client)
            let category = try await RepositoryFixtures.categoryID(client, "service.counselling")
            let household = try await Self.household(client, without: category)
            let need = try await needs.record(
                household: household, category: category, NeedDetails(quantity: 3), by: .system)
            let updated = try await needs.update(
                need: need.id, NeedDetails(quantity: 5, unit: "次", urgency: 5), ifVersion: need.version, by: .system)
            #expect(updated.quantity == 5 && updated.unit == "session" && updated.version == need.version + 1)
            await #expect(
                throws: StoreError.versionMismatch(entity: .need, id: String(need.id), current: updated.version)
            ) {
                _ = try await needs.update(
                    need: need.id, NeedDetails(quantity: 4), ifVersion: need.version, by: .system)
            }
            await #expect(throws: StoreError.notFound(entity: .need, id: String(need.id))) {
                _ = try await needs.update(
                    need: need.id, NeedDetails(quantity: 4), ifVersion: nil, within: RepositoryFixtures.elsewhere,
                    by: .system)
            }
            #expect(try await RepositoryFixtures.audits(client, "need.update", need.id) == 1)
            _ = try await needs.cancel(need: need.id, by: .system, reason: "household_moved")
            await #expect(
                throws: StoreError.invalidTransition(
                    entity: .need, id: String(need.id), from: "cancelled", action: "updated")
            ) {
                _ = try await needs.update(need: need.id, NeedDetails(quantity: 4), ifVersion: nil, by: .system)
            }
        }
    }

    @Test func cancellingCancelsLiveMatchesAndReleasesExactlyTheirUnits() async throws {
        try await RepositoryFixtures.with("needcancel") { client in
            let (offer, matches) = try await SeededCounty.offerWithProposals(capacity: 10, count: 3, client: client)
            let lifecycle = MatchRepository(client: client)
            _ = try await lifecycle.approve(match: matches[0], by: .system)
            _ = try await lifecycle.approve(match: matches[1], by: .system)
            let need = try #require(try await lifecycle.match(id: matches[0])).needID
            let needs = Self.repository(client)
            await #expect(
                throws: StoreError.invalid(
                    field: "reason_code",
                    reason: "must be one of: " + DecisionReasons.cancel.joined(separator: ", "))
            ) {
                _ = try await needs.cancel(need: need, by: .system, reason: "Moved Away")
            }
            let cancelled = try await needs.cancel(
                need: need, within: RepositoryFixtures.countyScope, by: .system, reason: "household_moved")
            #expect(cancelled.status == .cancelled && cancelled.closedAt != nil)
            #expect(try await lifecycle.match(id: matches[0])?.status == .cancelled)
            #expect(try await lifecycle.match(id: matches[0])?.reasonCode == "need_cancelled")
            #expect(try await lifecycle.match(id: matches[1])?.status == .approved)
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 1)
            #expect(try await RepositoryFixtures.audits(client, "need.cancel", need) == 1)
            #expect(try await RepositoryFixtures.audits(client, "match.cancel", matches[0]) == 1)
            await #expect(
                throws: StoreError.invalidTransition(
                    entity: .need, id: String(need), from: "cancelled", action: "cancelled")
            ) {
                _ = try await needs.cancel(need: need, by: .system, reason: "household_moved")
            }
        }
    }
}
