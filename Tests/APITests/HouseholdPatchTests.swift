import Foundation
import HTTPTypes
import Testing

@testable import API

@Suite("PATCH /v1/households/{id}")
struct HouseholdPatchTests {
    @Test func aPatchChangesTheHouseholdAtTheVersionItNames() async throws {
        try await APIFixture.with("householdpatch") { fixture in
            try await fixture.test { api in
                let township = try await fixture.scalar(
                    String.self, "SELECT region_code FROM users WHERE login = 'caseworker'")
                let village = try await fixture.scalar(
                    String.self, "SELECT min(code) FROM regions WHERE level = 5 AND parent_code = $1", [township])
                let household = try await api.call(
                    .post, "/v1/households", as: .caseworker,
                    json: TestData.householdBody(region: village, serial: 911))
                let id = try #require(household.id)
                let etag = try #require(household.headers[.eTag])
                let edit = #"{"members":5,"assistance_statuses":["tekun"],"head_name":"王新","address":"","reason":"复核"}"#

                let updated = try await api.call(
                    .patch, "/v1/households/\(id)", as: .caseworker, json: edit, headers: [.ifMatch: etag])
                #expect(updated.status == .ok)
                #expect(updated["members"] == .integer(5))
                #expect(updated["assistance_statuses"]?.arrayValue == [.string("tekun")])
                #expect(updated["head_name"]?.stringValue == "王新" && updated["address"] == nil)
                #expect(updated.headers[.eTag] != etag)

                let stale = try await api.call(
                    .patch, "/v1/households/\(id)", as: .caseworker, json: #"{"members":2}"#,
                    headers: [.ifMatch: etag])
                #expect(stale.status == .preconditionFailed)
                let missing = try await api.call(.patch, "/v1/households/\(id)", as: .caseworker, json: edit)
                #expect(missing.status == .preconditionRequired)
                let invalid = try await api.call(
                    .patch, "/v1/households/\(id)", as: .caseworker,
                    json: #"{"assistance_statuses":["dibao","tekun"]}"#,
                    headers: [.ifMatch: updated.headers[.eTag] ?? ""])
                #expect(invalid.status == .unprocessableContent)
                let coordinator = try await api.call(
                    .patch, "/v1/households/\(id)", as: .coordinator, json: edit,
                    headers: [.ifMatch: updated.headers[.eTag] ?? ""])
                #expect(coordinator.status == .forbidden)
                #expect(
                    try await fixture.scalar(
                        Int64.self,
                        "SELECT count(*) FROM audit_log WHERE action = 'household.update' AND entity_id = $1",
                        [String(id)]) == 1)
                #expect(
                    try await fixture.scalar(Int64.self, "SELECT members::bigint FROM households WHERE id = $1", [id])
                        == 5)
            }
        }
    }
}
