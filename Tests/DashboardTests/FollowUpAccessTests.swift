import Foundation
import HTTPTypes
import Postgres
import Store
import Testing

/// The coordinator's follow-up pages (follow-up, the region's offers, the ledger, the CSV
/// export) ask the access policy like the rest: other roles are sent home, and a coordinator
/// of one township reads only that township's households.
@Suite("Dashboard follow-up access")
struct FollowUpAccessTests {
    static let paths = ["/dashboard/follow-up", "/dashboard/region-offers", "/dashboard/export/matches.csv"]

    @Test func charityStaffAndCaseworkersAreSentHome() async throws {
        try await DashboardFixture.with("dash_follow_up_roles") { fixture in
            try await fixture.test { client in
                for (role, home) in [
                    (DashboardFixture.Role.charity, "/dashboard/matches"), (.caseworker, "/dashboard/needs"),
                ] {
                    var browser = Browser(client: client)
                    _ = try await browser.signIn(fixture.tokens[role] ?? "")
                    for path in Self.paths {
                        #expect(try await browser.get(path).headers[.location] == home, "\(role) → \(path)")
                    }
                }
            }
        }
    }

    @Test func aTownshipsCoordinatorReadsOnlyItsHouseholds() async throws {
        try await DashboardFixture.with("dash_follow_up_scope") { fixture in
            let township = try await fixture.scalar(
                String.self,
                """
                SELECT left(h.region_code, 9) || '000' FROM matches m JOIN needs n ON n.id = m.need_id
                  JOIN households h ON h.id = n.household_id
                 WHERE m.status IN ('approved', 'delivered')
                 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1
                """)
            let token = try await fixture.token(login: "township-coordinator", role: .coordinator, region: township)
            let pages = try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(token)
                var pages: [String] = []
                for path in ["/dashboard/follow-up?status=approved", "/dashboard/follow-up?status=delivered"]
                    + ["/dashboard/export/matches.csv"]
                {
                    let answer = try await browser.get(path)
                    #expect(answer.status == .ok, "\(path)")
                    pages.append(answer.html)
                }
                return pages
            }
            let shown = Set(
                pages.joined().matches(of: /320508-\d{7}/).map { String($0.output) })
            #expect(!shown.isEmpty)
            let outside = try await fixture.scalar(
                Int.self,
                "SELECT count(*)::int FROM households WHERE case_number = ANY($1) AND left(region_code, 9) <> left($2, 9)",
                [Array(shown), township])
            #expect(outside == 0)
        }
    }
}
