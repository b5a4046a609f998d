import Foundation
import HTTPTypes
import Postgres
import Testing

@testable import API
@testable import Store

@Suite("/v1/matches/{id}/receipt and /v1/complaints")
struct ComplaintEndpointTests {
    /// A match of `fixture.charity` for an open need of the caseworker's township, delivered
    /// by the charity through the Store.
    private static func deliveredMatch(_ fixture: APIFixture) async throws -> Int64 {
        let township = try await fixture.scalar(String.self, "SELECT region_code FROM users WHERE login = 'caseworker'")
        let offer = try await fixture.scalar(
            Int64.self,
            """
            INSERT INTO offers (charity_id, category_id, title, capacity, unit, service_region_prefixes)
            SELECT $1, c.id, 'receipt test', 5, 'portion', ARRAY['320508'] FROM categories c WHERE c.code = 'material'
            RETURNING id
            """, [fixture.charity])
        let need = try await fixture.scalar(
            Int64.self,
            """
            SELECT min(n.id) FROM needs n JOIN households h ON h.id = n.household_id
             WHERE n.status = 'open' AND h.region_code LIKE $1 || '%' AND h.consent_given_at IS NOT NULL
               AND h.consent_withdrawn_at IS NULL
            """, [String(township.prefix(9))])
        let matches = MatchRepository(client: fixture.client)
        let match = try await matches.insertUncheckedProposal(need: need, offer: offer, units: 1, by: .system)
        _ = try await matches.approve(match: match.id, by: .system)
        _ = try await matches.apply(.accept, to: match.id, by: .system)
        let staff = try await fixture.scalar(Int64.self, "SELECT id FROM users WHERE login = 'charity'")
        let today = try await fixture.scalar(
            String.self, "SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text")
        _ = try await matches.apply(
            .deliver, to: match.id,
            by: Principal(userID: staff, tokenID: nil, role: .charity, regionScope: nil, charityID: fixture.charity),
            delivery: DeliveryReport(units: 1, deliveredOn: today, receiptCode: "R-7"))
        return match.id
    }

    @Test func aCaseworkerConfirmsOneDeliveryAndDisputesAnotherIntoAComplaint() async throws {
        try await APIFixture.with("receipts") { fixture in
            let confirmed = try await Self.deliveredMatch(fixture)
            let disputed = try await Self.deliveredMatch(fixture)
            try await fixture.test { api in
                let shown = try await api.call(.get, "/v1/matches/\(confirmed)", as: .caseworker)
                #expect(shown["receipt_status"]?.stringValue == "pending")
                let stale = try await api.call(
                    .post, "/v1/matches/\(confirmed)/receipt/confirm", as: .caseworker, headers: [.ifMatch: "\"1\""])
                #expect(stale.status == .preconditionFailed)
                let ok = try await api.call(.post, "/v1/matches/\(confirmed)/receipt/confirm", as: .caseworker)
                #expect(ok.status == .ok && ok["receipt_status"]?.stringValue == "confirmed")
                let again = try await api.call(.post, "/v1/matches/\(confirmed)/receipt/confirm", as: .caseworker)
                #expect(again.status == .conflict)
                let far = try await api.call(.post, "/v1/matches/\(disputed)/receipt/confirm", as: .otherCaseworker)
                #expect(far.status == .notFound)
                let charity = try await api.call(.post, "/v1/matches/\(disputed)/receipt/confirm", as: .charity)
                #expect(charity.status == .forbidden)
                let blank = try await api.call(
                    .post, "/v1/matches/\(disputed)/receipt/dispute", as: .caseworker, json: #"{"reason": ""}"#)
                #expect(blank.status == .unprocessableContent && blank.errorFields == ["/reason"])
                let dispute = try await api.call(
                    .post, "/v1/matches/\(disputed)/receipt/dispute", as: .caseworker, json: #"{"reason": "少了一袋米"}"#)
                #expect(dispute.status == .ok && dispute["receipt_status"]?.stringValue == "disputed")
                let seen = try await api.call(.get, "/v1/matches/\(disputed)", as: .charity)
                #expect(seen["receipt_status"]?.stringValue == "disputed" && seen["receipt_dispute_reason"] == nil)
                let open = try await api.call(.get, "/v1/complaints?status=open", as: .coordinator)
                let items = try #require(open["items"]?.arrayValue)
                #expect(items.count == 1 && items.first?["category"]?.stringValue == "delivery_disputed")
                let id = try #require(items.first?["id"].flatMap { if case .integer(let v) = $0 { v } else { nil } })
                let charityList = try await api.call(.get, "/v1/complaints", as: .charity)
                #expect(charityList["items"]?.arrayValue?.count == 1)
                let otherList = try await api.call(.get, "/v1/complaints", as: .otherCharity)
                #expect(otherList["items"]?.arrayValue?.isEmpty == true)
                #expect(try await api.call(.get, "/v1/complaints/\(id)", as: .otherCaseworker).status == .notFound)
                let noOutcome = try await api.call(
                    .post, "/v1/complaints/\(id)/resolve", as: .coordinator, json: #"{"resolution": "resolved"}"#)
                #expect(noOutcome.status == .unprocessableContent && noOutcome.errorFields == ["/outcome"])
                let badResolution = try await api.call(
                    .post, "/v1/complaints/\(id)/resolve", as: .coordinator,
                    json: #"{"resolution": "open", "outcome": "x"}"#)
                #expect(badResolution.status == .unprocessableContent)
                let byCaseworker = try await api.call(
                    .post, "/v1/complaints/\(id)/resolve", as: .caseworker,
                    json: #"{"resolution": "resolved", "outcome": "x"}"#)
                #expect(byCaseworker.status == .forbidden)
                let resolved = try await api.call(
                    .post, "/v1/complaints/\(id)/resolve", as: .coordinator,
                    json: #"{"resolution": "resolved", "outcome": "已补发一袋米"}"#)
                #expect(resolved.status == .ok && resolved["status"]?.stringValue == "resolved")
                let performance = try await api.call(
                    .get, "/v1/charities/\(fixture.charity)/performance", as: .coordinator)
                #expect(performance["confirmed_matches"] == .integer(1))
                #expect(performance["complaints"]?["total"] == .integer(1))
            }
        }
    }

    @Test func aComplaintIsRaisedAboutWhatTheCallerSeesAndBadInputIsAProblem() async throws {
        try await APIFixture.with("complaints") { fixture in
            try await fixture.test { api in
                let raised = try await api.call(
                    .post, "/v1/complaints", as: .caseworker,
                    json:
                        #"{"subject_type": "charity", "subject_id": \#(fixture.charity), "category": "misconduct", "text": "收取费用"}"#
                )
                #expect(raised.status == .created && raised["region_code"] != nil)
                let own = try await api.call(.get, "/v1/complaints", as: .caseworker)
                #expect(own["items"]?.arrayValue?.count == 1)
                let notTheirs = try await api.call(
                    .post, "/v1/complaints", as: .charity,
                    json:
                        #"{"subject_type": "charity", "subject_id": \#(fixture.otherCharity), "category": "other", "text": "x"}"#
                )
                #expect(notTheirs.status == .notFound)
                let missing = try await api.call(
                    .post, "/v1/complaints", as: .caseworker,
                    json: #"{"subject_type": "match", "subject_id": 987654321, "category": "other", "text": "x"}"#)
                #expect(missing.status == .notFound)
                let dispute = try await api.call(
                    .post, "/v1/complaints", as: .caseworker,
                    json: #"{"subject_type": "charity", "subject_id": 1, "category": "delivery_disputed", "text": "x"}"#
                )
                #expect(dispute.status == .unprocessableContent)
                let badCategory = try await api.call(
                    .post, "/v1/complaints", as: .caseworker,
                    json: #"{"subject_type": "charity", "subject_id": 1, "category": "rude", "text": "x"}"#)
                #expect(badCategory.status == .unprocessableContent && badCategory.errorFields == ["/category"])
                let badSubject = try await api.call(
                    .post, "/v1/complaints", as: .caseworker,
                    json: #"{"subject_type": "need", "subject_id": 1, "category": "other", "text": "x"}"#)
                #expect(badSubject.status == .unprocessableContent)
                let badFilter = try await api.call(.get, "/v1/complaints?overdue=sometimes", as: .coordinator)
                #expect(badFilter.status == .badRequest)
                let anonymous = try await api.call(.get, "/v1/complaints", as: .anonymous)
                #expect(anonymous.status == .unauthorized)
            }
        }
    }
}
