import Foundation
import HTTPTypes
import Testing

@testable import API

@Suite("/v1/time-limits and /v1/overdue")
struct TimeLimitEndpointTests {
    @Test func aCoordinatorSetsTheRegionsLimitsAndReadsWhatIsOverdue() async throws {
        try await APIFixture.with("timelimits") { fixture in
            try await fixture.test { api in
                let read = try await api.call(.get, "/v1/time-limits", as: .coordinator)
                #expect(read.status == .ok && read["decision"] == .integer(3))
                let set = try await api.call(
                    .put, "/v1/time-limits/decision", as: .coordinator, json: #"{"days":1}"#)
                #expect(set.status == .ok && set["decision"] == .integer(1))
                let wider = try await api.call(
                    .put, "/v1/time-limits/decision", as: .coordinator, json: #"{"days":2,"region":"32"}"#)
                #expect(wider.status == .forbidden)
                let zero = try await api.call(.put, "/v1/time-limits/delivery", as: .coordinator, json: #"{"days":0}"#)
                #expect(zero.status == .unprocessableContent)
                let unknown = try await api.call(.put, "/v1/time-limits/lunch", as: .coordinator, json: #"{"days":3}"#)
                #expect([400, 404].contains(unknown.status.code))
                let caseworker = try await api.call(
                    .put, "/v1/time-limits/decision", as: .caseworker, json: #"{"days":4}"#)
                #expect(caseworker.status == .forbidden)
                let overdue = try await api.call(.get, "/v1/overdue", as: .coordinator)
                #expect(overdue.status == .ok && overdue["items"]?.arrayValue != nil)
                #expect(try await api.call(.get, "/v1/overdue", as: .charity).status == .forbidden)
            }
        }
    }
}
