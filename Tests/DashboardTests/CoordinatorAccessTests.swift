import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Store
import Testing

/// Who reaches the coordinator's pages and forms: the session's CSRF token on every form,
/// coordinators and admins only, and a coordinator only inside their region.
@Suite("Dashboard coordinator access")
struct CoordinatorAccessTests {
    @Test func formsWithoutTheSessionsCSRFTokenAreRefusedAndChangeNothing() async throws {
        try await DashboardFixture.with("dash_coordinator_csrf") { fixture in
            let match = try await fixture.scalar(Int64.self, "SELECT min(id) FROM matches WHERE status = 'proposed'")
            let runs = try await fixture.scalar(Int.self, "SELECT count(*)::int FROM match_runs")
            let policies = try await fixture.scalar(Int.self, "SELECT count(*)::int FROM weight_policies")
            try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(fixture.tokens[.coordinator] ?? "")
                let posts: [(String, [String: String])] = [
                    ("/dashboard/review", ["decision": "approve", "pick.\(match)": "1"]),
                    ("/dashboard/runs", ["region": "320508000000"]),
                    ("/dashboard/runs/publish", ["w.urgency": "1"]),
                    ("/dashboard/charities/suspend", ["charity": String(fixture.charity), "reason": "test"]),
                ]
                for (path, form) in posts {
                    for token in [nil, "forged"] as [String?] {
                        var fields = form
                        fields["_csrf"] = token
                        let answer = try await browser.post(path, form: fields)
                        #expect(answer.status == .forbidden, "\(path)")
                        #expect(answer.html.contains("表单已过期"))
                    }
                }
            }
            #expect(try await ReviewPageTests.status(fixture, match) == "proposed")
            #expect(try await fixture.scalar(Int.self, "SELECT count(*)::int FROM match_runs") == runs)
            #expect(try await fixture.scalar(Int.self, "SELECT count(*)::int FROM weight_policies") == policies)
            #expect(
                try await fixture.scalar(String.self, "SELECT status FROM charities WHERE id = $1", [fixture.charity])
                    == "active")
        }
    }

    @Test func charityStaffAndCaseworkersCannotReachTheCoordinatorsPages() async throws {
        try await DashboardFixture.with("dash_coordinator_roles") { fixture in
            let match = try await fixture.scalar(Int64.self, "SELECT min(id) FROM matches WHERE status = 'proposed'")
            try await fixture.test { client in
                let paths = ["/dashboard/review", "/dashboard/runs", "/dashboard/charities", "/dashboard/audit"]
                var coordinator = Browser(client: client)
                _ = try await coordinator.signIn(fixture.tokens[.coordinator] ?? "")
                let overview = try await coordinator.get("/dashboard/overview")
                for path in paths {
                    #expect(overview.html.contains("href=\"\(path)\""), "the navigation offers \(path)")
                    #expect(try await coordinator.get(path).status == .ok)
                }
                for (role, home) in [
                    (DashboardFixture.Role.charity, "/dashboard/matches"), (.caseworker, "/dashboard/needs"),
                ] {
                    var browser = Browser(client: client)
                    _ = try await browser.signIn(fixture.tokens[role] ?? "")
                    let own = try await browser.get(home)
                    for path in paths {
                        #expect(try await browser.get(path).headers[.location] == home, "\(role) → \(path)")
                        #expect(!own.html.contains("href=\"\(path)\""))
                    }
                    let post = try await browser.post(
                        "/dashboard/review",
                        form: ["_csrf": Browser.csrf(in: own.html), "decision": "approve", "pick.\(match)": "1"])
                    #expect(post.headers[.location] == home)
                }
                var stranger = Browser(client: client)
                #expect(try await stranger.get("/dashboard/runs").headers[.location] == "/dashboard/sign-in")
            }
            #expect(try await ReviewPageTests.status(fixture, match) == "proposed")
        }
    }

    @Test func aTownshipCoordinatorReviewsOnlyTheTownshipsRunsAndAnAdminSeesAll() async throws {
        try await DashboardFixture.with("dash_review_scope") { fixture in
            let county = try await fixture.scalar(Int64.self, "SELECT max(id) FROM match_runs")
            let outside = try await fixture.scalar(
                Int64.self,
                """
                SELECT min(m.id) FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                 WHERE m.run_id = $1 AND m.status = 'proposed' AND h.region_code NOT LIKE left($2, 9) || '%'
                """, [county, fixture.township])
            // The county run's proposals in the township are withdrawn, so a township run finds work.
            let withdrawn = try await fixture.client.query(
                """
                SELECT m.id FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                 WHERE m.run_id = $1 AND m.status = 'proposed' AND h.region_code LIKE left($2, 9) || '%'
                """, [county, fixture.township]
            ).map { try $0.decode(Int64.self, "id") }
            let matches = MatchRepository(client: fixture.client)
            for id in withdrawn {
                _ = try await matches.apply(.cancel, to: id, by: .system, reasonCode: "household_moved")
            }
            let narrowToken = try await fixture.token(
                login: "dash-review-township", role: .coordinator, region: fixture.township)
            let adminToken = try await fixture.token(login: "dash-review-admin", role: .admin)
            let everywhere = try await fixture.scalar(
                Int.self, "SELECT count(*)::int FROM matches WHERE run_id = $1 AND status = 'proposed'", [county])
            try await fixture.test { client in
                var narrow = Browser(client: client)
                _ = try await narrow.signIn(narrowToken)
                let none = try await narrow.get("/dashboard/review")
                #expect(none.html.contains("您的区域内没有待审核的匹配"), "the township's proposals were withdrawn")
                #expect(!none.html.contains("name=\"pick.\(outside)\""), "another township's proposal stays out")
                #expect(try await narrow.get("/dashboard/review?run=\(county)").status == .notFound)
                let started = try await narrow.post(
                    "/dashboard/runs", form: ["_csrf": Browser.csrf(in: none.html), "region": fixture.township])
                let location = try #require(started.headers[.location])
                let run = try await fixture.scalar(Int64.self, "SELECT max(id) FROM match_runs")
                #expect(location == "/dashboard/review?run=\(run)")
                let inside = try await fixture.scalar(
                    Int.self, "SELECT count(*)::int FROM matches WHERE run_id = $1 AND status = 'proposed'", [run])
                let page = try await narrow.get(location)
                #expect(inside > 0 && page.status == .ok && ReviewPageTests.rows(page.html) == min(50, inside))
                let forged = try await narrow.post(
                    "/dashboard/review",
                    form: ["_csrf": Browser.csrf(in: page.html), "run": String(run), "row": "approve.\(outside)"])
                #expect(forged.html.contains("#\(outside): #\(outside) 不存在，或不在您的区域内"))

                var admin = Browser(client: client)
                _ = try await admin.signIn(adminToken)
                let all = try await admin.get("/dashboard/review?run=\(county)")
                #expect(all.status == .ok && ReviewPageTests.rows(all.html) == min(50, everywhere))
                for path in ["/dashboard/runs", "/dashboard/charities", "/dashboard/audit"] {
                    #expect(try await admin.get(path).status == .ok)
                }
            }
            #expect(try await ReviewPageTests.status(fixture, outside) == "proposed")
        }
    }
}
