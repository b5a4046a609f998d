import Foundation
import HTTPTypes
import Postgres
import Store
import Testing

@testable import Dashboard

/// Issue 13, finding 4: a ban without an end made every need page that weighed the charity's
/// offers a 500, and the charities page could not tell a permanent ban from a dated one.
@Suite("Dashboard: a permanent ban")
struct PermanentBanPageTests {
    @Test func needPagesStillOpenAndTheCharitiesPageSaysTheBanIsPermanent() async throws {
        try await DashboardFixture.with("dash_permanent_ban") { fixture in
            let charities = CharityRepository(client: fixture.client)
            let banned = try await charities.ban(
                charity: fixture.otherCharity, until: nil, by: .system, reason: "禁入：骗取救助资源")
            #expect(banned.isBannedPermanently)
            let dated = try await charities.ban(
                charity: fixture.charity, until: Date().addingTimeInterval(90 * 86_400), by: .system,
                reason: "限期整改")
            // Open needs of the township whose category the banned charity serves.
            let needs = try await fixture.client.query(
                """
                SELECT DISTINCT n.id FROM needs n JOIN households h ON h.id = n.household_id
                  JOIN categories c ON c.id = n.category_id
                  JOIN offers o ON o.category_id IN (c.id, c.parent_id) AND o.status = 'open'
                 WHERE o.charity_id = $1 AND n.status = 'open' AND h.region_code LIKE left($2, 9) || '%'
                 ORDER BY n.id LIMIT 10
                """, [fixture.otherCharity, fixture.township]
            ).map { try $0.decode(Int64.self, "id") }
            #expect(!needs.isEmpty)
            try await fixture.test { client in
                var caseworker = Browser(client: client)
                _ = try await caseworker.signIn(fixture.tokens[.caseworker] ?? "")
                for need in needs {
                    let page = try await caseworker.get("/dashboard/needs/\(need)")
                    #expect(page.status == .ok, "need \(need): \(page.status.code)")
                }
                var coordinator = Browser(client: client)
                _ = try await coordinator.signIn(fixture.tokens[.coordinator] ?? "")
                let chinese = try await coordinator.get("/dashboard/charities?lang=zh-CN")
                #expect(chinese.status == .ok)
                #expect(chinese.html.contains(DashboardText.strings(.chinese)["charity.bannedPermanently"] ?? "?"))
                #expect(chinese.html.contains("禁入至 "))
                let english = try await coordinator.get("/dashboard/charities?lang=en")
                #expect(english.html.contains("Banned permanently") && english.html.contains("Banned until "))
            }
            #expect(!dated.isBannedPermanently && dated.bannedUntil != nil)
        }
    }
}
