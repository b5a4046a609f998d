import Foundation
import Matching
import Postgres
import Store
import Testing

@Suite("Inbox")
struct InboxTests {
    /// An account of `role` with a principal for it: staff get `region`'s scope, charity
    /// staff `charity`.
    private static func person(
        _ login: String, _ role: UserRole, region: String? = nil, charity: Int64? = nil, _ client: PostgresClient
    ) async throws -> Principal {
        let user = try await UserRepository(client: client).create(
            login: login, name: login, role: role, regionCode: region, charityID: charity, by: .system)
        return Principal(
            userID: user.id, tokenID: nil, role: role, regionScope: region.flatMap(RegionCode.init)?.scope,
            charityID: charity)
    }

    /// A township of the county other than the one `village` lies in.
    private static func otherTownship(than village: String, _ client: PostgresClient) async throws -> String {
        try await client.query(
            "SELECT min(code) AS code FROM regions WHERE level = 4 AND NOT starts_with(code, left($1, 9))", [village]
        )[0].decode(String.self, "code")
    }

    private static func post(
        _ client: PostgresClient, to audience: InboxAudience, kind: String = "test.note"
    )
        async throws
    {
        try await client.withTransaction { connection in
            try Inbox.post(
                on: connection, to: audience, kind: kind, entityType: "match", entityID: "1",
                details: ["match": "#1"])
        }
    }

    private static func kinds(
        _ principal: Principal, _ inbox: InboxRepository, unreadOnly: Bool = false
    )
        async throws -> [String]
    {
        try await inbox.messages(for: principal, unreadOnly: unreadOnly).items.map(\.kind)
    }

    @Test func eachMessageReachesExactlyItsAudience() async throws {
        try await RepositoryFixtures.with("inbox_audience") { client in
            let inbox = InboxRepository(client: client)
            let village = try await RepositoryFixtures.village(client)
            let township = String(village.prefix(9)) + "000"
            let charities = try await client.query("SELECT id FROM charities ORDER BY id LIMIT 2").map {
                try $0.decode(Int64.self, "id")
            }
            let here = try await Self.person("cw-here", .caseworker, region: township, client)
            let county = try await Self.person(
                "co-county", .coordinator, region: SeededCounty.county.digits, client)
            let elsewhere = try await Self.person(
                "cw-elsewhere", .caseworker, region: try await Self.otherTownship(than: village, client), client)
            let staff = try await Self.person("ch-staff", .charity, charity: charities[0], client)
            let otherStaff = try await Self.person("ch-other", .charity, charity: charities[1], client)
            try await Self.post(client, to: .staff(role: .caseworker, region: village), kind: "to.caseworkers")
            try await Self.post(client, to: .staff(role: .coordinator, region: village), kind: "to.coordinators")
            try await Self.post(client, to: .charity(charities[0]), kind: "to.charity")
            try await Self.post(client, to: .user(otherStaff.userID), kind: "to.one")
            #expect(try await Self.kinds(here, inbox) == ["to.caseworkers"])
            #expect(try await Self.kinds(county, inbox) == ["to.coordinators"])
            #expect(try await Self.kinds(elsewhere, inbox) == [])
            #expect(try await Self.kinds(staff, inbox) == ["to.charity"])
            #expect(try await Self.kinds(otherStaff, inbox) == ["to.one"])
            #expect(try await inbox.unreadCount(for: staff) == 1)
        }
    }

    @Test func readingIsEachReadersOwnAndAStrangersMessageIsNotFound() async throws {
        try await RepositoryFixtures.with("inbox_reads") { client in
            let inbox = InboxRepository(client: client)
            let village = try await RepositoryFixtures.village(client)
            let first = try await Self.person("cw-first", .caseworker, region: village, client)
            let second = try await Self.person("cw-second", .caseworker, region: village, client)
            let stranger = try await Self.person(
                "cw-far", .caseworker, region: try await Self.otherTownship(than: village, client), client)
            try await Self.post(client, to: .staff(role: .caseworker, region: village), kind: "a.one")
            try await Self.post(client, to: .staff(role: .caseworker, region: village), kind: "a.two")
            let messages = try await inbox.messages(for: first).items
            #expect(messages.map(\.kind) == ["a.two", "a.one"] && messages.allSatisfy { $0.readAt == nil })
            let read = try await inbox.markRead(message: messages[1].id, by: first)
            #expect(read.readAt != nil && read.details == ["match": "#1"])
            // Again: no change, no error.
            #expect(try await inbox.markRead(message: messages[1].id, by: first).readAt == read.readAt)
            #expect(try await Self.kinds(first, inbox, unreadOnly: true) == ["a.two"])
            #expect(try await inbox.unreadCount(for: second) == 2)
            await #expect(throws: StoreError.notFound(entity: .inboxMessage, id: String(messages[0].id))) {
                try await inbox.markRead(message: messages[0].id, by: stranger)
            }
            #expect(try await inbox.markAllRead(by: second) == 2)
            #expect(try await inbox.markAllRead(by: second) == 0)
            #expect(try await inbox.unreadCount(for: second) == 0)
            #expect(try await inbox.unreadCount(for: first) == 1)
        }
    }

    @Test func aMessageOfAWriteThatRolledBackIsNeverSeen() async throws {
        try await RepositoryFixtures.with("inbox_rollback") { client in
            let inbox = InboxRepository(client: client)
            let charity = try await client.query("SELECT min(id) AS id FROM charities")[0].decode(Int64.self, "id")
            let staff = try await Self.person("ch-rollback", .charity, charity: charity, client)
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await client.withTransaction { connection in
                    try Inbox.post(
                        on: connection, to: .charity(charity), kind: "never.sent", entityType: "offer", entityID: "9")
                    throw Refused()
                }
            }
            #expect(try await inbox.messages(for: staff).items.isEmpty)
        }
    }

    @Test func aPageIsCheckedAndAnotherRoleOfThePlaceSeesNothing() async throws {
        try await RepositoryFixtures.with("inbox_pages") { client in
            let inbox = InboxRepository(client: client)
            let village = try await RepositoryFixtures.village(client)
            let caseworker = try await Self.person("cw-pages", .caseworker, region: village, client)
            let coordinator = try await Self.person("co-pages", .coordinator, region: village, client)
            for _ in 0..<3 { try await Self.post(client, to: .staff(role: .caseworker, region: village)) }
            let first = try await inbox.messages(for: caseworker, page: PageRequest(limit: 2))
            #expect(first.items.count == 2)
            let rest = try await inbox.messages(for: caseworker, page: PageRequest(after: first.nextCursor, limit: 2))
            #expect(rest.items.count == 1 && rest.nextCursor == nil)
            #expect(try await inbox.messages(for: coordinator).items.isEmpty)
            await #expect(throws: StoreError.invalid(field: "limit", reason: "must be between 1 and 500")) {
                try await inbox.messages(for: caseworker, page: PageRequest(limit: 0))
            }
        }
    }
}
