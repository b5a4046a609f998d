import Foundation
import HTTPTypes
import Testing

@testable import API

@Suite("Government aid and the household's timeline over HTTP")
struct AidChainEndpointTests {
    @Test func aidEnteredOrImportedJoinsTheHouseholdsChain() async throws {
        try await APIFixture.with("aidchain") { fixture in
            try await fixture.test { api in
                let household = try await fixture.scalar(
                    Int64.self,
                    """
                    SELECT min(h.id) FROM households h, users u JOIN regions r ON r.code = u.region_code
                     WHERE u.login = 'caseworker' AND h.region_code LIKE r.scope_prefix || '%'
                    """)
                let caseNumber = try await fixture.scalar(
                    String.self, "SELECT case_number FROM households WHERE id = $1", [household])
                let category = try await fixture.scalar(
                    Int64.self, "SELECT id FROM categories WHERE code = 'money.temporary_living'")
                let body = #"{"category_id":\#(category),"amount":800.5,"given_on":"2026-11-01","program":"临时救助金"}"#

                let recorded = try await api.call(.post, "/v1/households/\(household)/aid", as: .caseworker, json: body)
                #expect(recorded.status == .created)
                #expect(recorded["source"]?.stringValue == "government")
                let listed = try await api.call(.get, "/v1/households/\(household)/aid", as: .coordinator)
                #expect(listed["items"]?.arrayValue?.contains { $0["id"] == .integer(recorded.id ?? 0) } == true)

                let noQuantity = try await api.call(
                    .post, "/v1/households/\(household)/aid", as: .caseworker,
                    json: #"{"category_id":\#(category),"given_on":"2026-11-01"}"#)
                #expect(noQuantity.status == .unprocessableContent)
                #expect(noQuantity.errorFields.contains("/amount"))
                let coordinator = try await api.call(
                    .post, "/v1/households/\(household)/aid", as: .coordinator, json: body)
                #expect(coordinator.status == .forbidden)
                let elsewhere = try await api.call(
                    .post, "/v1/households/\(household)/aid", as: .otherCaseworker, json: body)
                #expect(elsewhere.status == .notFound)

                let csv = """
                    case_number,category,amount,units,given_on,program,external_ref
                    \(caseNumber),粮油,,2,2026-11-02,,GOV-API-1

                    """
                let imported = try await api.call(
                    .post, "/v1/imports/aid", as: .caseworker, json: csv, contentType: "text/csv")
                #expect(imported.status == .created && imported["imported"] == .integer(1))
                let again = try await api.call(
                    .post, "/v1/imports/aid", as: .caseworker, json: csv, contentType: "text/csv")
                #expect(again.status == .unprocessableContent)
                #expect(again.errorFields.contains("line 2, column external_ref"))

                let timeline = try await api.call(.get, "/v1/households/\(household)/timeline", as: .caseworker)
                #expect(timeline.status == .ok)
                let kinds = timeline["events"]?.arrayValue?.compactMap { $0["kind"]?.stringValue } ?? []
                #expect(kinds.filter { $0 == "aid.government" }.count == 2)
                #expect(kinds.contains("household.registered"))
                let charity = try await api.call(.get, "/v1/households/\(household)/timeline", as: .charity)
                #expect(charity.status == .forbidden)
                let far = try await api.call(.get, "/v1/households/\(household)/timeline", as: .otherCaseworker)
                #expect(far.status == .notFound)
            }
        }
    }
}
