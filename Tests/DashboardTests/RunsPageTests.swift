import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Matching
import Postgres
import Store
import Testing

@Suite("Dashboard runs page")
struct RunsPageTests {
    @Test func theHistoryListsRunsAndTheFormStartsDryAndRealRunsOrSaysWhyNot() async throws {
        try await DashboardFixture.with("dash_runs") { fixture in
            let run = try await fixture.scalar(Int64.self, "SELECT max(id) FROM match_runs")
            let matches = try await fixture.scalar(
                Int.self, "SELECT matches_count FROM match_runs WHERE id = $1", [run])
            let county = try await fixture.scalar(String.self, "SELECT name FROM regions WHERE code = '320508000000'")
            let runs = try await fixture.scalar(Int.self, "SELECT count(*)::int FROM match_runs")
            try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(fixture.tokens[.coordinator] ?? "")
                let page = try await browser.get("/dashboard/runs")
                #expect(page.status == .ok)
                #expect(page.html.contains("<td>\(run)</td>") && page.html.contains("<td>\(matches)</td>"))
                #expect(page.html.contains("\(SVGText.escaped(county)) (320508000000)"))
                #expect(page.html.contains("<td>standard v1</td>"))
                #expect(page.html.contains("href=\"/dashboard/review?run=\(run)\""))
                #expect(page.html.contains("value=\"320508000000\""), "the region field starts at the caller's region")
                #expect(!page.html.contains(">nil<") && !page.html.contains("\"nil\""), "no absent value printed")
                let csrf = Browser.csrf(in: page.html)

                let short = try await browser.post("/dashboard/runs", form: ["_csrf": csrf, "region": "3205"])
                #expect(short.status == .unprocessableContent)
                #expect(short.html.contains("aria-describedby=\"run-region-error\"") && short.html.contains("12 位区域代码"))
                let outside = try await browser.post(
                    "/dashboard/runs", form: ["_csrf": csrf, "region": "110105000000"])
                #expect(outside.status == .unprocessableContent && outside.html.contains("只能选择您所辖区域内的区域"))
                let dry = try await browser.post(
                    "/dashboard/runs", form: ["_csrf": csrf, "region": "320508000000", "dry_run": "1"])
                #expect(dry.status == .ok && dry.html.contains("试运行完成（区域 320508000000）"))
                #expect(try await fixture.scalar(Int.self, "SELECT count(*)::int FROM match_runs") == runs)

                // Another run over the county holds its lock: the form says so and nothing runs.
                try await fixture.client.withReservedConnection { held in
                    try await held.run {
                        try $0.query("SELECT pg_advisory_lock($1, hashtext('320508'))", [Self.runLocks])
                    }
                    let busy = try await browser.post(
                        "/dashboard/runs", form: ["_csrf": csrf, "region": fixture.township])
                    #expect(busy.status == .conflict && busy.html.contains("正在进行，请等它结束后再试"))
                    try await held.run {
                        try $0.query("SELECT pg_advisory_unlock($1, hashtext('320508'))", [Self.runLocks])
                    }
                }
                #expect(try await fixture.scalar(Int.self, "SELECT count(*)::int FROM match_runs") == runs)

                let real = try await browser.post("/dashboard/runs", form: ["_csrf": csrf, "region": fixture.township])
                let newest = try await fixture.scalar(Int64.self, "SELECT max(id) FROM match_runs")
                let proposed = try await fixture.scalar(
                    Int.self, "SELECT matches_count FROM match_runs WHERE id = $1", [newest])
                if proposed > 0 {
                    #expect(real.status == .seeOther && real.headers[.location] == "/dashboard/review?run=\(newest)")
                } else {
                    #expect(real.status == .ok && real.html.contains("匹配运行 #\(newest) 已保存"))
                    #expect(real.html.contains("为什么没有提出匹配") && real.html.contains("<dt>待满足需求</dt>"))
                }
                #expect(
                    try await fixture.scalar(String.self, "SELECT region_code FROM match_runs WHERE id = $1", [newest])
                        == fixture.township)
            }
        }
    }

    @Test func thePreviewComparesCurrentAndTrialUnitsPerCategoryAndPublishesTheWeights() async throws {
        try await DashboardFixture.with("dash_preview") { fixture in
            guard let county = RegionCode("320508000000") else { preconditionFailure("a county code") }
            // The fixture's run left its households at their cap for the month; fresh county-wide
            // offers give the households it left out something to preview.
            try await fixture.client.query(
                """
                INSERT INTO offers (charity_id, category_id, title, capacity, unit, service_region_prefixes)
                SELECT (SELECT min(id) FROM charities WHERE status = 'active'), c.id, 'restock ' || c.code, 50,
                       coalesce(c.default_unit, 'portion'), ARRAY['320508']
                  FROM categories c WHERE c.level = 2
                """)
            let current = try await MatchingRuns(client: fixture.client).run(
                MatchingRunRequest(region: county, dryRun: true)
            ).0
            let code = try #require(current.unitsByCategory.max { $0.value < $1.value }?.key)
            let category = try await fixture.scalar(
                String.self, "SELECT name_zh FROM categories WHERE code = $1", [code])
            try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(fixture.tokens[.coordinator] ?? "")
                let page = try await browser.get("/dashboard/runs")
                #expect(
                    page.html.contains(
                        "name=\"w.urgency\" type=\"text\" inputmode=\"decimal\" size=\"6\" value=\"0.25\""))
                let csrf = Browser.csrf(in: page.html)
                var weights = ["_csrf": csrf, "region": "320508000000"]
                for factor in ScoreFactor.allCases { weights["w." + factor.rawValue] = "0" }
                weights["w.urgency"] = "3"
                weights["w.fairness"] = "1"
                let preview = try await browser.post("/dashboard/runs/preview", form: weights)
                #expect(preview.status == .ok)
                #expect(preview.html.contains("<th>现行</th><th>试用</th><th>差额</th>"))
                let rows = Self.previewRows(preview.html)
                #expect(rows.contains { $0.label == SVGText.escaped(category) }, "the busiest category has a row")
                #expect(rows.allSatisfy { $0.difference == $0.trial - $0.current })
                #expect(preview.html.contains("<th>单位合计</th><td>\(rows.map(\.current).reduce(0, +))</td>"))
                #expect(preview.html.contains("action=\"/dashboard/runs/publish\""))
                #expect(preview.html.contains("name=\"w.urgency\" value=\"3\""), "publish sends the weights tried")

                var negative = weights
                negative["w.proximity"] = "-1"
                let refused = try await browser.post("/dashboard/runs/preview", form: negative)
                #expect(refused.status == .unprocessableContent)
                #expect(
                    refused.html.contains("aria-describedby=\"w-proximity-error\"") && refused.html.contains("不能为负数"))
                var zero = weights
                for factor in ScoreFactor.allCases { zero["w." + factor.rawValue] = "0" }
                #expect(try await browser.post("/dashboard/runs/preview", form: zero).html.contains("至少要有一项权重大于 0"))
                var text = weights
                text["w.urgency"] = "很多"
                #expect(try await browser.post("/dashboard/runs/preview", form: text).html.contains("请输入数字"))

                var publish = weights
                publish["region"] = nil
                publish["description"] = "urgency first"
                let published = try await browser.post("/dashboard/runs/publish", form: publish)
                #expect(published.status == .ok && published.html.contains("已为320508发布 standard 第 1 版"))
            }
            let policies = WeightPolicyRepository(client: fixture.client)
            let active = try await policies.active(named: "standard", for: RegionCode("320508000000"))
            #expect(active.region?.prefix == "320508" && active.policy.version == 1, "the county's own version")
            #expect(abs(active.policy.weight(.urgency) - 0.75) < 1e-9)
            let national = try await policies.active(named: "standard", for: nil)
            #expect(national.policy.version == 1 && national.region == nil, "the national policy is untouched")
        }
    }

    /// The advisory-lock class matching runs lock their regions in ("CMRU").
    static let runLocks = Int32(0x434D_5255)

    /// The category rows of a preview table: name, current units, trial units, difference.
    static func previewRows(_ html: String) -> [(label: String, current: Int, trial: Int, difference: Int)] {
        let row = /<tr><td>([^<]+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><td>([+-]?\d+)<\/td><\/tr>/
        return html.matches(of: row).compactMap { match in
            guard let current = Int(match.2), let trial = Int(match.3), let difference = Int(match.4) else {
                return nil
            }
            return (String(match.1), current, trial, difference)
        }
    }
}
