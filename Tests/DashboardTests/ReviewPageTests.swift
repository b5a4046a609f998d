import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Matching
import Postgres
import Store
import Testing

@Suite("Dashboard review page")
struct ReviewPageTests {
    @Test func everyRunsProposalsShowWithTheirNeedOfferAndScoreBreakdown() async throws {
        try await DashboardFixture.with("dash_review") { fixture in
            let run = try await fixture.scalar(Int64.self, "SELECT max(id) FROM match_runs")
            let proposed = try await fixture.scalar(
                Int.self, "SELECT count(*)::int FROM matches WHERE run_id = $1 AND status = 'proposed'", [run])
            let first = try await fixture.client.query(
                """
                SELECT m.id, o.title, c.name AS charity, cat.name_zh AS category
                  FROM matches m JOIN offers o ON o.id = m.offer_id JOIN charities c ON c.id = o.charity_id
                  JOIN needs n ON n.id = m.need_id JOIN categories cat ON cat.id = n.category_id
                 WHERE m.run_id = $1 AND m.status = 'proposed' ORDER BY m.id LIMIT 1
                """, [run])[0]
            let firstID = try first.decode(Int64.self, "id")
            let ofCharity = try await fixture.scalar(
                Int.self,
                """
                SELECT count(*)::int FROM matches m JOIN offers o ON o.id = m.offer_id
                 WHERE m.run_id = $1 AND m.status = 'proposed' AND o.charity_id = $2
                """, [run, fixture.charity])
            try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(fixture.tokens[.coordinator] ?? "")
                let waiting = try await fixture.scalar(
                    Int.self, "SELECT count(*)::int FROM matches WHERE status = 'proposed'")
                let all = try await browser.get("/dashboard/review")
                #expect(all.status == .ok)
                #expect(all.html.contains("共 \(waiting) 条"), "every run's proposals by default")
                let page = try await browser.get("/dashboard/review?run=\(run)")
                #expect(page.html.contains("匹配运行 #\(run)"))
                #expect(Self.rows(page.html) == min(50, proposed))
                #expect(
                    page.html.contains("href=\"/dashboard/needs/")
                        && page.html.contains("href=\"/dashboard/households/"))
                #expect(page.html.contains("name=\"pick.\(firstID)\""))
                #expect(page.html.contains(SVGText.escaped(try first.decode(String.self, "title"))))
                #expect(page.html.contains(SVGText.escaped(try first.decode(String.self, "charity"))))
                #expect(page.html.contains(">\(SVGText.escaped(try first.decode(String.self, "category")))</a>"))
                #expect(page.html.contains("class=\"chart breakdown\"") && page.html.contains("<title>紧急程度: "))
                #expect(page.html.components(separatedBy: "class=\"chart legend\"").count == 2, "one legend")
                #expect(page.html.contains("<th>贡献</th>"), "each row's terms in a details table")
                #expect(!page.html.contains(">nil<") && !page.html.contains("\"nil\""), "no absent value printed")
                if proposed > 50 { #expect(page.html.contains("/dashboard/review?run=\(run)&amp;page=2")) }

                let filtered = try await browser.get("/dashboard/review?run=\(run)&charity=\(fixture.charity)")
                #expect(Self.rows(filtered.html) == min(50, ofCharity))
                let high = try await browser.get("/dashboard/review?run=\(run)&min=0.999")
                #expect(high.status == .ok && Self.rows(high.html) == 0 && high.html.contains("没有待审核的匹配"))
                let wrong = try await browser.get("/dashboard/review?run=\(run)&min=abc&max=0.2")
                #expect(wrong.status == .unprocessableContent)
                #expect(wrong.html.contains("aria-describedby=\"f-min-error\"") && wrong.html.contains("0 到 1 之间"))
                let english = try await browser.get("/dashboard/review?run=\(run)&lang=en")
                #expect(english.html.contains("Select all on this page") && english.html.contains("Approve selected"))
                let missing = try await browser.get("/dashboard/review?run=999999&lang=zh-CN")
                #expect(missing.status == .notFound && missing.html.contains("找不到这次匹配运行"))
            }
        }
    }

    @Test func bulkApprovalChangesExactlyTheTickedProposalsAndReportsEachRefusal() async throws {
        try await DashboardFixture.with("dash_review_bulk") { fixture in
            let run = try await fixture.scalar(Int64.self, "SELECT max(id) FROM match_runs")
            // An offer with units already held, shrunk to exactly those: its proposals cannot go ahead.
            let full = try await fixture.client.query(
                """
                SELECT m.id, m.offer_id FROM matches m JOIN offers o ON o.id = m.offer_id
                 WHERE m.run_id = $1 AND m.status = 'proposed' AND o.allocated > 0 ORDER BY m.id LIMIT 1
                """, [run])[0]
            let refused = try full.decode(Int64.self, "id")
            let fullOffer = try full.decode(Int64.self, "offer_id")
            try await fixture.client.query("UPDATE offers SET capacity = allocated WHERE id = $1", [fullOffer])
            let chosen = try await fixture.client.query(
                """
                SELECT DISTINCT ON (m.offer_id) m.id FROM matches m
                 WHERE m.run_id = $1 AND m.status = 'proposed' AND m.offer_id <> $2 ORDER BY m.offer_id, m.id LIMIT 2
                """, [run, fullOffer]
            ).map { try $0.decode(Int64.self, "id") }
            let proposedBefore = try await Self.count(fixture, "proposed")
            let approvedBefore = try await Self.count(fixture, "approved")
            try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(fixture.tokens[.coordinator] ?? "")
                let page = try await browser.get("/dashboard/review?run=\(run)")
                var form = ["_csrf": Browser.csrf(in: page.html), "run": String(run), "decision": "approve"]
                for id in chosen + [refused] { form["pick.\(id)"] = "1" }
                let answer = try await browser.post("/dashboard/review", form: form)
                #expect(answer.status == .ok)
                #expect(answer.html.contains("已处理 2 条，1 条未能处理"))
                #expect(answer.html.contains("#\(refused): 供给 #\(fullOffer) 只剩 0 个单位"))
                for id in chosen { #expect(answer.html.contains("#\(id): 已批准")) }
                #expect(try await Self.count(fixture, "approved") == approvedBefore + 2)
                #expect(try await Self.count(fixture, "proposed") == proposedBefore - 2)
                for id in chosen { #expect(try await Self.status(fixture, id) == "approved") }
                #expect(try await Self.status(fixture, refused) == "proposed")

                let next = try await fixture.scalar(
                    Int64.self,
                    "SELECT min(id) FROM matches WHERE run_id = $1 AND status = 'proposed' AND offer_id <> $2",
                    [run, fullOffer])
                let noReason = try await browser.post(
                    "/dashboard/review",
                    form: ["_csrf": Browser.csrf(in: answer.html), "run": String(run), "row": "reject.\(next)"])
                #expect(noReason.status == .unprocessableContent)
                #expect(noReason.html.contains("aria-describedby=\"reason-\(next)-error\""), "on the row")
                #expect(noReason.html.contains("驳回时必须选择原因"))
                #expect(try await Self.status(fixture, next) == "proposed")
                let rejected = try await browser.post(
                    "/dashboard/review",
                    form: [
                        "_csrf": Browser.csrf(in: answer.html), "run": String(run), "row": "reject.\(next)",
                        "reason.\(next)": "duplicate_aid", "note": "已由民政临时救助",
                    ])
                #expect(rejected.html.contains("#\(next): 已驳回"))
                #expect(try await Self.status(fixture, next) == "rejected")
                #expect(
                    try await fixture.scalar(String.self, "SELECT reason_code FROM matches WHERE id = $1", [next])
                        == "duplicate_aid")
                let nothing = try await browser.post(
                    "/dashboard/review",
                    form: ["_csrf": Browser.csrf(in: answer.html), "run": String(run), "decision": "approve"])
                #expect(nothing.status == .unprocessableContent && nothing.html.contains("请至少勾选一个匹配"))
            }
        }
    }

    @Test func handMadeProposalsWaitOnTheReviewPageMarkedAsSuch() async throws {
        try await DashboardFixture.with("dash_review_hand") { fixture in
            let caseworker = try await fixture.scalar(
                Int64.self, "SELECT id FROM users WHERE login = 'dash-caseworker'")
            let principal = Principal(
                userID: caseworker, tokenID: 0, role: .caseworker,
                regionScope: RegionCode(fixture.township)?.scope, charityID: nil)
            // The run's pending proposals hold what was left: give every open offer a few units more.
            try await fixture.client.query("UPDATE offers SET capacity = capacity + 5 WHERE status = 'open'")
            let needs = try await fixture.client.query(
                """
                SELECT n.id FROM needs n JOIN households h ON h.id = n.household_id
                 WHERE n.status = 'open' AND h.region_code LIKE left($1, 9) || '%' ORDER BY n.id LIMIT 60
                """, [fixture.township]
            ).map { try $0.decode(Int64.self, "id") }
            var made: MatchRecord?
            for need in needs where made == nil {
                let ranked = try await CandidateRanking(client: fixture.client).candidates(
                    forNeed: need, within: principal.regionLimit, policyName: nil, limit: 1, includeIneligible: false,
                    asOf: Date())
                guard let offer = ranked.ranked.first?.offerID else { continue }
                made = try await MatchRepository(client: fixture.client).propose(
                    need: need, offer: offer, units: nil, by: principal)
            }
            let match = try #require(made)
            #expect(match.runID == nil && match.breakdown != nil)
            try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(fixture.tokens[.coordinator] ?? "")
                let all = try await browser.get("/dashboard/review")
                #expect(all.html.contains("<option value=\"manual\""), "a choice of what waits")
                let page = try await browser.get("/dashboard/review?run=manual")
                #expect(page.status == .ok)
                #expect(page.html.contains("社工手工提议") && page.html.contains("name=\"pick.\(match.id)\""))
                #expect(page.html.contains("<span class=\"badge\">手工</span>"))
                let english = try await browser.get("/dashboard/review?run=manual&lang=en")
                #expect(english.html.contains("Hand-made proposals") && english.html.contains(">hand-made</span>"))
                let approved = try await browser.post(
                    "/dashboard/review",
                    form: ["_csrf": Browser.csrf(in: page.html), "run": "manual", "row": "approve.\(match.id)"])
                #expect(
                    approved.status == .ok && approved.html.contains("#\(match.id): Approved"), "English is remembered")
                #expect(try await Self.status(fixture, match.id) == "approved")
            }
        }
    }

    /// Rows of the review table: one tick box each.
    static func rows(_ html: String) -> Int {
        html.components(separatedBy: "type=\"checkbox\" name=\"pick.").count - 1
    }

    static func count(_ fixture: DashboardFixture, _ status: String) async throws -> Int {
        try await fixture.scalar(Int.self, "SELECT count(*)::int FROM matches WHERE status = $1", [status])
    }

    static func status(_ fixture: DashboardFixture, _ match: Int64) async throws -> String {
        try await fixture.scalar(String.self, "SELECT status FROM matches WHERE id = $1", [match])
    }
}
