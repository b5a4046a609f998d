import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Matching
import Postgres
import Store
import Testing

@testable import Dashboard

@Suite("Caseworker pages")
struct CaseworkerPageTests {
    @Test func theRegionsHouseholdsAreListedMaskedAndLinkToTheirNeeds() async throws {
        try await DashboardFixture.with("dash_households") { fixture in
            let inside = try await fixture.client.query(
                """
                SELECT h.id, h.case_number, h.id_number_last4, h.contact_name, r.name AS village
                  FROM households h JOIN regions r ON r.code = h.region_code
                 WHERE h.region_code LIKE left($1, 9) || '%' ORDER BY h.id LIMIT 1
                """, [fixture.township])[0]
            let household = try inside.decode(Int64.self, "id")
            let caseNumber = try inside.decode(String.self, "case_number")
            let outside = try await fixture.scalar(
                Int64.self, "SELECT min(id) FROM households WHERE region_code NOT LIKE left($1, 9) || '%'",
                [fixture.township])
            let outsideCase = try await fixture.scalar(
                String.self, "SELECT case_number FROM households WHERE id = $1", [outside])
            let inRegion = try await fixture.scalar(
                Int.self, "SELECT count(*)::int FROM households WHERE region_code LIKE left($1, 9) || '%'",
                [fixture.township])
            let need = try await fixture.scalar(
                Int64.self, "SELECT min(id) FROM needs WHERE household_id = $1", [household])
            try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(fixture.tokens[.caseworker] ?? "")
                let list = try await browser.get("/dashboard/households")
                #expect(list.status == .ok)
                #expect(list.html.contains(SVGText.escaped(caseNumber)))
                let lastFour = try inside.decode(String.self, "id_number_last4")
                let village = try inside.decode(String.self, "village")
                #expect(list.html.contains("**************" + lastFour))
                #expect(list.html.contains(SVGText.escaped(village)))
                #expect(list.html.contains("href=\"/dashboard/households/\(household)\""))
                #expect(!list.html.contains(SVGText.escaped(outsideCase)), "another region's household never shows")
                #expect(list.html.contains("?page=2") == (inRegion > 50), "a long list pages")
                #expect(
                    list.html.contains("href=\"/dashboard/needs/new\"") && !list.html.contains("/dashboard/matches"))
                if let name = try inside.decode(String?.self, "contact_name") {
                    #expect(!list.html.contains(SVGText.escaped(name)))
                }

                let page = try await browser.get("/dashboard/households/\(household)")
                #expect(page.status == .ok && page.html.contains(SVGText.escaped(caseNumber)))
                #expect(page.html.contains("href=\"/dashboard/needs/\(need)\""), "the household's needs link on")
                #expect(page.html.contains("/dashboard/needs/new?household="))

                let elsewhere = try await browser.get("/dashboard/households/\(outside)")
                let missing = try await browser.get("/dashboard/households/999999999")
                #expect(elsewhere.status == .notFound && missing.status == .notFound)
                #expect(elsewhere.html == missing.html && elsewhere.html.contains("没有找到"))
            }
        }
    }

    @Test func theNeedPageRanksCandidatesAsCandidateRankingDoesAndSaysWhyOthersAreLeftOut() async throws {
        try await DashboardFixture.with("dash_need") { fixture in
            let scope = try #require(RegionScope(prefix: String(fixture.township.prefix(9))))
            // The run left little unmatched; turning down the township's proposals frees
            // needs and offers to rank.
            let proposals = try await fixture.client.query(
                """
                SELECT m.id FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                 WHERE m.status = 'proposed' AND h.region_code LIKE $1 || '%'
                """, [scope.prefix]
            ).map { try $0.decode(Int64.self, "id") }
            let matches = MatchRepository(client: fixture.client)
            for id in proposals {
                _ = try await matches.apply(.reject, to: id, by: .system, reasonCode: "not_eligible")
            }
            let open = try await fixture.client.query(
                """
                SELECT n.id FROM needs n JOIN households h ON h.id = n.household_id
                 WHERE n.status = 'open' AND h.region_code LIKE $1 || '%' ORDER BY n.id LIMIT 40
                """, [scope.prefix]
            ).map { try $0.decode(Int64.self, "id") }
            let ranking = CandidateRanking(client: fixture.client)
            var chosen: NeedCandidates?
            for id in open {
                let found = try await ranking.candidates(
                    forNeed: id, within: scope, policyName: nil, limit: 20, includeIneligible: true, asOf: Date())
                if found.ranked.count >= 2 && !found.ineligible.isEmpty {
                    chosen = found
                    break
                }
            }
            let candidates = try #require(chosen, "some open need of the township has candidates")
            let need = candidates.need
            let category = try await fixture.scalar(
                String.self, "SELECT name_zh FROM categories WHERE id = $1", [need.categoryID])
            let caseNumber = try await fixture.scalar(
                String.self, "SELECT case_number FROM households WHERE id = $1", [need.householdID])
            let outside = try await fixture.scalar(
                Int64.self,
                "SELECT min(n.id) FROM needs n JOIN households h ON h.id = n.household_id WHERE h.region_code NOT LIKE $1 || '%'",
                [scope.prefix])
            try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(fixture.tokens[.caseworker] ?? "")
                let list = try await browser.get("/dashboard/needs")
                #expect(list.html.contains("href=\"/dashboard/needs/"), "the needs list links to each need")
                let page = try await browser.get("/dashboard/needs/\(need.id)")
                #expect(page.status == .ok)
                #expect(
                    page.html.contains(SVGText.escaped(category)) && page.html.contains(SVGText.escaped(caseNumber)))
                let expected = candidates.ranked.map {
                    [SVGText.escaped($0.offerTitle), SVGText.escaped($0.charityName)]
                }
                #expect(Self.rankedRows(page.html) == expected)
                #expect(Self.count("class=\"chart breakdown\"", in: page.html) == candidates.ranked.count)
                #expect(Self.count("class=\"chart legend\"", in: page.html) == 1, "one legend for all bars")
                // The excluded offers are grouped by reason: each reason once, with its count.
                var byReason: [String: Int] = [:]
                for offer in candidates.ineligible {
                    for reason in offer.reasons { byReason[reason.code, default: 0] += 1 }
                }
                for (code, count) in byReason {
                    let shown = DashboardText.strings(.chinese)["reason." + code] ?? code
                    #expect(Self.count("<strong>\(SVGText.escaped(shown))</strong> · \(count)<", in: page.html) == 1)
                }
                for offer in candidates.ineligible.prefix(50) {
                    #expect(page.html.contains(SVGText.escaped(offer.offerTitle)))
                }
                let elsewhere = try await browser.get("/dashboard/needs/\(outside)")
                let missing = try await browser.get("/dashboard/needs/999999999")
                #expect(elsewhere.status == .notFound && missing.status == .notFound)
                #expect(elsewhere.html == missing.html)
            }
        }
    }

    @Test func recordingANeedAddsExactlyOneRowAndARefusedFormKeepsItsValues() async throws {
        try await DashboardFixture.with("dash_new_need") { fixture in
            let row = try await fixture.client.query(
                """
                SELECT h.id, h.case_number, c.id AS category, c.name_zh FROM households h, categories c
                 WHERE h.region_code LIKE left($1, 9) || '%' AND c.level = 2 AND c.default_unit IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM needs n WHERE n.household_id = h.id AND n.category_id = c.id
                                     AND n.status IN ('open', 'matched'))
                 ORDER BY h.id, c.id LIMIT 1
                """, [fixture.township])[0]
            let household = try row.decode(Int64.self, "id")
            let caseNumber = try row.decode(String.self, "case_number")
            let category = try row.decode(Int64.self, "category")
            let outsideCase = try await fixture.scalar(
                String.self,
                "SELECT case_number FROM households WHERE region_code NOT LIKE left($1, 9) || '%' ORDER BY id LIMIT 1",
                [fixture.township])
            let needCount: @Sendable () async throws -> Int = {
                try await fixture.scalar(Int.self, "SELECT count(*)::int FROM needs")
            }
            let before = try await needCount()
            try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(fixture.tokens[.caseworker] ?? "")
                let form = try await browser.get("/dashboard/needs/new?household=" + caseNumber)
                #expect(form.status == .ok && form.html.contains("value=\"\(SVGText.escaped(caseNumber))\""))
                let categoryName = try row.decode(String.self, "name_zh")
                #expect(form.html.contains("<optgroup label=") && form.html.contains(categoryName))
                let csrf = Browser.csrf(in: form.html)
                var fields = [
                    "_csrf": csrf, "household": caseNumber, "category": String(category), "quantity": "0",
                    "unit": "", "urgency": "4", "needed_by": "", "description": "冬季取暖 <急>",
                ]
                let bad = try await browser.post("/dashboard/needs/new", form: fields)
                #expect(bad.status == .unprocessableContent)
                #expect(bad.html.contains("aria-invalid=\"true\" aria-describedby=\"quantity-error\""))
                #expect(bad.html.contains("id=\"quantity-error\">数量须为"))
                #expect(bad.html.contains("value=\"\(SVGText.escaped(caseNumber))\""), "the values stay")
                #expect(bad.html.contains("<option value=\"\(category)\" selected>"))
                #expect(bad.html.contains("<option value=\"4\" selected>"))
                #expect(bad.html.contains("冬季取暖 &lt;急&gt;"))
                #expect(!bad.html.contains("aria-describedby=\"household-error\""), "only the bad field is marked")
                #expect(try await needCount() == before)

                fields["quantity"] = "2"
                fields["household"] = outsideCase
                let elsewhere = try await browser.post("/dashboard/needs/new", form: fields)
                #expect(elsewhere.status == .unprocessableContent && elsewhere.html.contains("id=\"household-error\""))
                fields["household"] = caseNumber
                fields["needed_by"] = "2001-01-01"
                let past = try await browser.post("/dashboard/needs/new", form: fields)
                #expect(past.status == .unprocessableContent && past.html.contains("id=\"needed_by-error\""))
                fields["needed_by"] = ""
                var forged = fields
                forged["_csrf"] = "forged"
                #expect(try await browser.post("/dashboard/needs/new", form: forged).status == .forbidden)
                #expect(try await needCount() == before, "nothing refused was stored")

                let created = try await browser.post("/dashboard/needs/new", form: fields)
                #expect(created.status == .seeOther)
                #expect(try await needCount() == before + 1)
                let stored = try await fixture.client.query(
                    "SELECT id, quantity, urgency, category_id FROM needs WHERE household_id = $1 AND category_id = $2 AND status = 'open'",
                    [household, category])
                #expect(stored.count == 1)
                let id = try stored[0].decode(Int64.self, "id")
                #expect(try stored[0].decode(Int.self, "quantity") == 2)
                #expect(created.headers[.location] == "/dashboard/needs/\(id)")
                #expect(try await browser.get("/dashboard/needs/\(id)").status == .ok)
            }
        }
    }

    @Test func feedbackOnADeliveredMatchIsRecordedOnceAndRefusalsShowByTheField() async throws {
        try await DashboardFixture.with("dash_feedback") { fixture in
            let matches = MatchRepository(client: fixture.client)
            let proposals = try await fixture.client.query(
                """
                SELECT m.id FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                 WHERE m.status = 'proposed' AND h.region_code LIKE left($1, 9) || '%' ORDER BY m.id LIMIT 10
                """, [fixture.township]
            ).map { try $0.decode(Int64.self, "id") }
            var delivered: MatchRecord?
            for id in proposals where delivered == nil {
                guard (try? await matches.approve(match: id, by: .system)) != nil else { continue }
                _ = try await matches.apply(.accept, to: id, by: .system)
                delivered = try await matches.apply(.deliver, to: id, by: .system)
            }
            let match = try #require(delivered, "a proposal of the township can be delivered")
            let outside = try await fixture.scalar(
                Int64.self,
                """
                SELECT min(m.id) FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
                 WHERE h.region_code NOT LIKE left($1, 9) || '%'
                """, [fixture.township])
            let ratings: @Sendable () async throws -> Int = {
                try await fixture.scalar(Int.self, "SELECT count(*)::int FROM feedback WHERE match_id = $1", [match.id])
            }
            try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(fixture.tokens[.caseworker] ?? "")
                let page = try await browser.get("/dashboard/needs/\(match.needID)")
                let action = "/dashboard/matches/\(match.id)/feedback"
                #expect(page.html.contains("action=\"\(action)\""))
                let csrf = Browser.csrf(in: page.html)
                let bad = try await browser.post(action, form: ["_csrf": csrf, "satisfaction": "9", "comment": "按时"])
                #expect(bad.status == .unprocessableContent)
                #expect(bad.html.contains("aria-describedby=\"satisfaction-\(match.id)-error\""))
                #expect(bad.html.contains("id=\"satisfaction-\(match.id)-error\">请选择 1 到 5"))
                #expect(bad.html.contains(">按时</textarea>"), "the comment stays")
                #expect(try await browser.post(action, form: ["satisfaction": "4"]).status == .forbidden)
                #expect(try await ratings() == 0)

                let saved = try await browser.post(
                    action, form: ["_csrf": csrf, "satisfaction": "4", "comment": "按时送达"])
                #expect(saved.status == .seeOther)
                #expect(saved.headers[.location] == "/dashboard/needs/\(match.needID)#match-\(match.id)")
                #expect(try await ratings() == 1)
                #expect(
                    try await fixture.scalar(
                        Int.self, "SELECT satisfaction FROM feedback WHERE match_id = $1", [match.id])
                        == 4)
                let after = try await browser.get("/dashboard/needs/\(match.needID)")
                #expect(after.html.contains("4/5</span> 按时送达") && !after.html.contains("action=\"\(action)\""))
                let again = try await browser.post(action, form: ["_csrf": csrf, "satisfaction": "2"])
                #expect(again.status == .conflict && again.html.contains("已经有回访记录"))
                #expect(try await ratings() == 1)
                let elsewhere = try await browser.post(
                    "/dashboard/matches/\(outside)/feedback", form: ["_csrf": csrf, "satisfaction": "3"])
                #expect(elsewhere.status == .notFound)
            }
        }
    }

    /// The title and charity cells of the ranked rows, in order.
    static func rankedRows(_ html: String) -> [[String]] {
        html.components(separatedBy: "<tr class=\"ranked\">").dropFirst().map { row in
            let cells = row.components(separatedBy: "<td>").dropFirst().map {
                String($0.prefix { $0 != "<" })
            }
            return Array(cells.dropFirst().prefix(2))
        }
    }

    static func count(_ needle: String, in html: String) -> Int {
        html.components(separatedBy: needle).count - 1
    }
}
