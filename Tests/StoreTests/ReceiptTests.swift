import Foundation
import Matching
import Postgres
import Testing

@testable import Store

@Suite("Receipts: a delivery confirmed or disputed once, a dispute opening a complaint")
struct ReceiptTests {
    @Test func aDeliveryIsPendingUntilConfirmedOnceAndThenCountsAsConfirmed() async throws {
        try await SeededCounty.with("receipt-confirm") { _, client in
            let delivered = try await SeededCounty.deliveredMatch("confirm", client)
            let repository = MatchRepository(client: client)
            let before = try #require(try await repository.match(id: delivered.match))
            #expect(before.receipt?.status == .pending)
            let confirmed = try await repository.confirmReceipt(
                match: delivered.match, by: delivered.caseworker, expectedVersion: before.version)
            #expect(confirmed.receipt?.status == .confirmed && confirmed.version == before.version + 1)
            #expect(confirmed.receipt?.reviewedBy == delivered.caseworker.userID)
            #expect(try await RepositoryFixtures.audits(client, "match.receipt_confirm", delivered.match) == 1)
            await #expect(throws: StoreError.conflict(.receiptReviewed(match: delivered.match))) {
                try await repository.confirmReceipt(match: delivered.match, by: delivered.caseworker)
            }
            await #expect(throws: StoreError.conflict(.receiptReviewed(match: delivered.match))) {
                try await repository.disputeReceipt(match: delivered.match, reason: "late", by: delivered.caseworker)
            }
            let charity = try #require(delivered.charity.charityID)
            let standing = try await CharityRepository(client: client).standing(of: charity)
            #expect(standing.confirmedMatches == 1 && standing.confirmedUnits == 1 && standing.disputedMatches == 0)
        }
    }

    @Test func aDisputeOpensAComplaintAndTellsTheCharityAndTheCoordinators() async throws {
        try await SeededCounty.with("receipt-dispute") { _, client in
            let delivered = try await SeededCounty.deliveredMatch("dispute", client)
            let disputed = try await MatchRepository(client: client).disputeReceipt(
                match: delivered.match, reason: "  只收到一半  ", by: delivered.caseworker)
            #expect(disputed.receipt?.status == .disputed && disputed.receipt?.disputeReason == "只收到一半")
            let complaints = try await ComplaintRepository(client: client).list(for: delivered.coordinator).items
            #expect(complaints.count == 1)
            let complaint = try #require(complaints.first)
            #expect(complaint.subject == .match(delivered.match) && complaint.category == .deliveryDisputed)
            #expect(complaint.regionCode == delivered.region && complaint.status == .open)
            #expect(complaint.raisedBy == delivered.caseworker.userID && complaint.raisedRole == .caseworker)
            #expect(abs(complaint.dueAt.timeIntervalSince(complaint.raisedAt) - 14 * 86_400) < 1)
            let inbox = InboxRepository(client: client)
            #expect(try await inbox.messages(for: delivered.charity).items.map(\.kind) == ["match.receipt_disputed"])
            #expect(try await inbox.messages(for: delivered.coordinator).items.map(\.kind) == ["complaint.raised"])
        }
    }

    @Test func aFailingDisputeLeavesNothingBehind() async throws {
        try await SeededCounty.with("receipt-atomic") { _, client in
            let delivered = try await SeededCounty.deliveredMatch("atomic", client)
            let repository = MatchRepository(client: client)
            await #expect(throws: StoreError.invalid(field: "reason", reason: "is required")) {
                try await repository.disputeReceipt(match: delivered.match, reason: " ", by: delivered.caseworker)
            }
            // A dispute whose complaint cannot be written (one is already on file) rolls back whole.
            try await client.query(
                """
                INSERT INTO complaints (subject_type, match_id, charity_id, category, body, raised_role, due_at)
                SELECT 'match', m.id, o.charity_id, 'delivery_disputed', 'earlier', 'admin', now() + interval '1 day'
                  FROM matches m JOIN offers o ON o.id = m.offer_id WHERE m.id = $1
                """, [delivered.match])
            await #expect(throws: (any Error).self) {
                try await repository.disputeReceipt(match: delivered.match, reason: "late", by: delivered.caseworker)
            }
            #expect(try await repository.match(id: delivered.match)?.receipt?.status == .pending)
            #expect(try await RepositoryFixtures.audits(client, "match.receipt_dispute", delivered.match) == 0)
            #expect(try await SeededCounty.count(client, "SELECT count(*) FROM complaints") == 1)
            #expect(try await SeededCounty.count(client, "SELECT count(*) FROM inbox_messages") == 0)
        }
    }

    @Test func onlyTheHouseholdsCaseworkersReviewAndOnlyADelivery() async throws {
        try await SeededCounty.with("receipt-scope") { _, client in
            let delivered = try await SeededCounty.deliveredMatch("scope", client)
            let repository = MatchRepository(client: client)
            let far = try await SeededCounty.person(
                "cw-far", .caseworker, region: try await SeededCounty.otherTownship(than: delivered.region, client),
                client)
            await #expect(throws: StoreError.notFound(entity: .match, id: String(delivered.match))) {
                try await repository.confirmReceipt(match: delivered.match, by: far)
            }
            await #expect(throws: StoreError.forbidden(role: "charity", action: .reviewReceipt, scope: nil)) {
                try await repository.confirmReceipt(match: delivered.match, by: delivered.charity)
            }
            await #expect(throws: StoreError.forbidden(role: "coordinator", action: .reviewReceipt, scope: nil)) {
                try await repository.confirmReceipt(match: delivered.match, by: delivered.coordinator)
            }
            let current = try #require(try await repository.match(id: delivered.match))
            await #expect(
                throws: StoreError.versionMismatch(
                    entity: .match, id: String(delivered.match), current: current.version)
            ) {
                try await repository.confirmReceipt(
                    match: delivered.match, by: delivered.caseworker, expectedVersion: current.version - 1)
            }
            let (_, proposals) = try await SeededCounty.offerWithProposals(capacity: 2, count: 1, client: client)
            let proposal = try #require(proposals.first)
            let admin = Principal(userID: 1, tokenID: nil, role: .admin, regionScope: nil, charityID: nil)
            await #expect(
                throws: StoreError.invalidTransition(
                    entity: .match, id: String(proposal), from: "proposed", action: "confirmed")
            ) {
                try await repository.confirmReceipt(match: proposal, by: admin)
            }
        }
    }
}
