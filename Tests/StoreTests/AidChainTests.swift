import Foundation
import Matching
import Postgres
import TestSupport
import Testing

@testable import Store

@Suite("One aid chain per household: status endings, government aid, approval's duplicate check")
struct AidChainTests {
    /// An open material need of a consenting household that holds 低保, with its household.
    private static func dibaoNeed(_ client: PostgresClient) async throws -> (need: Int64, household: Int64) {
        let row = try await client.query(
            """
            SELECT n.id, n.household_id FROM needs n JOIN categories c ON c.id = n.category_id
              JOIN households h ON h.id = n.household_id
             WHERE n.status = 'open' AND c.code LIKE 'material.%' AND n.quantity >= 2
               AND 'dibao' = ANY (h.assistance_statuses)
               AND h.consent_given_at IS NOT NULL AND h.consent_withdrawn_at IS NULL
             ORDER BY n.id LIMIT 1
            """)[0]
        return (try row.decode(Int64.self, "id"), try row.decode(Int64.self, "household_id"))
    }

    /// A fresh offer for material aid, limited to `statuses` (empty: anyone).
    private static func offer(statuses: [String], _ client: PostgresClient) async throws -> Int64 {
        let (offer, _) = try await SeededCounty.offerWithProposals(capacity: 10, count: 0, client: client)
        try await client.query(
            "UPDATE offers SET eligible_statuses = $2::text[] WHERE id = $1", [offer, statuses])
        return offer
    }

    private static func households(_ client: PostgresClient) throws -> HouseholdRepository {
        HouseholdRepository(client: client, sealer: try SeededCounty.sealer)
    }

    @Test func anEndedStatusCancelsTheMatchesThatAskedForItAndKeepsTheNeedOpen() async throws {
        try await SeededCounty.with("status-ending") { _, client in
            let (need, household) = try await Self.dibaoNeed(client)
            let forDibao = try await Self.offer(statuses: ["dibao"], client)
            let forAnyone = try await Self.offer(statuses: [], client)
            let matches = MatchRepository(client: client)
            let approved = try await matches.insertUncheckedProposal(need: need, offer: forDibao, units: 1, by: .system)
            _ = try await matches.approve(match: approved.id, by: .system)
            let kept = try await matches.insertUncheckedProposal(need: need, offer: forAnyone, units: 1, by: .system)
            let repository = try Self.households(client)
            let caseworker = try await RepositoryFixtures.principal(
                client, .caseworker, scope: RepositoryFixtures.countyScope, login: "chain-caseworker")
            let before = try #require(try await repository.household(id: household))

            await #expect(
                throws: StoreError.invalid(
                    field: "reason", reason: "is required when the assistance statuses change: say why")
            ) {
                _ = try await repository.update(
                    household: household, expectedVersion: before.version,
                    HouseholdChanges(assistanceStatuses: ["temporary"]), by: caseworker)
            }
            let update = try await repository.update(
                household: household, expectedVersion: before.version,
                HouseholdChanges(assistanceStatuses: ["temporary"], reason: "收入超过低保标准，停发低保"), by: caseworker)
            #expect(update.endedStatuses == [.dibao])
            #expect(update.cancelledMatches == [approved.id] && update.cancelledNeeds.isEmpty)
            #expect(try await matches.match(id: approved.id)?.status == .cancelled)
            #expect(try await matches.match(id: approved.id)?.reasonCode == "status_ended")
            #expect(try await matches.match(id: kept.id)?.status == .proposed)
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [forDibao]) == 0)
            #expect(
                try await client.query("SELECT status FROM needs WHERE id = $1", [need])[0]
                    .decode(String.self, "status") == "open")
            let audit = try await client.query(
                """
                SELECT reason, details::text AS details FROM audit_log
                 WHERE action = 'household.update' AND entity_id = $1
                """, [String(household)])[0]
            #expect(try audit.decode(String.self, "reason") == "收入超过低保标准，停发低保")
            #expect(try audit.decode(String.self, "details").contains("\"ended_statuses\": [\"dibao\"]"))
        }
    }

    @Test func withNoStatusLeftTheOpenNeedsCloseWithTheirMatches() async throws {
        try await SeededCounty.with("status-none") { _, client in
            let (need, household) = try await Self.dibaoNeed(client)
            let offer = try await Self.offer(statuses: [], client)
            let matches = MatchRepository(client: client)
            let match = try await matches.insertUncheckedProposal(need: need, offer: offer, units: 1, by: .system)
            _ = try await matches.approve(match: match.id, by: .system)
            let open = try await SeededCounty.count(
                client, "SELECT count(*) FROM needs WHERE household_id = $1 AND status IN ('open', 'matched')",
                [household])
            let repository = try Self.households(client)
            let caseworker = try await RepositoryFixtures.principal(
                client, .caseworker, scope: RepositoryFixtures.countyScope, login: "chain-caseworker")
            let before = try #require(try await repository.household(id: household))
            let update = try await repository.update(
                household: household, expectedVersion: before.version,
                HouseholdChanges(assistanceStatuses: [], reason: "迁出本县"), by: caseworker)
            #expect(update.cancelledMatches == [match.id])
            #expect(update.cancelledNeeds.count == open && update.cancelledNeeds.contains(need))
            #expect(
                try await SeededCounty.count(
                    client,
                    "SELECT count(*) FROM needs WHERE household_id = $1 AND status IN ('open', 'matched')", [household])
                    == 0)
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 0)
            #expect(
                try await SeededCounty.count(
                    client, "SELECT count(*) FROM audit_log WHERE action = 'need.cancel' AND reason = 'status_ended'")
                    == open)
        }
    }

    @Test func approvalRefusesAMatchOnceAidOfItsKindArrivedButNotTheNeedsOwnDeliveries() async throws {
        try await SeededCounty.with("approval-duplicate") { _, client in
            let (need, household) = try await Self.dibaoNeed(client)
            let first = try await Self.offer(statuses: [], client)
            let second = try await Self.offer(statuses: [], client)
            let third = try await Self.offer(statuses: [], client)
            let matches = MatchRepository(client: client)
            let delivered = try await matches.insertUncheckedProposal(need: need, offer: first, units: 1, by: .system)
            _ = try await matches.approve(match: delivered.id, by: .system)
            _ = try await matches.apply(.accept, to: delivered.id, by: .system)
            _ = try await matches.apply(.deliver, to: delivered.id, by: .system)
            let sameNeed = try await matches.insertUncheckedProposal(need: need, offer: second, units: 1, by: .system)
            #expect(try await matches.approve(match: sameNeed.id, by: .system).status == .approved)

            let late = try await matches.insertUncheckedProposal(need: need, offer: third, units: 1, by: .system)
            let category = try await client.query("SELECT category_id FROM needs WHERE id = $1", [need])[0]
                .decode(Int64.self, "category_id")
            let caseworker = try await RepositoryFixtures.principal(
                client, .caseworker, scope: RepositoryFixtures.countyScope, login: "chain-caseworker")
            let today = try await client.query("SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text AS d")[0]
                .decode(String.self, "d")
            let aid = try await AidRecordRepository(client: client).recordGovernmentAid(
                household: household, GovernmentAid(categoryID: category, units: 1, givenOn: today), by: caseworker)
            await #expect(throws: StoreError.conflict(.duplicateAid(need: need, aid: aid.id))) {
                _ = try await matches.approve(match: late.id, by: .system)
            }
            #expect(try await matches.match(id: late.id)?.status == .proposed)
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [third]) == 0)

            // The chain shows both kinds of aid and every step, newest first, in the region only.
            let timeline = try await Self.households(client).timeline(household: household, by: caseworker)
            let kinds = timeline.map(\.kind)
            for kind in [
                "household.registered", "need.recorded", "match.propose", "match.approve", "match.deliver",
                "aid.charity", "aid.government",
            ] {
                #expect(kinds.contains(kind), "no \(kind) in \(kinds)")
            }
            #expect(timeline.map(\.at) == timeline.map(\.at).sorted(by: >))
            #expect(timeline.first { $0.kind == "aid.government" }?.aidID == aid.id)
            #expect(timeline.first { $0.kind == "aid.charity" }?.matchID == delivered.id)
            #expect(timeline.first { $0.kind == "match.deliver" }?.charityName != nil)
            let far = try await RepositoryFixtures.principal(
                client, .caseworker, scope: RepositoryFixtures.elsewhere, login: "far-caseworker")
            await #expect(throws: StoreError.notFound(entity: .household, id: String(household))) {
                _ = try await Self.households(client).timeline(household: household, by: far)
            }
        }
    }

    @Test func anAidFileIsCheckedRowByRowAndImportingItTwiceAddsNothing() async throws {
        try await SeededCounty.with("aid-import") { _, client in
            let cases = try await client.query("SELECT case_number FROM households ORDER BY id LIMIT 2").map {
                try $0.decode(String.self, "case_number")
            }
            let file = """
                case_number,category,amount,units,given_on,program,external_ref
                \(cases[0]),money.temporary_living,800.00,,2026-11-01,临时救助金,GOV-A1
                \(cases[1]),粮油,,2,2026-11-02,,
                NO-SUCH-CASE,money.temporary_living,100,,2026-11-01,,
                \(cases[0]),money.temporary_living,12.345,,2026-11-01,,
                \(cases[0]),money.temporary_living,100,,2999-01-01,,
                \(cases[1]),money.temporary_living,100,,2026-11-03,,GOV-A1

                """
            let importer = RosterImporter(client: client, logger: TestDatabase.logger)
            let caseworker = try await RepositoryFixtures.principal(
                client, .caseworker, scope: RepositoryFixtures.countyScope, login: "chain-caseworker")
            let before = try await SeededCounty.count(client, "SELECT count(*) FROM aid_records")
            let options = { (mode: ImportMode, principal: Principal) in
                RosterImporter.Options(mode: mode, scope: principal.regionLimit, actor: principal.actor)
            }
            let whole = try await importer.importAid(
                reading: RosterImporter.once(Array(file.utf8)), options: options(.allOrNothing, caseworker))
            #expect(whole.imported == 0 && whole.rowsRead == 6)
            #expect(
                whole.problems.map { "\($0.line):\($0.column ?? "")" } == [
                    "4:case_number", "5:amount", "6:given_on", "7:external_ref",
                ])
            #expect(try await SeededCounty.count(client, "SELECT count(*) FROM aid_records") == before)

            let partial = try await importer.importAid(
                reading: RosterImporter.once(Array(file.utf8)), options: options(.partial, caseworker))
            #expect(partial.imported == 2)
            #expect(try await SeededCounty.count(client, "SELECT count(*) FROM aid_records") == before + 2)
            let again = try await importer.importAid(
                reading: RosterImporter.once(Array(file.utf8)), options: options(.partial, caseworker))
            #expect(again.imported == 0)
            #expect(again.problems.contains { $0.line == 2 && $0.reason == "this aid is already recorded" })
            #expect(
                again.problems.contains { $0.line == 3 && $0.reason == "the same aid on this day is already recorded" })

            let far = try await RepositoryFixtures.principal(
                client, .caseworker, scope: RepositoryFixtures.elsewhere, login: "far-caseworker")
            let elsewhere = try await importer.importAid(
                reading: RosterImporter.once(Array(file.utf8)), options: options(.partial, far))
            #expect(elsewhere.imported == 0)
            #expect(elsewhere.problems.contains { $0.line == 3 && $0.column == "case_number" })
        }
    }
}
