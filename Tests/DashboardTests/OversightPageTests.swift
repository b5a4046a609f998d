import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Store
import Testing

@Suite("Dashboard charities and audit pages")
struct OversightPageTests {
    @Test func charitiesShowTheirRecordAndASuspensionNeedsAReason() async throws {
        try await DashboardFixture.with("dash_charities") { fixture in
            let standing = try await CharityRepository(client: fixture.client).standing(of: fixture.charity)
            let name = try await fixture.scalar(
                String.self, "SELECT name FROM charities WHERE id = $1", [fixture.charity])
            try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(fixture.tokens[.coordinator] ?? "")
                let page = try await browser.get("/dashboard/charities")
                #expect(page.status == .ok)
                let row = try #require(Self.row(of: SVGText.escaped(name), in: page.html))
                #expect(standing.deliveredMatches == 3)
                #expect(
                    row.contains(
                        "<td>3<br><span class=\"hint\">已确认签收 \(standing.confirmedMatches)</span></td>"
                            + "<td>\(standing.deliveredUnits)</td><td>0</td>"))
                #expect(row.contains(String(format: "<td>%.2f</td><td>3</td>", standing.satisfactionAverage ?? 0)))
                #expect(row.contains("<td>\(standing.openOffers)</td>"))
                #expect(row.contains("name=\"reason\""), "an active charity can be suspended")
                #expect(!page.html.contains(">nil<") && !page.html.contains("\"nil\""), "no absent value printed")
                let csrf = Browser.csrf(in: page.html)

                let blank = try await browser.post(
                    "/dashboard/charities/suspend",
                    form: ["_csrf": csrf, "charity": String(fixture.charity), "reason": " "])
                #expect(blank.status == .unprocessableContent)
                #expect(blank.html.contains("aria-describedby=\"reason-\(fixture.charity)-error\""))
                #expect(blank.html.contains("请填写原因"))
                #expect(try await Self.charityStatus(fixture) == "active")

                let done = try await browser.post(
                    "/dashboard/charities/suspend",
                    form: ["_csrf": csrf, "charity": String(fixture.charity), "reason": "多次未按约送达"])
                #expect(done.status == .ok && done.html.contains("已在您的区域暂停“\(SVGText.escaped(name))”"))
                #expect(try await Self.charityStatus(fixture) == "active", "a coordinator's suspension is regional")
                #expect(
                    try await fixture.scalar(
                        String.self, "SELECT region_prefix FROM charity_suspensions WHERE charity_id = $1",
                        [fixture.charity]) == "320508")
                let after = try #require(Self.row(of: SVGText.escaped(name), in: done.html))
                #expect(after.contains("已暂停") && after.contains("多次未按约送达") && !after.contains("name=\"reason\""))
                let again = try await browser.post(
                    "/dashboard/charities/suspend",
                    form: ["_csrf": csrf, "charity": String(fixture.charity), "reason": "再次"])
                #expect(again.status == .conflict && again.html.contains("不能再这样处理"))
            }
            let audit = try await fixture.scalar(
                Int.self,
                "SELECT count(*)::int FROM audit_log WHERE action = 'charity.suspend' AND entity_id = $1",
                [String(fixture.charity)])
            #expect(audit == 1)
        }
    }

    @Test func theAuditTrailShowsTheRegionsDecisionsWithTheirAuthors() async throws {
        try await DashboardFixture.with("dash_audit") { fixture in
            let matches = MatchRepository(client: fixture.client)
            let township = String(fixture.township.prefix(9))
            let inside = try await fixture.scalar(
                Int64.self,
                """
                SELECT min(m.id) FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                 WHERE m.status = 'proposed' AND h.region_code LIKE $1 || '%'
                """, [township])
            let outside = try await fixture.scalar(
                Int64.self,
                """
                SELECT min(m.id) FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                 WHERE m.status = 'proposed' AND h.region_code NOT LIKE $1 || '%'
                """, [township])
            _ = try await matches.apply(.reject, to: inside, by: .system, reasonCode: "not_eligible")
            _ = try await matches.apply(.reject, to: outside, by: .system, reasonCode: "duplicate_aid")
            // A coordinator of the caseworker's township, to see what a narrower scope reads.
            let token = try await fixture.token(
                login: "dash-township-coordinator", role: .coordinator, region: fixture.township)
            try await fixture.test { client in
                var county = Browser(client: client)
                _ = try await county.signIn(fixture.tokens[.coordinator] ?? "")
                let page = try await county.get("/dashboard/audit?action=match.reject")
                #expect(page.status == .ok)
                #expect(page.html.contains("系统驳回了匹配 #\(inside)</td><td data-label=\"原因\">不符合条件</td>"))
                #expect(page.html.contains("系统驳回了匹配 #\(outside)</td><td data-label=\"原因\">重复救助</td>"))
                #expect(!page.html.contains("批准了匹配"), "the action filter holds")
                #expect(!page.html.contains("match.reject</td>"), "in words, not codes")
                #expect(!page.html.contains(">nil<") && !page.html.contains("\"nil\""), "no absent value printed")

                let review = try await county.get("/dashboard/review")
                let decided = try await fixture.scalar(
                    Int64.self,
                    """
                    SELECT min(m.id) FROM matches m JOIN offers o ON o.id = m.offer_id
                     WHERE m.status = 'proposed' AND o.capacity - o.allocated >= m.units
                    """)
                _ = try await county.post(
                    "/dashboard/review",
                    form: ["_csrf": Browser.csrf(in: review.html), "row": "approve.\(decided)"])
                let mine = try await county.get("/dashboard/audit?entity=match")
                #expect(
                    mine.html.contains("Dashboard coordinator（协调员）批准了匹配 #\(decided)</td>"), "by name, in words")

                var narrow = Browser(client: client)
                _ = try await narrow.signIn(token)
                let scoped = try await narrow.get("/dashboard/audit?action=match.reject")
                #expect(scoped.html.contains("驳回了匹配 #\(inside)</td>"))
                #expect(!scoped.html.contains("驳回了匹配 #\(outside)</td>"), "another township's match stays out")
                #expect(scoped.html.contains("与本区域的家庭"), "the page says what it shows")

                let badAction = try await county.get("/dashboard/audit?action=Match%20Approve")
                #expect(badAction.status == .unprocessableContent)
                #expect(
                    badAction.html.contains("aria-describedby=\"a-action-error\"") && badAction.html.contains("点分名称"))
                let badDate = try await county.get("/dashboard/audit?from=2026-13-40")
                #expect(badDate.html.contains("aria-describedby=\"a-from-error\""))
                let backwards = try await county.get("/dashboard/audit?from=2026-11-20&until=2026-11-01")
                #expect(
                    backwards.html.contains("aria-describedby=\"a-until-error\"") && backwards.html.contains("不能早于"))
                let future = try await county.get("/dashboard/audit?from=2999-01-01")
                #expect(future.status == .ok && future.html.contains("没有符合条件的记录"))
            }
        }
    }

    /// The table row naming `name`, from its start to its end.
    static func row(of name: String, in html: String) -> String? {
        guard let start = html.range(of: "<td>\(name)</td>") else { return nil }
        guard let end = html.range(of: "</tr>", range: start.upperBound..<html.endIndex) else { return nil }
        return String(html[start.lowerBound..<end.lowerBound])
    }

    static func charityStatus(_ fixture: DashboardFixture) async throws -> String {
        try await fixture.scalar(String.self, "SELECT status FROM charities WHERE id = $1", [fixture.charity])
    }
}
