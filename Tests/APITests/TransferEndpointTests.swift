import Foundation
import HTTPTypes
import Testing

@testable import API

@Suite("转介 over HTTP: /v1/transfers")
struct TransferEndpointTests {
    @Test func aTransferIsSentDecidedAndRefusedAsTheContractSays() async throws {
        try await APIFixture.with("transfers") { fixture in
            try await fixture.test { api in
                let township = try await fixture.scalar(
                    String.self,
                    "SELECT r.scope_prefix FROM users u JOIN regions r ON r.code = u.region_code WHERE u.login = 'caseworker'"
                )
                let household = try await fixture.scalar(
                    Int64.self,
                    """
                    SELECT min(h.id) FROM households h
                     WHERE h.region_code LIKE $1 || '%' AND h.consent_given_at IS NOT NULL
                       AND EXISTS (SELECT 1 FROM needs n WHERE n.household_id = h.id AND n.status = 'open')
                    """, [township])
                let need = try await fixture.scalar(
                    Int64.self, "SELECT min(id) FROM needs WHERE household_id = $1 AND status = 'open'", [household])
                let village = try await fixture.scalar(
                    String.self, "SELECT min(code) FROM regions WHERE level = 5 AND code LIKE '320509%'")
                let body = #"{"kind":"household","household_id":\#(household),"to_region":"\#(village)","reason":"迁居"}"#

                // Bad input is problem+json, never a 5xx.
                let noReason = try await api.call(
                    .post, "/v1/transfers", as: .caseworker,
                    json: #"{"kind":"household","household_id":\#(household),"to_region":"\#(village)"}"#)
                #expect(noReason.status == .unprocessableContent && noReason.errorFields.contains("/reason"))
                let township12 = try await api.call(
                    .post, "/v1/transfers", as: .caseworker,
                    json: #"{"kind":"household","household_id":\#(household),"to_region":"320509001000","reason":"x"}"#)
                #expect(township12.status == .unprocessableContent)
                let badKind = try await api.call(
                    .post, "/v1/transfers", as: .caseworker, json: #"{"kind":"moved","reason":"x"}"#)
                #expect(badKind.status == .unprocessableContent)
                #expect(try await api.call(.post, "/v1/transfers", as: .coordinator, json: body).status == .forbidden)
                #expect(
                    try await api.call(.post, "/v1/transfers", as: .otherCaseworker, json: body).status == .notFound)

                let sent = try await api.call(.post, "/v1/transfers", as: .caseworker, json: body)
                #expect(sent.status == .created)
                let id = try #require(sent.id)
                #expect(sent["status"]?.stringValue == "pending" && sent["overdue"] == .bool(false))
                #expect(sent["contact"] == nil)
                let twice = try await api.call(.post, "/v1/transfers", as: .caseworker, json: body)
                #expect(twice.status == .conflict && twice["code"]?.stringValue == "transfer_pending")

                let incoming = try await api.call(.get, "/v1/transfers?direction=incoming", as: .otherCaseworker)
                #expect(incoming["items"]?.arrayValue?.map { $0["id"] } == [.integer(id)])
                #expect(incoming["items"]?.arrayValue?.first?["case_number"] != nil)
                let outgoing = try await api.call(
                    .get, "/v1/transfers?direction=outgoing&status=pending", as: .caseworker)
                #expect(outgoing["total"] == .integer(1))
                #expect(
                    try await api.call(.get, "/v1/transfers?direction=sideways", as: .caseworker).status == .badRequest)
                #expect(try await api.call(.get, "/v1/transfers/\(id)", as: .charity).status == .notFound)

                let noWhy = try await api.call(.post, "/v1/transfers/\(id)/return", as: .otherCaseworker, json: "{}")
                #expect(noWhy.status == .unprocessableContent)
                #expect(try await api.call(.post, "/v1/transfers/\(id)/accept", as: .caseworker).status == .forbidden)
                let returned = try await api.call(
                    .post, "/v1/transfers/\(id)/return", as: .otherCaseworker, json: #"{"reason":"户籍未迁入"}"#)
                #expect(returned.status == .ok && returned["return_reason"]?.stringValue == "户籍未迁入")
                let late = try await api.call(.post, "/v1/transfers/\(id)/accept", as: .otherCaseworker)
                #expect(late.status == .conflict)
                #expect(try await api.call(.get, "/v1/households/\(household)", as: .caseworker).status == .ok)

                // Sent again and accepted: the household is the other county's now.
                let again = try await api.call(.post, "/v1/transfers", as: .caseworker, json: body)
                let accepted = try await api.call(
                    .post, "/v1/transfers/\(again.id ?? 0)/accept", as: .otherCaseworker)
                #expect(accepted.status == .ok && accepted["status"]?.stringValue == "accepted")
                #expect(try await api.call(.get, "/v1/households/\(household)", as: .caseworker).status == .notFound)
                let timeline = try await api.call(.get, "/v1/households/\(household)/timeline", as: .otherCaseworker)
                let kinds = timeline["events"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []
                #expect(kinds.contains("transfer.return") && kinds.contains("transfer.accept"))

                // A referral: the charity takes the need on and then sees how to reach the household.
                let referral = try await api.call(
                    .post, "/v1/transfers", as: .otherCaseworker,
                    json: #"{"kind":"referral","need_id":\#(need),"to_charity_id":\#(fixture.charity),"reason":"上门照料"}"#
                )
                #expect(referral.status == .created)
                let seen = try await api.call(.get, "/v1/transfers/\(referral.id ?? 0)", as: .charity)
                #expect(seen.status == .ok && seen["case_number"] == nil && seen["contact"] == nil)
                #expect(
                    try await api.call(.get, "/v1/transfers/\(referral.id ?? 0)", as: .otherCharity).status
                        == .notFound)
                let taken = try await api.call(.post, "/v1/transfers/\(referral.id ?? 0)/accept", as: .charity)
                #expect(taken.status == .ok && taken["contact"]?.objectValue?["household_reference"] != nil)
                let candidates = try await api.call(
                    .get, "/v1/needs/\(need)/candidates?explain=ineligible", as: .otherCaseworker)
                #expect(candidates["ranked"]?.arrayValue?.isEmpty == true)
            }
        }
    }
}
