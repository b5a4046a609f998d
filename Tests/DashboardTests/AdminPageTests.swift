import Foundation
import HTTPTypes
import Matching
import Store
import Testing

/// The administrator's pages and password sign-in, driven as a browser would (the journeys
/// in `scripts/lib/journeys/test_admin_*.py` drive the same in Chromium).
@Suite("Administrator pages")
struct AdminPageTests {
    @Test func aPasswordSignsInAndAWrongOneIsRefusedWithoutSayingWhy() async throws {
        try await DashboardFixture.with("dash_password") { fixture in
            let users = UserRepository(client: fixture.client)
            let admin = try await users.create(
                login: "dash-admin", name: "管理员", role: .admin, password: "right password",
                mustChangePassword: false, by: .system)
            try await fixture.test { client in
                var browser = Browser(client: client)
                let form = try await browser.get("/dashboard/sign-in")
                #expect(form.html.contains("name=\"login\"") && form.html.contains("name=\"token\""))
                let wrong = try await browser.post(
                    "/dashboard/sign-in",
                    form: ["login": "dash-admin", "password": "wrong one", "_csrf": Browser.csrf(in: form.html)])
                #expect(wrong.status == .unauthorized)
                let unknown = try await browser.post(
                    "/dashboard/sign-in",
                    form: ["login": "nobody", "password": "wrong one", "_csrf": Browser.csrf(in: wrong.html)])
                #expect(unknown.status == .unauthorized)
                #expect(Self.error(in: wrong.html) == Self.error(in: unknown.html), "the same words for both")
                let right = try await browser.post(
                    "/dashboard/sign-in",
                    form: [
                        "login": "dash-admin", "password": "right password", "_csrf": Browser.csrf(in: unknown.html),
                    ])
                #expect(right.status == .seeOther && right.headers[.location] == "/dashboard/overview")
                #expect(try await browser.get("/dashboard/admin/accounts").status == .ok)
                #expect(try await browser.get("/dashboard/admin/charities").status == .ok)
            }
            #expect(try await users.user(id: admin.id)?.lockedUntil == nil)
        }
    }

    @Test func aCoordinatorIsSentHomeFromTheAdministratorsPages() async throws {
        try await DashboardFixture.with("dash_admin_gate") { fixture in
            let token = try #require(fixture.tokens[.coordinator])
            try await fixture.test { client in
                var browser = Browser(client: client)
                #expect(try await browser.signIn(token) == .seeOther)
                for path in ["/dashboard/admin/accounts", "/dashboard/admin/charities"] {
                    let page = try await browser.get(path)
                    #expect(page.status == .seeOther && page.headers[.location] == "/dashboard/overview")
                }
            }
        }
    }

    @Test func aCharityWithABadCreditCodeIsRefusedWithTheFormKept() async throws {
        try await DashboardFixture.with("dash_register") { fixture in
            let token = try await fixture.token(login: "dash-admin", role: .admin)
            try await fixture.test { client in
                var browser = Browser(client: client)
                #expect(try await browser.signIn(token) == .seeOther)
                let page = try await browser.get("/dashboard/admin/charities")
                let code = try #require(CreditCode.completing("53320508MJ9876543")?.value)
                var bad = Array(code)
                bad[17] = bad[17] == "0" ? "1" : "0"
                let refused = try await browser.post(
                    "/dashboard/admin/charities",
                    form: [
                        "_csrf": Browser.csrf(in: page.html), "name": "新登记的基金会", "kind": "foundation",
                        "credit_code": String(bad),
                    ])
                #expect(refused.status == .unprocessableContent)
                #expect(refused.html.contains("新登记的基金会") && refused.html.contains("aria-invalid=\"true\""))
                let accepted = try await browser.post(
                    "/dashboard/admin/charities",
                    form: [
                        "_csrf": Browser.csrf(in: page.html), "name": "新登记的基金会", "kind": "foundation",
                        "credit_code": code,
                    ])
                #expect(accepted.status == .seeOther)
            }
            #expect(
                try await fixture.scalar(Int.self, "SELECT count(*) FROM charities WHERE name = '新登记的基金会'") == 1)
        }
    }

    private static func error(in html: String) -> String? {
        guard let start = html.range(of: "id=\"sign-in-error\" role=\"alert\">") else { return nil }
        return String(html[start.upperBound...].prefix { $0 != "<" })
    }
}
