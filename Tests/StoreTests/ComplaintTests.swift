import Foundation
import Matching
import Postgres
import Testing

@testable import Store

@Suite("Complaints: raised about what one sees, handled in the region with an outcome")
struct ComplaintTests {
    @Test func aComplaintIsRaisedOnlyAboutWhatTheRaiserSeesAndRoutedToTheHouseholdsRegion() async throws {
        try await SeededCounty.with("complaint-raise") { _, client in
            let delivered = try await SeededCounty.deliveredMatch("raise", client)
            let complaints = ComplaintRepository(client: client)
            let charity = try #require(delivered.charity.charityID)
            let raised = try await complaints.raise(
                ComplaintDraft(
                    subject: .match(delivered.match), category: .poorQuality, text: "米已发霉", evidenceNote: "照片在所里"),
                by: delivered.caseworker)
            #expect(raised.charityID == charity && raised.regionCode == delivered.region)
            #expect(try await RepositoryFixtures.audits(client, "complaint.raise", raised.id) == 1)
            let far = try await SeededCounty.person(
                "cw-far", .caseworker, region: try await SeededCounty.otherTownship(than: delivered.region, client),
                client)
            await #expect(throws: StoreError.notFound(entity: .match, id: String(delivered.match))) {
                try await complaints.raise(
                    ComplaintDraft(subject: .match(delivered.match), category: .other, text: "x"), by: far)
            }
            await #expect(throws: StoreError.invalid(field: "text", reason: "is required")) {
                try await complaints.raise(
                    ComplaintDraft(subject: .charity(charity), category: .other, text: "  "), by: far)
            }
            await #expect(
                throws: StoreError.invalid(
                    field: "category", reason: "delivery_disputed is opened by disputing a delivery's receipt")
            ) {
                try await complaints.raise(
                    ComplaintDraft(subject: .charity(charity), category: .deliveryDisputed, text: "x"), by: far)
            }
            let other = try await client.query("SELECT min(id) AS id FROM charities WHERE id <> $1", [charity])[0]
                .decode(Int64.self, "id")
            await #expect(throws: StoreError.notFound(entity: .charity, id: String(other))) {
                try await complaints.raise(
                    ComplaintDraft(subject: .charity(other), category: .misconduct, text: "x"), by: delivered.charity)
            }
            // Routed by the raiser's region when the subject is not a household's.
            let aboutCharity = try await complaints.raise(
                ComplaintDraft(subject: .charity(charity), category: .misconduct, text: "收费"), by: far)
            #expect(aboutCharity.regionCode?.hasPrefix(String(far.regionScope?.prefix ?? "-")) == true)
            // Who reads what: the county's coordinator both; the charity both (about it); each raiser theirs.
            #expect(try await complaints.list(for: delivered.coordinator).items.count == 2)
            #expect(try await complaints.list(for: delivered.charity).items.count == 2)
            #expect(try await complaints.list(for: far).items.map(\.id) == [aboutCharity.id])
            #expect(try await complaints.complaint(id: raised.id, visibleTo: far) == nil)
            #expect(try await complaints.complaint(id: raised.id, visibleTo: delivered.caseworker)?.id == raised.id)
        }
    }

    @Test func handlingNeedsAnOutcomeTheRegionAndAnOpenComplaint() async throws {
        try await SeededCounty.with("complaint-resolve") { _, client in
            let delivered = try await SeededCounty.deliveredMatch("resolve", client)
            let complaints = ComplaintRepository(client: client)
            let raised = try await complaints.raise(
                ComplaintDraft(subject: .match(delivered.match), category: .notDelivered, text: "没收到"),
                by: delivered.caseworker)
            await #expect(throws: StoreError.invalid(field: "outcome", reason: "is required")) {
                try await complaints.resolve(
                    complaint: raised.id, as: .resolved, outcome: " ", by: delivered.coordinator)
            }
            await #expect(throws: StoreError.invalid(field: "resolution", reason: "must be resolved or dismissed")) {
                try await complaints.resolve(complaint: raised.id, as: .open, outcome: "x", by: delivered.coordinator)
            }
            await #expect(throws: StoreError.forbidden(role: "caseworker", action: .handleComplaint, scope: nil)) {
                try await complaints.resolve(
                    complaint: raised.id, as: .resolved, outcome: "x", by: delivered.caseworker)
            }
            let farCoordinator = try await SeededCounty.person(
                "co-far", .coordinator, region: try await SeededCounty.otherTownship(than: delivered.region, client),
                client)
            await #expect(throws: StoreError.notFound(entity: .complaint, id: String(raised.id))) {
                try await complaints.resolve(complaint: raised.id, as: .resolved, outcome: "x", by: farCoordinator)
            }
            let resolved = try await complaints.resolve(
                complaint: raised.id, as: .resolved, outcome: "已补发", by: delivered.coordinator)
            #expect(resolved.status == .resolved && resolved.outcome == "已补发")
            #expect(resolved.handledBy == delivered.coordinator.userID && resolved.handledAt != nil)
            #expect(try await RepositoryFixtures.audits(client, "complaint.resolved", raised.id) == 1)
            let inbox = InboxRepository(client: client)
            #expect(try await inbox.messages(for: delivered.caseworker).items.map(\.kind) == ["complaint.resolved"])
            #expect(try await inbox.messages(for: delivered.charity).items.map(\.kind) == ["complaint.resolved"])
            await #expect(
                throws: StoreError.invalidTransition(
                    entity: .complaint, id: String(raised.id), from: "resolved", action: "handled again")
            ) {
                try await complaints.resolve(
                    complaint: raised.id, as: .dismissed, outcome: "x", by: delivered.coordinator)
            }
        }
    }

    @Test func overdueIsOpenPastTheTimeLimitAndTheCountPerCharityIsPublic() async throws {
        try await SeededCounty.with("complaint-overdue") { _, client in
            let delivered = try await SeededCounty.deliveredMatch("overdue", client)
            let complaints = ComplaintRepository(client: client)
            let charity = try #require(delivered.charity.charityID)
            var raised: [Int64] = []
            for text in ["一", "二", "三"] {
                raised.append(
                    try await complaints.raise(
                        ComplaintDraft(subject: .charity(charity), category: .other, text: text),
                        by: delivered.coordinator
                    ).id)
            }
            try await client.query(
                """
                UPDATE complaints SET raised_at = now() - interval '20 days', due_at = now() - interval '6 days'
                 WHERE id = ANY($1::bigint[])
                """, [raised.prefix(2).map { Int($0) }])
            _ = try await complaints.resolve(
                complaint: raised[0], as: .dismissed, outcome: "查无实据", by: delivered.coordinator)
            let overdue = try await complaints.list(ComplaintFilter(overdueOnly: true), for: delivered.coordinator)
            #expect(overdue.items.map(\.id) == [raised[1]] && overdue.items.allSatisfy(\.overdue))
            let open = try await complaints.list(ComplaintFilter(status: .open), for: delivered.coordinator)
            #expect(open.items.map(\.id) == [raised[2], raised[1]])
            #expect(try await complaints.count(aboutCharity: charity) == ComplaintCount(open: 2, total: 3))
            let standing = try await CharityRepository(client: client).standing(of: charity)
            #expect(standing.complaints == ComplaintCount(open: 2, total: 3))
        }
    }
}
