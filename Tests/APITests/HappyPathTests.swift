import Foundation
import HTTPTypes
import Testing

@testable import API

@Suite("Every role's work over /v1")
struct HappyPathTests {
    @Test func aNeedTravelsFromRegistrationToFeedback() async throws {
        try await APIFixture.with("happy") { fixture in
            try await fixture.test { api in
                let township = try await fixture.scalar(
                    String.self, "SELECT region_code FROM users WHERE login = 'caseworker'")
                let village = try await fixture.scalar(
                    String.self, "SELECT min(code) FROM regions WHERE level = 5 AND parent_code = $1", [township])

                let offer = try await api.call(.post, "/v1/offers", as: .charity, json: TestData.offerBody)
                #expect(offer.status == .created)
                #expect(offer.headers[.location] == "/v1/offers/\(offer.id ?? 0)")
                let offerID = try #require(offer.id)

                let household = try await api.call(
                    .post, "/v1/households", as: .caseworker,
                    json: TestData.householdBody(region: village, serial: 901))
                #expect(household.status == .created)
                #expect(household["id_number_masked"]?.stringValue?.hasPrefix("**************") == true)
                #expect(!household.text.contains(TestData.idNumber(serial: 901)))
                let householdID = try #require(household.id)

                let need = try await api.call(
                    .post, "/v1/needs", as: .caseworker,
                    json: TestData.object([
                        "household_id": String(householdID), "category": TestData.quoted("material.food"),
                        "quantity": "2", "urgency": "4",
                    ]))
                #expect(need.status == .created)
                let needID = try #require(need.id)

                let candidates = try await api.call(
                    .get, "/v1/needs/\(needID)/candidates?limit=10&explain=ineligible", as: .caseworker)
                #expect(candidates.status == .ok)
                let ranked = candidates["ranked"]?.arrayValue ?? []
                #expect(ranked.contains { $0["offer_id"] == .integer(offerID) })

                let match = try await api.call(
                    .post, "/v1/matches", as: .caseworker,
                    json: TestData.object(["need_id": String(needID), "offer_id": String(offerID), "units": "2"]))
                #expect(match.status == .created)
                let matchID = try #require(match.id)

                let approved = try await api.call(.post, "/v1/matches/\(matchID)/approve", as: .coordinator)
                #expect(approved.status == .ok)
                #expect(approved["status"]?.stringValue == "approved")

                let seen = try await api.call(.get, "/v1/matches/\(matchID)", as: .charity)
                #expect(seen.status == .ok)
                #expect(seen["breakdown"] == nil && seen["need_id"] == nil)
                #expect(seen["delivery"]?["address"]?.stringValue == "测试路901号")
                #expect(seen["delivery"]?["household_reference"]?.stringValue?.hasPrefix("HH-") == true)

                let accepted = try await api.call(.post, "/v1/matches/\(matchID)/accept", as: .charity)
                #expect(accepted["status"]?.stringValue == "accepted")
                let today = try await fixture.scalar(
                    String.self, "SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text", [])
                // A delivery outside the Store's rules is refused, naming the field, and changes nothing.
                let bare = try await api.call(.post, "/v1/matches/\(matchID)/deliver", as: .charity)
                #expect(bare.status == .unsupportedMediaType, "the report is required")
                for (body, field) in [
                    (#"{"delivered_units":3,"delivered_on":"\#(today)","received_by":"王某某"}"#, "/delivered_units"),
                    (#"{"delivered_units":1,"delivered_on":"2999-01-01","received_by":"王某某"}"#, "/delivered_on"),
                    (#"{"delivered_units":1,"delivered_on":"\#(today)"}"#, "/received_by"),
                ] {
                    let refused = try await api.call(
                        .post, "/v1/matches/\(matchID)/deliver", as: .charity, json: body)
                    #expect(refused.status == .unprocessableContent && refused.errorFields == [field], "\(body)")
                }
                let delivered = try await api.call(
                    .post, "/v1/matches/\(matchID)/deliver", as: .charity,
                    json: #"{"delivered_units":2,"delivered_on":"\#(today)","receipt_code":"QS-0001"}"#)
                #expect(delivered["status"]?.stringValue == "delivered")
                #expect(delivered["delivery"] == nil)
                #expect(delivered["delivery_report"]?["delivered_units"] == .integer(2))
                #expect(delivered["delivery_report"]?["receipt_code"]?.stringValue == "QS-0001")

                let feedback = try await api.call(
                    .post, "/v1/matches/\(matchID)/feedback", as: .caseworker,
                    json: #"{"satisfaction":5,"comment":"按时送达"}"#)
                #expect(feedback.status == .noContent)

                let closedNeed = try await api.call(.get, "/v1/needs/\(needID)", as: .caseworker)
                #expect(closedNeed["status"]?.stringValue == "fulfilled")
                let offerAfter = try await api.call(.get, "/v1/offers/\(offerID)", as: .charity)
                #expect(offerAfter["allocated"] == .integer(2))
                let audits = try await fixture.scalar(
                    Int.self, "SELECT count(*)::int FROM audit_log WHERE entity_type = 'match' AND entity_id = $1",
                    [String(matchID)])
                #expect(audits == 5, "refused deliveries leave no audit row")
            }
        }
    }

    @Test func identityAndOperatorEndpoints() async throws {
        try await APIFixture.with("identity") { fixture in
            try await fixture.test { api in
                for caller in Caller.allCases where caller != .anonymous {
                    let me = try await api.call(.get, "/v1/me", as: caller)
                    #expect(me.status == .ok)
                    #expect(me["login"]?.stringValue == caller.login)
                }
                #expect(try await api.call(.get, "/v1/me", as: .anonymous).status == .unauthorized)
                let forged = try await api.call(
                    .get, "/v1/me", as: .anonymous,
                    headers: [.authorization: "Bearer cm_" + String(repeating: "A", count: 43)])
                #expect(forged.status == .unauthorized)
                #expect(try await api.call(.get, "/healthz", as: .anonymous).status == .ok)
                #expect(try await api.call(.get, "/readyz", as: .anonymous).status == .ok)
                let metrics = try await api.call(.get, "/metrics", as: .anonymous)
                #expect(metrics.text.contains("charity_match_http_requests_total"))
                #expect(metrics.text.contains("route=\"/v1/me\""))
                let contract = try await api.call(.get, "/openapi.yaml", as: .anonymous)
                #expect(contract.text.hasPrefix("openapi: 3.1.0"))
            }
        }
    }

    @Test func charitiesAreRegisteredEditedAndSanctioned() async throws {
        try await APIFixture.with("charities") { fixture in
            try await fixture.test { api in
                let body = TestData.object([
                    "name": TestData.quoted("测试慈善基金会"), "credit_code": TestData.quoted("91350100M000100Y43"),
                    "kind": TestData.quoted("foundation"),
                ])
                let created = try await api.call(.post, "/v1/charities", as: .admin, json: body)
                #expect(created.status == .created, "\(created.text)")
                let id = try #require(created.id)
                let etag = try #require(created.headers[.eTag])
                let edit = TestData.object([
                    "name": TestData.quoted("测试慈善基金会（苏州）"), "kind": TestData.quoted("foundation"),
                    "contact_phone": TestData.quoted("0512-1234"),
                ])
                let updated = try await api.call(
                    .put, "/v1/charities/\(id)", as: .admin, json: edit, headers: [.ifMatch: etag])
                #expect(updated.status == .ok)
                let stale = try await api.call(
                    .put, "/v1/charities/\(id)", as: .admin, json: edit, headers: [.ifMatch: etag])
                #expect(stale.status == .preconditionFailed)
                let missing = try await api.call(.put, "/v1/charities/\(id)", as: .admin, json: edit)
                #expect(missing.status == .preconditionRequired)
                let suspended = try await api.call(
                    .post, "/v1/charities/\(id)/suspend", as: .admin, json: #"{"reason":"年检未通过"}"#)
                #expect(suspended["status"]?.stringValue == "suspended")
                let banned = try await api.call(
                    .post, "/v1/charities/\(id)/ban", as: .admin,
                    json: #"{"reason":"虚假宣传","until":"2030-01-01T00:00:00Z"}"#)
                #expect(banned["status"]?.stringValue == "banned")
                #expect(
                    try await api.call(.post, "/v1/charities/\(id)/reinstate", as: .admin)["status"]?.stringValue
                        == "active")
                let own = try await api.call(.get, "/v1/charities/\(fixture.charity)", as: .charity)
                #expect(own.status == .ok)
                let performance = try await api.call(.get, "/v1/charities/\(fixture.charity)/performance", as: .charity)
                #expect(performance["charity_id"] == .integer(fixture.charity))
                let list = try await api.call(.get, "/v1/charities?limit=2", as: .coordinator)
                #expect(list["items"]?.arrayValue?.count == 2)
                let next = try #require(list["next_cursor"]?.stringValue)
                let second = try await api.call(.get, "/v1/charities?limit=2&cursor=\(next)", as: .coordinator)
                #expect(second["items"]?.arrayValue?.first?["id"] != list["items"]?.arrayValue?.first?["id"])
            }
        }
    }
}
