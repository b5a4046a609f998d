import Foundation
import Matching
import Postgres
import TestSupport
import Testing

@testable import Store

@Suite("Delivery reports: units, day and the receiver's confirmation")
struct DeliveryReportTests {
    /// An accepted match of `units` on a fresh offer of the first active charity, and a
    /// principal of that charity.
    private static func acceptedMatch(
        units: Int, _ client: PostgresClient
    ) async throws -> (match: Int64, offer: Int64, charity: Principal) {
        let (offer, _) = try await SeededCounty.offerWithProposals(capacity: 10, count: 0, client: client)
        let need = try await client.query(
            """
            SELECT n.id FROM needs n JOIN categories c ON c.id = n.category_id
              JOIN households h ON h.id = n.household_id
             WHERE n.status = 'open' AND c.code LIKE 'material.%' AND n.quantity >= $1
               AND h.consent_given_at IS NOT NULL AND h.consent_withdrawn_at IS NULL
             ORDER BY n.id LIMIT 1
            """, [units])[0].decode(Int64.self, "id")
        let repository = MatchRepository(client: client)
        let match = try await repository.insertUncheckedProposal(need: need, offer: offer, units: units, by: .system)
        _ = try await repository.approve(match: match.id, by: .system)
        _ = try await repository.apply(.accept, to: match.id, by: .system)
        let charityID = try await client.query("SELECT charity_id FROM offers WHERE id = $1", [offer])[0]
            .decode(Int64.self, "charity_id")
        let user = try await UserRepository(client: client).create(
            login: "deliverer-\(match.id)", name: "Deliverer", role: .charity, charityID: charityID, by: .system)
        let principal = Principal(
            userID: user.id, tokenID: 0, role: .charity, regionScope: nil, charityID: charityID)
        return (match.id, offer, principal)
    }

    private static func today(_ client: PostgresClient) async throws -> String {
        try await client.query("SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text AS d")[0]
            .decode(String.self, "d")
    }

    @Test func aPartialDeliveryGivesTheReportedUnitsAndReturnsTheRest() async throws {
        try await SeededCounty.with("partial-delivery") { _, client in
            let (match, offer, charity) = try await Self.acceptedMatch(units: 3, client)
            let today = try await Self.today(client)
            let repository = MatchRepository(client: client)
            let need = try #require(try await repository.match(id: match)).needID
            let fulfilledBefore = try await SeededCounty.count(
                client, "SELECT fulfilled_quantity FROM needs WHERE id = $1", [need])
            let delivered = try await repository.apply(
                .deliver, to: match, by: charity,
                delivery: DeliveryReport(units: 2, deliveredOn: today, receivedBy: " 王某某 "))
            #expect(delivered.status == .delivered)
            #expect(delivered.delivery == DeliveryReport(units: 2, deliveredOn: today, receivedBy: "王某某"))
            #expect(try await SeededCounty.count(client, "SELECT allocated FROM offers WHERE id = $1", [offer]) == 2)
            #expect(
                try await SeededCounty.count(client, "SELECT fulfilled_quantity FROM needs WHERE id = $1", [need])
                    == fulfilledBefore + 2)
            let aid = try await client.query(
                "SELECT units, given_on::text AS given_on FROM aid_records WHERE match_id = $1", [match])[0]
            #expect(try aid.decode(Int.self, "units") == 2)
            #expect(try aid.decode(String.self, "given_on") == today)
            let details = try await client.query(
                "SELECT details::text AS d FROM audit_log WHERE action = 'match.deliver' AND entity_id = $1",
                [String(match)])[0].decode(String.self, "d")
            #expect(details.contains("\"delivered_units\": 2"))
            #expect(!details.contains("王某某"))
        }
    }

    @Test func aPersonsDeliveryIsRefusedOutsideTheRules() async throws {
        try await SeededCounty.with("delivery-rules") { _, client in
            let (match, _, charity) = try await Self.acceptedMatch(units: 2, client)
            let today = try await Self.today(client)
            let repository = MatchRepository(client: client)
            let refusals: [(DeliveryReport?, String)] = [
                (nil, "delivered_units"),
                (DeliveryReport(units: 3, deliveredOn: today, receivedBy: "王某某"), "delivered_units"),
                (DeliveryReport(units: 0, deliveredOn: today, receivedBy: "王某某"), "delivered_units"),
                (DeliveryReport(units: 1, deliveredOn: "2026-02-30", receivedBy: "王某某"), "delivered_on"),
                (DeliveryReport(units: 1, deliveredOn: "9999-12-31", receivedBy: "王某某"), "delivered_on"),
                (DeliveryReport(units: 1, deliveredOn: "2000-01-01", receivedBy: "王某某"), "delivered_on"),
                (DeliveryReport(units: 1, deliveredOn: today, receivedBy: "  ", receiptCode: nil), "received_by"),
                (DeliveryReport(units: 1, deliveredOn: today, receiptCode: "QS\u{1B}1"), "receipt_code"),
            ]
            for (report, field) in refusals {
                do {
                    _ = try await repository.apply(.deliver, to: match, by: charity, delivery: report)
                    Issue.record("a delivery of \(String(describing: report)) was recorded")
                } catch StoreError.invalid(let named, _) {
                    #expect(named == field, "\(String(describing: report))")
                }
            }
            #expect(try #require(try await repository.match(id: match)).status == .accepted)
            let delivered = try await repository.apply(
                .deliver, to: match, by: charity,
                delivery: DeliveryReport(units: 2, deliveredOn: today, receiptCode: "QS-7"))
            #expect(delivered.delivery?.receiptCode == "QS-7")
        }
    }

    @Test func theDatabaseKeepsAReportWholeAndOnADeliveredMatch() async throws {
        try await SeededCounty.with("delivery-checks") { _, client in
            let (match, _, _) = try await Self.acceptedMatch(units: 2, client)
            let statements = [
                "UPDATE matches SET delivered_units = 1, delivered_on = current_date, receipt_code = 'x' WHERE id = $1",
                """
                UPDATE matches SET status = 'delivered', delivered_units = 3, delivered_on = current_date,
                       receipt_code = 'x' WHERE id = $1
                """,
                """
                UPDATE matches SET status = 'delivered', delivered_units = 1, delivered_on = 'infinity',
                       receipt_code = 'x' WHERE id = $1
                """,
                "UPDATE matches SET status = 'delivered', delivered_units = 1, delivered_on = current_date WHERE id = $1",
            ]
            for statement in statements {
                await #expect(throws: PostgresError.self) { try await client.query(statement, [match]) }
            }
        }
    }
}
