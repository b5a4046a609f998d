import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Matching
import Postgres
import Store
import Testing

@Suite("Charity pages")
struct CharityPageTests {
    @Test func deliveryFieldsShowOnlyBetweenApprovalAndDeliveryAndOnlyWithConsent() async throws {
        try await DashboardFixture.with("dash_delivery") { fixture in
            let approved = try #require(try await Self.approve(2, of: fixture.charity, fixture).first)
            let proposed = try await fixture.scalar(
                Int64.self,
                "SELECT min(m.id) FROM matches m JOIN offers o ON o.id = m.offer_id WHERE o.charity_id = $1 AND m.status = 'proposed'",
                [fixture.charity])
            let delivered = try await fixture.scalar(
                Int64.self,
                "SELECT min(m.id) FROM matches m JOIN offers o ON o.id = m.offer_id WHERE o.charity_id = $1 AND m.status = 'delivered'",
                [fixture.charity])
            let household = try await Self.household(of: approved, fixture)
            let reference = fixture.sealer.householdReference(household: household.id, charity: fixture.charity)
            let title = try await fixture.scalar(
                String.self, "SELECT o.title FROM matches m JOIN offers o ON o.id = m.offer_id WHERE m.id = $1",
                [approved])
            try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(fixture.tokens[.charity] ?? "")
                let list = try await browser.get("/dashboard/matches")
                #expect(list.status == .ok && list.html.contains("href=\"/dashboard/matches/\(approved)\""))
                #expect(list.html.contains(SVGText.escaped(title)))
                #expect(list.html.contains("href=\"/dashboard/matches/\(delivered)\""), "recent deliveries are listed")
                #expect(list.html.contains(reference) && list.html.contains(household.phone))
                #expect(list.html.contains(SVGText.escaped(household.address)))
                #expect(!list.html.contains(SVGText.escaped(household.name)), "never a name")
                #expect(!list.html.contains("**************"), "never an ID number")
                #expect(!list.html.contains(SVGText.escaped(household.caseNumber)), "never a case number")

                let page = try await browser.get("/dashboard/matches/\(approved)")
                #expect(page.status == .ok && page.html.contains(reference))
                let before = try await browser.get("/dashboard/matches/\(proposed)")
                #expect(before.status == .ok && !before.html.contains("HH-"), "nothing before approval")
                #expect(!before.html.contains("/accept\""))
                let after = try await browser.get("/dashboard/matches/\(delivered)")
                #expect(after.status == .ok && !after.html.contains("HH-"), "nothing after delivery")

                try await fixture.client.query(
                    "UPDATE households SET consent_withdrawn_at = now() WHERE id = $1", [household.id])
                let withdrawn = try await browser.get("/dashboard/matches/\(approved)")
                #expect(withdrawn.status == .ok && !withdrawn.html.contains(reference), "nothing without consent")
                #expect(!withdrawn.html.contains(household.phone))
            }
        }
    }

    @Test func acceptDeclineAndDeliverChangeExactlyThatMatch() async throws {
        try await DashboardFixture.with("dash_steps") { fixture in
            let approved = try await Self.approve(3, of: fixture.charity, fixture)
            try #require(approved.count == 3)
            let (first, second, third) = (approved[0], approved[1], approved[2])
            let initial = try await Self.statuses(fixture)
            try await fixture.test { client in
                var expected = initial
                var browser = Browser(client: client)
                _ = try await browser.signIn(fixture.tokens[.charity] ?? "")
                let csrf = Browser.csrf(in: try await browser.get("/dashboard/matches").html)

                let accepted = try await browser.post(
                    "/dashboard/matches/\(first)/accept", form: ["_csrf": csrf, "back": "list"])
                #expect(accepted.status == .seeOther && accepted.headers[.location] == "/dashboard/matches")
                expected[first] = "accepted"
                #expect(try await Self.statuses(fixture) == expected)

                let unexplained = try await browser.post(
                    "/dashboard/matches/\(second)/decline", form: ["_csrf": csrf, "reason_code": "", "note": "库存"])
                #expect(unexplained.status == .unprocessableContent)
                #expect(unexplained.html.contains("aria-describedby=\"reason-\(second)-error\""))
                #expect(unexplained.html.contains("id=\"reason-\(second)-error\">请选择婉拒原因"))
                #expect(unexplained.html.contains(">库存</textarea>"), "the note stays")
                #expect(try await Self.statuses(fixture) == expected)

                let declined = try await browser.post(
                    "/dashboard/matches/\(second)/decline",
                    form: ["_csrf": csrf, "reason_code": "no_capacity", "note": "仓库已空", "back": "match"])
                #expect(declined.status == .seeOther && declined.headers[.location] == "/dashboard/matches/\(second)")
                expected[second] = "declined"
                #expect(try await Self.statuses(fixture) == expected)
                let decision = try await fixture.client.query(
                    "SELECT reason_code, note FROM matches WHERE id = $1", [second])[0]
                #expect(try decision.decode(String.self, "reason_code") == "no_capacity")
                #expect(try decision.decode(String.self, "note") == "仓库已空")

                let page = try await browser.get("/dashboard/matches/\(first)")
                #expect(page.html.contains("action=\"/dashboard/matches/\(first)/deliver\""))
                let today = try await fixture.client.query(
                    "SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text AS d")[0].decode(String.self, "d")
                let unsigned = try await browser.post(
                    "/dashboard/matches/\(first)/deliver",
                    form: ["_csrf": csrf, "back": "match", "delivered_units": "1", "delivered_on": today])
                #expect(unsigned.status == .unprocessableContent)
                #expect(unsigned.html.contains("id=\"by-\(first)-error\">请填写签收人姓名或签收单编号"))
                #expect(unsigned.html.contains("value=\"\(today)\""), "the date stays")
                #expect(try await Self.statuses(fixture) == expected)
                let done = try await browser.post(
                    "/dashboard/matches/\(first)/deliver",
                    form: [
                        "_csrf": csrf, "back": "match", "delivered_units": "1", "delivered_on": today,
                        "received_by": "王某某",
                    ])
                #expect(done.status == .seeOther && done.headers[.location] == "/dashboard/matches/\(first)")
                expected[first] = "delivered"
                #expect(try await Self.statuses(fixture) == expected)
                let report = try await fixture.client.query(
                    "SELECT delivered_units, delivered_on::text AS d, received_by FROM matches WHERE id = $1", [first])[
                        0]
                #expect(try report.decode(Int.self, "delivered_units") == 1)
                #expect(try report.decode(String.self, "d") == today)
                #expect(try report.decode(String.self, "received_by") == "王某某")
                let receipt = try await browser.get("/dashboard/matches/\(first)/receipt")
                #expect(receipt.status == .ok && receipt.html.contains("王某某") && receipt.html.contains("@media print"))

                let twice = try await browser.post("/dashboard/matches/\(first)/accept", form: ["_csrf": csrf])
                #expect(twice.status == .conflict && twice.html.contains("状态已经变化"))
                let forged = try await browser.post("/dashboard/matches/\(third)/accept", form: ["back": "list"])
                #expect(forged.status == .forbidden)
                #expect(try await Self.statuses(fixture) == expected, "refused steps change nothing")
            }
        }
    }

    @Test func anotherCharitysMatchReadsExactlyLikeAMissingOne() async throws {
        try await DashboardFixture.with("dash_other_charity") { fixture in
            let theirs = try #require(try await Self.approve(1, of: fixture.otherCharity, fixture).first)
            let before = try await Self.statuses(fixture)
            try await fixture.test { client in
                var browser = Browser(client: client)
                _ = try await browser.signIn(fixture.tokens[.charity] ?? "")
                let other = try await browser.get("/dashboard/matches/\(theirs)")
                let missing = try await browser.get("/dashboard/matches/999999999")
                #expect(other.status == .notFound && missing.status == .notFound)
                #expect(other.html == missing.html)
                #expect(try await browser.get("/dashboard/matches/abc").html == missing.html)
                let csrf = Browser.csrf(in: missing.html)
                let step = try await browser.post("/dashboard/matches/\(theirs)/accept", form: ["_csrf": csrf])
                #expect(step.status == .notFound && step.html == missing.html)
                #expect(try await Self.statuses(fixture) == before)
                #expect(!(try await browser.get("/dashboard/matches").html.contains("/dashboard/matches/\(theirs)\"")))
                #expect(try await browser.get("/dashboard/households").headers[.location] == "/dashboard/matches")
                #expect(try await browser.get("/dashboard/needs/new").headers[.location] == "/dashboard/matches")

                var theirStaff = Browser(client: client)
                _ = try await theirStaff.signIn(fixture.tokens[.otherCharity] ?? "")
                #expect(try await theirStaff.get("/dashboard/matches/\(theirs)").status == .ok)
                var caseworker = Browser(client: client)
                _ = try await caseworker.signIn(fixture.tokens[.caseworker] ?? "")
                #expect(try await caseworker.get("/dashboard/matches").headers[.location] == "/dashboard/needs")
            }
        }
    }

    /// Approves up to `count` proposals on `charity`'s offers; returns the approved ids.
    static func approve(_ count: Int, of charity: Int64, _ fixture: DashboardFixture) async throws -> [Int64] {
        let matches = MatchRepository(client: fixture.client)
        let proposals = try await fixture.client.query(
            """
            SELECT m.id FROM matches m JOIN offers o ON o.id = m.offer_id
             WHERE o.charity_id = $1 AND m.status = 'proposed' ORDER BY m.id DESC LIMIT 40
            """, [charity]
        ).map { try $0.decode(Int64.self, "id") }
        var approved: [Int64] = []
        for id in proposals where approved.count < count {
            guard (try? await matches.approve(match: id, by: .system)) != nil else { continue }
            approved.append(id)
        }
        return approved
    }

    /// Every match's status, by id.
    static func statuses(_ fixture: DashboardFixture) async throws -> [Int64: String] {
        var statuses: [Int64: String] = [:]
        for row in try await fixture.client.query("SELECT id, status FROM matches") {
            statuses[try row.decode(Int64.self, "id")] = try row.decode(String.self, "status")
        }
        return statuses
    }

    /// What the household of a match has on file that a charity may or may not see.
    static func household(
        of match: Int64, _ fixture: DashboardFixture
    ) async throws -> (
        id: Int64, name: String, caseNumber: String, phone: String, address: String
    ) {
        let row = try await fixture.client.query(
            """
            SELECT h.id, h.contact_name, h.case_number, h.contact_phone, h.address
              FROM matches m JOIN needs n ON n.id = m.need_id JOIN households h ON h.id = n.household_id
             WHERE m.id = $1
            """, [match])[0]
        return (
            try row.decode(Int64.self, "id"), try row.decode(String.self, "contact_name"),
            try row.decode(String.self, "case_number"), try row.decode(String.self, "contact_phone"),
            try row.decode(String.self, "address")
        )
    }
}
