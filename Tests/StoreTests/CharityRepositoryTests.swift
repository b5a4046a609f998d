import Foundation
import Matching
import Postgres
import Store
import Testing

@Suite("Charity repository")
struct CharityRepositoryTests {
    private static let profile = CharityProfile(
        name: "姑苏慈善基金会", kind: .foundation, regionCode: "320508000000", contactName: "王五",
        contactPhone: "0512-6500 0000")

    @Test func registerReadListAndDuplicate() async throws {
        try await RepositoryFixtures.with("charityregister") { client in
            let charities = CharityRepository(client: client)
            let code = RepositoryFixtures.creditCode(1)
            let charity = try await charities.register(Self.profile, creditCode: code.lowercased(), by: .system)
            #expect(charity.creditCode == code)
            #expect(charity.status == .active && charity.version == 1)
            #expect(try await charities.charity(id: charity.id) == charity)
            #expect(try await RepositoryFixtures.audits(client, "charity.register", charity.id) == 1)
            await #expect(throws: StoreError.conflict(.taken(.creditCode, value: code))) {
                _ = try await charities.register(Self.profile, creditCode: code, by: .system)
            }
            var seen: [Int64] = []
            var page = PageRequest<Int64>(limit: 5)
            repeat {
                let result = try await charities.list(status: .active, page: page)
                #expect(result.items.allSatisfy { $0.status == .active })
                seen += result.items.map(\.id)
                page.after = result.nextCursor
            } while page.after != nil
            #expect(seen == seen.sorted() && Set(seen).count == seen.count && seen.contains(charity.id))
        }
    }

    @Test func validationNamesTheField() async throws {
        try await RepositoryFixtures.with("charityinvalid") { client in
            let charities = CharityRepository(client: client)
            let before = try await RepositoryFixtures.allAudits(client)
            await #expect(
                throws: StoreError.invalid(field: "credit_code", reason: "fails its check character (GB 32100)")
            ) {
                _ = try await charities.register(Self.profile, creditCode: "91320508MA1ABCD001", by: .system)
            }
            var blank = Self.profile
            blank.name = "  "
            await #expect(throws: StoreError.invalid(field: "name", reason: "is required")) {
                _ = try await charities.register(blank, creditCode: RepositoryFixtures.creditCode(2), by: .system)
            }
            var nowhere = Self.profile
            nowhere.regionCode = "320599000000"
            await #expect(throws: StoreError.invalid(field: "region_code", reason: "unknown region code")) {
                _ = try await charities.register(nowhere, creditCode: RepositoryFixtures.creditCode(2), by: .system)
            }
            await #expect(throws: StoreError.invalid(field: "limit", reason: "must be between 1 and 500")) {
                _ = try await charities.list(page: PageRequest(limit: 0))
            }
            #expect(try await RepositoryFixtures.allAudits(client) == before)
        }
    }

    @Test func profileUpdateNeedsTheCurrentVersion() async throws {
        try await RepositoryFixtures.with("charityversion") { client in
            let charities = CharityRepository(client: client)
            let charity = try await charities.register(
                Self.profile, creditCode: RepositoryFixtures.creditCode(3), by: .system)
            var changed = Self.profile
            changed.name = "姑苏区慈善基金会"
            let updated = try await charities.updateProfile(charity: charity.id, changed, ifVersion: 1, by: .system)
            #expect(updated.name == "姑苏区慈善基金会" && updated.version == 2)
            await #expect(throws: StoreError.versionMismatch(entity: .charity, id: String(charity.id), current: 2)) {
                _ = try await charities.updateProfile(charity: charity.id, Self.profile, ifVersion: 1, by: .system)
            }
            await #expect(throws: StoreError.notFound(entity: .charity, id: "999999")) {
                _ = try await charities.updateProfile(charity: 999_999, Self.profile, ifVersion: nil, by: .system)
            }
            #expect(try await RepositoryFixtures.audits(client, "charity.update", charity.id) == 1)
        }
    }

    @Test func suspendBanReinstateFollowTheStatusRules() async throws {
        try await RepositoryFixtures.with("charitystatus") { client in
            let charities = CharityRepository(client: client)
            let id = try await charities.register(
                Self.profile, creditCode: RepositoryFixtures.creditCode(4), by: .system
            ).id
            let suspended = try await charities.suspend(charity: id, by: .system, reason: "投诉核查中")
            #expect(suspended.status == .suspended && suspended.statusReason == "投诉核查中")
            await #expect(
                throws: StoreError.invalidTransition(
                    entity: .charity, id: String(id), from: "suspended", action: "suspended")
            ) {
                _ = try await charities.suspend(charity: id, by: .system, reason: "again")
            }
            let until = Date().addingTimeInterval(86_400 * 365)
            let banned = try await charities.ban(charity: id, until: until, by: .system, reason: "违规募捐")
            #expect(banned.status == .banned)
            #expect(abs((banned.bannedUntil ?? .distantPast).timeIntervalSince(until)) < 0.001)
            let reinstated = try await charities.reinstate(charity: id, by: .system)
            #expect(reinstated.status == .active && reinstated.bannedUntil == nil && reinstated.statusReason == nil)
            let forever = try await charities.ban(charity: id, until: nil, by: .system, reason: "永久禁入")
            #expect(forever.status == .banned && forever.bannedUntil == nil)
            await #expect(throws: StoreError.invalid(field: "until", reason: "must be in the future")) {
                _ = try await charities.ban(
                    charity: id, until: Date(timeIntervalSince1970: 0), by: .system, reason: "x")
            }
            for action in ["charity.suspend", "charity.reinstate"] {
                #expect(try await RepositoryFixtures.audits(client, action, id) == 1)
            }
            #expect(try await RepositoryFixtures.audits(client, "charity.ban", id) == 2)
        }
    }

    @Test func standingCountsDeliveriesDeclinesAndRatings() async throws {
        try await RepositoryFixtures.with("charitystanding") { client in
            let (offer, matches) = try await SeededCounty.offerWithProposals(capacity: 5, count: 3, client: client)
            let lifecycle = MatchRepository(client: client)
            for match in matches { _ = try await lifecycle.approve(match: match, by: .system) }
            _ = try await lifecycle.apply(.accept, to: matches[0], by: .system)
            _ = try await lifecycle.apply(.deliver, to: matches[0], by: .system)
            try await lifecycle.recordFeedback(match: matches[0], satisfaction: 4, comment: nil, by: .system)
            _ = try await lifecycle.apply(.decline, to: matches[1], by: .system, reasonCode: "no_capacity")
            let charity = try await client.query("SELECT charity_id FROM offers WHERE id = $1", [offer])[0]
                .decode(Int64.self, "charity_id")
            let standing = try await CharityRepository(client: client).standing(of: charity)
            #expect(standing.deliveredMatches == 1 && standing.deliveredUnits == 1)
            #expect(standing.declinedMatches == 1)
            #expect(standing.satisfactionAverage == 4 && standing.satisfactionCount == 1)
            let open = try await SeededCounty.count(
                client, "SELECT count(*) FROM offers WHERE charity_id = $1 AND status = 'open'", [charity])
            #expect(standing.openOffers == open)
            let feedback = try await FeedbackRepository(client: client).feedback(ofMatch: matches[0])
            #expect(feedback?.satisfaction == 4)
            let averages = try await FeedbackRepository(client: client).satisfactionByCharity()
            #expect(averages.map(\.charityID) == [charity])
            #expect(averages.first?.average == 4 && averages.first?.count == 1)
            await #expect(throws: StoreError.notFound(entity: .charity, id: "999999")) {
                _ = try await CharityRepository(client: client).standing(of: 999_999)
            }
        }
    }
}
