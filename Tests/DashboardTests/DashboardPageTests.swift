import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Store
import Testing

@Suite("Dashboard pages")
struct DashboardPageTests {
    @Test func aCoordinatorSignsInAndSeesTheRegionsOverview() async throws {
        try await DashboardFixture.with("dash_overview") { fixture in
            let openNeeds = try await fixture.scalar(
                Int.self,
                "SELECT count(*)::int FROM needs n JOIN households h ON h.id = n.household_id WHERE n.status = 'open' AND h.region_code LIKE '320508%'"
            )
            let delivered = try await fixture.scalar(
                Int.self, "SELECT count(*)::int FROM matches WHERE status = 'delivered'")
            let charityName = try await fixture.scalar(
                String.self, "SELECT name FROM charities WHERE id = $1", [fixture.charity])
            let township = try await fixture.scalar(
                String.self, "SELECT name FROM regions WHERE code = $1", [fixture.township])
            try await fixture.test { client in
                var browser = Browser(client: client)
                let unsigned = try await browser.get("/dashboard/overview")
                #expect(unsigned.status == .seeOther && unsigned.headers[.location] == "/dashboard/sign-in")
                #expect(try await browser.signIn(fixture.tokens[.coordinator] ?? "") == .seeOther)
                let session = try #require(browser.cookies["cm_session"])
                #expect(session.count == 43)
                let page = try await browser.get("/dashboard/overview")
                #expect(page.status == .ok)
                #expect(page.html.contains("<html lang=\"zh-CN\">") && page.html.contains("概览"))
                #expect(page.html.contains("<span class=\"value\">\(openNeeds)</span>"))
                #expect(page.html.contains("<span class=\"value\">\(delivered)</span>"))
                #expect(page.html.contains("资源缺口") && page.html.contains("<svg"))
                #expect(page.html.contains(SVGText.escaped(township)), "the gap map names the township")
                #expect(page.html.contains(SVGText.escaped(charityName)), "satisfaction names the charity")
                #expect(page.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                let english = try await browser.get("/dashboard/overview?lang=en")
                #expect(english.html.contains("<html lang=\"en\">") && english.html.contains("Resource gaps"))
                #expect(try await browser.get("/dashboard/overview").html.contains("Overview"), "the choice is kept")
            }
        }
    }

    @Test func badTokensAndFormsWithoutTheirCSRFTokenAreRefusedWithAMessage() async throws {
        try await DashboardFixture.with("dash_refusals") { fixture in
            try await fixture.test { client in
                var browser = Browser(client: client)
                let form = try await browser.get("/dashboard/sign-in")
                #expect(
                    !form.html.contains("aria-invalid=\"true\"") && !form.html.contains(">nil<"),
                    "a fresh form shows no error")
                let wrong = try await browser.post(
                    "/dashboard/sign-in", form: ["token": "cm_nonsense", "_csrf": Browser.csrf(in: form.html)])
                #expect(wrong.status == .unauthorized)
                #expect(wrong.html.contains("aria-invalid=\"true\"") && wrong.html.contains("令牌无效"))
                let forged = try await browser.post(
                    "/dashboard/sign-in", form: ["token": fixture.tokens[.coordinator] ?? "", "_csrf": "forged"])
                #expect(forged.status == .forbidden && forged.html.contains("表单已过期"))
                #expect(browser.cookies["cm_session"] == nil)
                #expect(try await browser.signIn(fixture.tokens[.coordinator] ?? "") == .seeOther)
                let signOutWithout = try await browser.post("/dashboard/sign-out", form: [:])
                #expect(signOutWithout.status == .forbidden)
                #expect(try await browser.get("/dashboard/overview").status == .ok, "still signed in")
                let page = try await browser.get("/dashboard/overview")
                #expect(
                    try await browser.post("/dashboard/sign-out", form: ["_csrf": Browser.csrf(in: page.html)]).status
                        == .seeOther)
                #expect(try await browser.get("/dashboard/overview").status == .seeOther, "signed out")
            }
        }
    }

    @Test func revokingTheTokenEndsItsDashboardSessions() async throws {
        try await DashboardFixture.with("dash_revoke") { fixture in
            let token = try #require(fixture.tokens[.coordinator])
            try await fixture.test { client in
                var browser = Browser(client: client)
                #expect(try await browser.signIn(token) == .seeOther)
                #expect(try await browser.get("/dashboard/overview").status == .ok)
                let principal = try #require(
                    try await TokenRepository(client: fixture.client).authenticate(token: token))
                _ = try await TokenRepository(client: fixture.client).revoke(token: principal.tokenID, by: .system)
                let after = try await browser.get("/dashboard/overview")
                #expect(after.status == .seeOther && after.headers[.location] == "/dashboard/sign-in")
            }
        }
    }

    @Test func eachRoleSeesOnlyItsOwnPages() async throws {
        try await DashboardFixture.with("dash_roles") { fixture in
            let ownOffer = try await fixture.scalar(
                String.self, "SELECT title FROM offers WHERE charity_id = $1 ORDER BY id LIMIT 1", [fixture.charity])
            let otherOffer = try await fixture.scalar(
                String.self,
                "SELECT title FROM offers WHERE charity_id = $1 AND title NOT IN (SELECT title FROM offers WHERE charity_id = $2) ORDER BY id LIMIT 1",
                [fixture.otherCharity, fixture.charity])
            let nearNeed = try await fixture.scalar(
                Int64.self,
                "SELECT min(n.id) FROM needs n JOIN households h ON h.id = n.household_id WHERE h.region_code LIKE left($1, 9) || '%'",
                [fixture.township])
            try await fixture.test { client in
                var charity = Browser(client: client)
                _ = try await charity.signIn(fixture.tokens[.charity] ?? "")
                let offers = try await charity.get("/dashboard/offers")
                #expect(offers.status == .ok)
                #expect(offers.html.contains(SVGText.escaped(ownOffer)))
                #expect(!offers.html.contains(SVGText.escaped(otherOffer)), "another charity's offers never show")
                #expect(try await charity.get("/dashboard/overview").headers[.location] == "/dashboard/matches")
                #expect(try await charity.get("/dashboard/needs").headers[.location] == "/dashboard/matches")
                var caseworker = Browser(client: client)
                _ = try await caseworker.signIn(fixture.tokens[.caseworker] ?? "")
                let needs = try await caseworker.get("/dashboard/needs?sort=oldest")
                #expect(needs.status == .ok && needs.html.contains("href=\"/dashboard/needs/\(nearNeed)\""))
                #expect(try await caseworker.get("/dashboard/overview").headers[.location] == "/dashboard/needs")
                #expect(!needs.html.contains("/dashboard/overview"), "no link to pages the role may not see")
            }
        }
    }
}

/// What the page's HTML escaping makes of a name, for searching rendered pages.
enum SVGText {
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
