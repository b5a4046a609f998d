import Foundation
import HTTPTypes
import Postgres
import Store
import Testing

/// The receipt review on the need page and the complaints pages ask the Store like the API
/// does: a caseworker of the household's township confirms or disputes once, anyone raises
/// a complaint about what they see, a coordinator handles it with an outcome, and the rest
/// are refused the way the dashboard refuses.
@Suite("Dashboard receipts and complaints")
struct ComplaintPageTests {
    /// The fixture's delivered matches (its charity's) with the township of each household.
    private static func delivered(_ fixture: DashboardFixture) async throws -> [(match: Int64, township: String)] {
        try await fixture.client.query(
            """
            SELECT m.id, left(h.region_code, 9) || '000' AS township FROM matches m
              JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
             WHERE m.status = 'delivered' ORDER BY m.id
            """
        ).map { (try $0.decode(Int64.self, "id"), try $0.decode(String.self, "township")) }
    }

    @Test func aCaseworkerConfirmsOnceAndADisputeNeedsAReason() async throws {
        try await DashboardFixture.with("dash_receipts") { fixture in
            let matches = try await Self.delivered(fixture)
            let first = try #require(matches.first)
            let token = try await fixture.token(login: "receipt-caseworker", role: .caseworker, region: first.township)
            try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(token)
                let csrf = Browser.csrf(in: try await browser.get("/dashboard/needs").html)
                let path = "/dashboard/matches/\(first.match)/receipt"
                let blank = try await browser.post(path + "/dispute", form: ["_csrf": csrf, "reason": " "])
                #expect(blank.status == .unprocessableContent && blank.html.contains("请写明异议原因"))
                let confirmed = try await browser.post(path + "/confirm", form: ["_csrf": csrf])
                #expect(confirmed.status == .seeOther)
                let again = try await browser.post(path + "/confirm", form: ["_csrf": csrf])
                #expect(again.status == .conflict && again.html.contains("这次送达已经确认或提出过异议"))
            }
            let status = try await fixture.scalar(
                String.self, "SELECT receipt_status FROM matches WHERE id = $1", [first.match])
            #expect(status == "confirmed")
        }
    }

    @Test func aCharityRaisesACoordinatorResolvesAndOthersAreRefused() async throws {
        try await DashboardFixture.with("dash_complaints") { fixture in
            let match = try #require(try await Self.delivered(fixture).first).match
            try await fixture.test { client in
                var charity = Browser(client: client)
                _ = try await charity.signIn(fixture.tokens[.charity] ?? "")
                let form = try await charity.get("/dashboard/complaints/new?subject=match&id=\(match)")
                #expect(form.status == .ok)
                let csrf = Browser.csrf(in: form.html)
                let empty = try await charity.post(
                    "/dashboard/complaints/new",
                    form: ["_csrf": csrf, "subject": "match", "id": String(match), "category": "other", "text": ""])
                #expect(empty.status == .unprocessableContent)
                let raised = try await charity.post(
                    "/dashboard/complaints/new",
                    form: [
                        "_csrf": csrf, "subject": "match", "id": String(match), "category": "privacy",
                        "text": "住址被转给了第三方",
                    ])
                #expect(raised.status == .seeOther)
                #expect(try await charity.get("/dashboard/complaints").html.contains("住址被转给了第三方"))

                var other = Browser(client: client)
                _ = try await other.signIn(fixture.tokens[.otherCharity] ?? "")
                #expect(!(try await other.get("/dashboard/complaints").html.contains("住址被转给了第三方")))
                let otherCSRF = Browser.csrf(in: try await other.get("/dashboard/matches").html)
                let refused = try await other.post(
                    "/dashboard/complaints/new",
                    form: [
                        "_csrf": otherCSRF, "subject": "match", "id": String(match), "category": "other",
                        "text": "x",
                    ])
                #expect(refused.status == .notFound)

                let id = try await fixture.scalar(Int64.self, "SELECT max(id) FROM complaints")
                var coordinator = Browser(client: client)
                _ = try await coordinator.signIn(fixture.tokens[.coordinator] ?? "")
                let list = try await coordinator.get("/dashboard/complaints")
                #expect(list.status == .ok && list.html.contains("complaint-\(id)"))
                let handle = Browser.csrf(in: list.html)
                let noOutcome = try await coordinator.post(
                    "/dashboard/complaints/\(id)/resolve", form: ["_csrf": handle, "resolution": "resolved"])
                #expect(noOutcome.status == .unprocessableContent && noOutcome.html.contains("请填写处理结果"))
                let resolved = try await coordinator.post(
                    "/dashboard/complaints/\(id)/resolve",
                    form: ["_csrf": handle, "resolution": "dismissed", "outcome": "经核实为误会"])
                #expect(resolved.status == .seeOther)

                var caseworker = Browser(client: client)
                _ = try await caseworker.signIn(fixture.tokens[.caseworker] ?? "")
                let home = try await caseworker.post(
                    "/dashboard/complaints/\(id)/resolve",
                    form: [
                        "_csrf": Browser.csrf(in: try await caseworker.get("/dashboard/needs").html),
                        "resolution": "resolved", "outcome": "x",
                    ])
                #expect(home.headers[.location] == "/dashboard/needs")
            }
            let outcome = try await fixture.scalar(
                String.self, "SELECT status || ' ' || outcome FROM complaints WHERE category = 'privacy'")
            #expect(outcome == "dismissed 经核实为误会")
        }
    }
}
