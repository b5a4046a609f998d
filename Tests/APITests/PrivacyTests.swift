import Foundation
import HTTPTypes
import Store
import Testing

@testable import API

/// Charities see a pseudonym and the delivery fields consent allows, only while delivery is
/// ahead; the public sees aggregates with small cells suppressed. Every charity and public
/// answer in every test is also scanned for ID numbers and household names (``APIDriver``).
@Suite("Privacy")
struct PrivacyTests {
    @Test func charitiesSeeDeliveryFieldsOnlyWithConsentAndOnlyWhileDeliveryIsAhead() async throws {
        try await APIFixture.with("privacy") { fixture in
            let targets = try await MatrixTargets.make(fixture)
            try await fixture.test { api in
                let proposed = try await api.call(.get, "/v1/matches/\(targets.ourMatch)", as: .charity)
                #expect(proposed.status == .ok)
                #expect(proposed["delivery"] == nil)
                _ = try await api.call(.post, "/v1/matches/\(targets.ourMatch)/approve", as: .coordinator)
                let approved = try await api.call(.get, "/v1/matches/\(targets.ourMatch)", as: .charity)
                let reference = try #require(approved["delivery"]?["household_reference"]?.stringValue)
                #expect(approved["delivery"]?["contact_name"] == nil, "a charity never gets a household name")
                let list = try await api.call(.get, "/v1/matches?status=approved", as: .charity)
                #expect(list["items"]?.arrayValue?.first?["delivery"]?["household_reference"]?.stringValue == reference)
                #expect(
                    try await api.call(.get, "/v1/matches?status=approved", as: .otherCharity)["items"]?.arrayValue?
                        .isEmpty == true)
                let withdrawn = try await api.call(
                    .post, "/v1/households/\(targets.nearHousehold)/consent/withdraw", as: .caseworker)
                #expect(withdrawn["cancelled_matches"]?.arrayValue?.contains(.integer(targets.ourMatch)) == true)
                let after = try await api.call(.get, "/v1/matches/\(targets.ourMatch)", as: .charity)
                #expect(after["status"]?.stringValue == "cancelled")
                #expect(after["delivery"] == nil)
                let offers = try await api.call(.get, "/v1/offers", as: .charity)
                #expect(
                    offers["items"]?.arrayValue?.allSatisfy { $0["charity_id"] == .integer(fixture.charity) } == true)
            }
        }
    }

    @Test func publicStatisticsSuppressSmallCells() async throws {
        try await APIFixture.with("public") { fixture in
            try await fixture.test { api in
                let county = try await api.call(.get, "/v1/public/stats?region=320508", as: .anonymous)
                #expect(county.status == .ok)
                let categories = county["by_category"]?.arrayValue ?? []
                #expect(!categories.isEmpty)
                for row in categories {
                    if case .integer(let needs)? = row["needs"] { #expect(needs >= 10) }
                }
                let charities = county["by_charity"]?.arrayValue ?? []
                for row in charities {
                    if case .integer(let delivered)? = row["delivered_matches"] { #expect(delivered >= 10) }
                    if row["satisfaction_average"] != nil && row["satisfaction_average"] != .null {
                        if case .integer(let count)? = row["satisfaction_count"] { #expect(count >= 10) }
                    }
                }
                let township = try await api.call(.get, "/v1/public/stats?region=320508001", as: .anonymous)
                #expect(township.status.code == 422 || township.status.code == 400)
                let missing = try await api.call(.get, "/v1/public/stats", as: .anonymous)
                #expect(missing.status == .badRequest)
            }
        }
    }
}
