import Foundation
import Matching
import Postgres
import TestSupport
import Testing

@testable import Store

@Suite("转介: a household sent to another office, a need referred to a charity")
struct TransferTests {
    private static let now = SeededCounty.asOf.addingTimeInterval(12 * 3600)

    /// A household with an open need and consent, its township's caseworker, a village of
    /// another township and that township's caseworker.
    private struct Setting {
        var household: Int64
        var need: Int64
        var village: String
        var sender: Principal
        var receiver: Principal
    }

    private static func staff(
        _ client: PostgresClient, _ login: String, role: UserRole, prefix: String?, charity: Int64? = nil
    ) async throws -> Principal {
        let user = try await UserRepository(client: client).create(
            login: login, name: "Staff", role: role, regionCode: prefix == nil ? nil : SeededCounty.county.digits,
            charityID: charity, by: .system)
        return Principal(
            userID: user.id, tokenID: 0, role: role, regionScope: prefix.flatMap { RegionScope(prefix: $0) },
            charityID: charity)
    }

    private static func setting(
        _ client: PostgresClient, need chosen: Int64? = nil, skip: Int = 0
    ) async throws
        -> Setting
    {
        let row = try await client.query(
            """
            SELECT n.id, n.household_id, h.region_code FROM needs n JOIN households h ON h.id = n.household_id
             WHERE ($1::bigint IS NULL AND n.status = 'open' AND h.consent_given_at IS NOT NULL
                    AND h.consent_withdrawn_at IS NULL) OR n.id = $1::bigint
             ORDER BY n.id OFFSET $2 LIMIT 1
            """, [chosen, skip])[0]
        let region = try row.decode(String.self, "region_code")
        let village = try await client.query(
            "SELECT min(code) AS code FROM regions WHERE level = 5 AND left(code, 9) <> left($1, 9)", [region]
        )[0].decode(String.self, "code")
        return Setting(
            household: try row.decode(Int64.self, "household_id"), need: try row.decode(Int64.self, "id"),
            village: village,
            sender: try await staff(client, "sender-\(skip)", role: .caseworker, prefix: String(region.prefix(9))),
            receiver: try await staff(client, "receiver-\(skip)", role: .caseworker, prefix: String(village.prefix(9))))
    }

    private static func attempt(
        _ body: @Sendable () async throws -> CaseTransfer
    ) async -> Result<CaseTransfer, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    private static func region(_ client: PostgresClient, _ household: Int64) async throws -> String {
        try await client.query("SELECT region_code FROM households WHERE id = $1", [household])[0]
            .decode(String.self, "region_code")
    }

    @Test func aHouseholdIsNeverInTwoRegions() async throws {
        try await RepositoryFixtures.with("transfer_move") { client in
            let s = try await Self.setting(client)
            let transfers = CaseTransferRepository(client: client, sealer: try SeededCounty.sealer)
            let households = HouseholdRepository(client: client, sealer: try SeededCounty.sealer)
            let origin = try await Self.region(client, s.household)
            let before = try await households.timeline(household: s.household, by: s.sender)
            let request = TransferRequest(kind: .household, householdID: s.household, toRegion: s.village, reason: "迁居")

            // Two sends at once: exactly one is pending, the other is refused.
            async let first = Self.attempt { try await transfers.send(request, by: s.sender) }
            async let second = Self.attempt { try await transfers.send(request, by: s.sender) }
            let outcomes = await [first, second]
            let sent = try #require(outcomes.compactMap { try? $0.get() }.first)
            #expect(outcomes.filter { (try? $0.get()) == nil }.count == 1)
            #expect(
                try await SeededCounty.count(
                    client, "SELECT count(*) FROM case_transfers WHERE household_id = $1 AND status = 'pending'",
                    [s.household]) == 1)
            await #expect(throws: StoreError.conflict(.transferPending(household: s.household, transfer: sent.id))) {
                _ = try await transfers.send(request, by: s.sender)
            }

            // While pending it stays with the sender; the receiver sees what it needs to decide.
            #expect(try await Self.region(client, s.household) == origin)
            let incoming = try await transfers.transfers(by: s.receiver, direction: .incoming)
            #expect(incoming.items.map(\.id) == [sent.id])
            #expect(incoming.items[0].caseNumber != nil && incoming.items[0].contact == nil)
            #expect(incoming.items[0].openNeedIDs.contains(s.need))
            #expect(try await transfers.transfers(by: s.receiver, direction: .outgoing).items.isEmpty)
            await #expect(throws: StoreError.notFound(entity: .household, id: String(s.household))) {
                _ = try await households.timeline(household: s.household, by: s.receiver)
            }
            let inbox = try await InboxRepository(client: client).messages(for: s.receiver)
            #expect(inbox.items.contains { $0.kind == "transfer.sent" && $0.entityID == String(sent.id) })

            // Only the receiver accepts.
            await #expect(
                throws: StoreError.forbidden(
                    role: "caseworker", action: .decideTransfer, scope: String(origin.prefix(9)))
            ) {
                _ = try await transfers.decide(.accept, transfer: sent.id, by: s.sender)
            }
            let accepted = try await transfers.decide(.accept, transfer: sent.id, by: s.receiver)
            #expect(accepted.status == .accepted && accepted.decidedBy == s.receiver.userID)

            // Now it is the receiving office's only: its needs and its whole history moved with it.
            #expect(try await Self.region(client, s.household) == s.village)
            await #expect(throws: StoreError.notFound(entity: .household, id: String(s.household))) {
                _ = try await households.timeline(household: s.household, by: s.sender)
            }
            #expect(try await households.household(id: s.household, within: s.sender.regionScope) == nil)
            let after = try await households.timeline(household: s.household, by: s.receiver)
            #expect(before.allSatisfy(after.contains))
            #expect(after.contains { $0.kind == "transfer.send" && $0.reason == "迁居" })
            #expect(after.contains { $0.kind == "transfer.accept" })
            #expect(
                try await SeededCounty.count(
                    client, "SELECT count(*) FROM needs WHERE id = $1 AND status = 'open'", [s.need]) == 1)
            #expect(try await RepositoryFixtures.audits(client, "transfer.accept", sent.id) == 1)
            let back = try await InboxRepository(client: client).messages(for: s.sender)
            #expect(back.items.contains { $0.kind == "transfer.accepted" && $0.entityID == String(sent.id) })
            // Accepting twice is refused and changes nothing.
            await #expect(
                throws: StoreError.invalidTransition(
                    entity: .transfer, id: String(sent.id), from: "accepted", action: "accepted")
            ) {
                _ = try await transfers.decide(.accept, transfer: sent.id, by: s.receiver)
            }
        }
    }

    @Test func aReturnLeavesEverythingWhereItWasAndAWithdrawalEndsIt() async throws {
        try await RepositoryFixtures.with("transfer_return") { client in
            let s = try await Self.setting(client)
            let transfers = CaseTransferRepository(client: client, sealer: try SeededCounty.sealer)
            let origin = try await Self.region(client, s.household)
            let request = TransferRequest(kind: .household, householdID: s.household, toRegion: s.village, reason: "迁居")
            let sent = try await transfers.send(request, by: s.sender)
            await #expect(
                throws: StoreError.invalid(field: "reason", reason: "is required to return a transfer: say why")
            ) {
                _ = try await transfers.decide(.return, transfer: sent.id, reason: " ", by: s.receiver)
            }
            let returned = try await transfers.decide(.return, transfer: sent.id, reason: "户籍未迁入", by: s.receiver)
            #expect(returned.status == .returned && returned.returnReason == "户籍未迁入")
            #expect(try await Self.region(client, s.household) == origin)
            let back = try await InboxRepository(client: client).messages(for: s.sender)
            #expect(back.items.contains { $0.kind == "transfer.returned" })
            let timeline = try await HouseholdRepository(client: client, sealer: try SeededCounty.sealer)
                .timeline(household: s.household, by: s.sender)
            #expect(timeline.contains { $0.kind == "transfer.return" && $0.reason == "户籍未迁入" })

            // Sent again, then withdrawn by the sender: the receiver can no longer accept it.
            let again = try await transfers.send(request, by: s.sender)
            await #expect(
                throws: StoreError.forbidden(
                    role: "caseworker", action: .withdrawTransfer, scope: s.receiver.regionScope?.prefix)
            ) {
                _ = try await transfers.decide(.withdraw, transfer: again.id, by: s.receiver)
            }
            #expect(try await transfers.decide(.withdraw, transfer: again.id, by: s.sender).status == .withdrawn)
            await #expect(
                throws: StoreError.invalidTransition(
                    entity: .transfer, id: String(again.id), from: "withdrawn", action: "accepted")
            ) {
                _ = try await transfers.decide(.accept, transfer: again.id, by: s.receiver)
            }
            #expect(try await Self.region(client, s.household) == origin)

            // Overdue pending transfers come first, marked.
            let late = try await transfers.send(request, by: s.sender)
            try await client.query(
                "UPDATE case_transfers SET sent_at = now() - interval '9 days', due_at = now() - interval '4 days' WHERE id = $1",
                [late.id])
            let listed = try await transfers.transfers(by: s.sender, direction: .outgoing)
            #expect(listed.items.first?.id == late.id && listed.items.first?.overdue == true)
            #expect(listed.items.dropFirst().allSatisfy { !$0.overdue })
        }
    }

    @Test func acceptingCancelsTheLiveMatchesAndReleasesTheirUnitsOnce() async throws {
        try await RepositoryFixtures.with("transfer_matches") { client in
            let (offer, _) = try await SeededCounty.offerWithProposals(capacity: 10, count: 0, client: client)
            let material = try await client.query(
                """
                SELECT n.id FROM needs n JOIN categories c ON c.id = n.category_id
                  JOIN households h ON h.id = n.household_id
                 WHERE n.status = 'open' AND c.code LIKE 'material.%' AND h.consent_given_at IS NOT NULL
                   AND h.consent_withdrawn_at IS NULL
                 ORDER BY n.id LIMIT 1
                """)[0].decode(Int64.self, "id")
            let s = try await Self.setting(client, need: material)
            let matches = MatchRepository(client: client)
            let match = try await matches.insertUncheckedProposal(need: s.need, offer: offer, units: 2, by: .system)
            _ = try await matches.approve(match: match.id, by: .system)
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 2)
            let transfers = CaseTransferRepository(client: client, sealer: try SeededCounty.sealer)
            let sent = try await transfers.send(
                TransferRequest(kind: .household, householdID: s.household, toRegion: s.village, reason: "搬迁"),
                by: s.sender)
            #expect(try await matches.match(id: match.id)?.status == .approved)
            _ = try await transfers.decide(.accept, transfer: sent.id, by: s.receiver)
            #expect(try await matches.match(id: match.id)?.status == .cancelled)
            #expect(try await matches.match(id: match.id)?.reasonCode == "household_moved")
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 0)
            _ = try? await transfers.decide(.accept, transfer: sent.id, by: s.receiver)
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 0)
            #expect(try await RepositoryFixtures.audits(client, "match.cancel", match.id) == 1)
        }
    }

    @Test func anAcceptedReferralTakesTheNeedOutOfRuns() async throws {
        try await RepositoryFixtures.with("transfer_referral") { client in
            let before = try await client.withTransaction { connection in
                try CandidateSet.load(scope: SeededCounty.county.scope, at: Self.now, lookBackDays: 90, on: connection)
            }
            let chosen = try #require(before.needs.first)
            let s = try await Self.setting(client, need: chosen.id)
            let charity = try await client.query("SELECT min(id) AS id FROM charities WHERE status = 'active'")[0]
                .decode(Int64.self, "id")
            let other = try await client.query(
                "SELECT max(id) AS id FROM charities WHERE status = 'active' AND id <> $1", [charity]
            )[0].decode(Int64.self, "id")
            let staff = try await Self.staff(client, "charity-staff", role: .charity, prefix: nil, charity: charity)
            let stranger = try await Self.staff(client, "other-staff", role: .charity, prefix: nil, charity: other)
            let transfers = CaseTransferRepository(client: client, sealer: try SeededCounty.sealer)
            await #expect(throws: StoreError.forbidden(role: "charity", action: .sendTransfer, scope: nil)) {
                _ = try await transfers.send(
                    TransferRequest(kind: .referral, needID: s.need, toCharityID: charity, reason: "x"), by: staff)
            }
            let sent = try await transfers.send(
                TransferRequest(kind: .referral, needID: s.need, toCharityID: charity, reason: "需要上门照料"),
                by: s.sender)
            let seen = try await transfers.transfer(id: sent.id, by: staff)
            #expect(seen.caseNumber == nil && seen.contact == nil && seen.needID == s.need)
            await #expect(throws: StoreError.notFound(entity: .transfer, id: String(sent.id))) {
                _ = try await transfers.transfer(id: sent.id, by: stranger)
            }
            await #expect(throws: StoreError.notFound(entity: .transfer, id: String(sent.id))) {
                _ = try await transfers.decide(.accept, transfer: sent.id, by: stranger)
            }
            await #expect(throws: StoreError.notFound(entity: .transfer, id: String(sent.id))) {
                _ = try await transfers.decide(.accept, transfer: sent.id, by: s.receiver)
            }
            let accepted = try await transfers.decide(.accept, transfer: sent.id, by: staff)
            #expect(accepted.status == .accepted && accepted.contact?.householdReference.hasPrefix("HH-") == true)
            let after = try await client.withTransaction { connection in
                try CandidateSet.load(scope: SeededCounty.county.scope, at: Self.now, lookBackDays: 90, on: connection)
            }
            #expect(!after.needs.contains { $0.id == s.need })
            #expect(after.needs.count == before.needs.count - 1)
            let ranked = try await CandidateRanking(client: client).candidates(
                forNeed: s.need, within: nil, policyName: nil, limit: 10, includeIneligible: true, asOf: Self.now)
            #expect(ranked.ranked.isEmpty)
            #expect(ranked.ineligible.allSatisfy { $0.reasons.contains { $0.code == "need_referred" } })
            // The household stays where it was, and may be sent on again.
            #expect(
                try await SeededCounty.count(client, "SELECT count(*) FROM case_transfers WHERE status = 'pending'")
                    == 0)
        }
    }

    @Test func sendsKeepToTheCallersRegionRoleAndTheRules() async throws {
        try await RepositoryFixtures.with("transfer_refusals") { client in
            let s = try await Self.setting(client)
            let transfers = CaseTransferRepository(client: client, sealer: try SeededCounty.sealer)
            let coordinator = try await Self.staff(client, "coordinator", role: .coordinator, prefix: "320508")
            let elsewhere = try await Self.staff(client, "elsewhere", role: .caseworker, prefix: "320509")
            let request = TransferRequest(kind: .household, householdID: s.household, toRegion: s.village, reason: "迁居")
            await #expect(throws: StoreError.forbidden(role: "coordinator", action: .sendTransfer, scope: nil)) {
                _ = try await transfers.send(request, by: coordinator)
            }
            await #expect(throws: StoreError.notFound(entity: .household, id: String(s.household))) {
                _ = try await transfers.send(request, by: elsewhere)
            }
            let origin = try await Self.region(client, s.household)
            var own = request
            own.toRegion = origin
            await #expect(
                throws: StoreError.invalid(
                    field: "to_region",
                    reason: "lies in the household's own township; a transfer goes to another office")
            ) {
                _ = try await transfers.send(own, by: s.sender)
            }
            var township = request
            township.toRegion = String(s.village.prefix(9)) + "000"
            await #expect(
                throws: StoreError.invalid(field: "to_region", reason: "must be the 12-digit code of a village")
            ) {
                _ = try await transfers.send(township, by: s.sender)
            }
            var blank = request
            blank.reason = "  "
            await #expect(throws: StoreError.invalid(field: "reason", reason: "is required")) {
                _ = try await transfers.send(blank, by: s.sender)
            }
            let sent = try await transfers.send(request, by: s.sender)
            await #expect(throws: StoreError.notFound(entity: .transfer, id: String(sent.id))) {
                _ = try await transfers.transfer(id: sent.id, by: elsewhere)
            }
            // A coordinator over both townships reads it but cannot decide it.
            #expect(try await transfers.transfer(id: sent.id, by: coordinator).id == sent.id)
            await #expect(throws: StoreError.forbidden(role: "coordinator", action: .decideTransfer, scope: nil)) {
                _ = try await transfers.decide(.accept, transfer: sent.id, by: coordinator)
            }
            #expect(try await RepositoryFixtures.audits(client, "transfer.send", sent.id) == 1)
        }
    }
}
