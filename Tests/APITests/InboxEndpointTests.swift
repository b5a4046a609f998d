import Foundation
import HTTPTypes
import Postgres
import Store
import Testing

@testable import API

@Suite("/v1/inbox")
struct InboxEndpointTests {
    @Test func aCharityReadsItsMessagesAndNobodyElseCanMarkThem() async throws {
        try await APIFixture.with("inbox") { fixture in
            try await fixture.client.withTransaction { connection in
                try Inbox.post(
                    on: connection, to: .charity(fixture.charity), kind: "match.taken_over", entityType: "match",
                    entityID: "7", details: ["match": "#7"])
            }
            try await fixture.test { api in
                let list = try await api.call(.get, "/v1/inbox", as: .charity)
                #expect(list.status == .ok)
                let items = try #require(list["items"]?.arrayValue)
                #expect(items.count == 1)
                #expect(items.first?["kind"]?.stringValue == "match.taken_over")
                #expect(items.first?["details"]?["match"]?.stringValue == "#7")
                #expect(items.first?["read_at"] == nil)
                let id = try #require(items.first?["id"].flatMap { if case .integer(let v) = $0 { v } else { nil } })
                let other = try await api.call(.get, "/v1/inbox", as: .otherCharity)
                #expect(other["items"]?.arrayValue?.isEmpty == true)
                let stranger = try await api.call(.post, "/v1/inbox/\(id)/read", as: .otherCharity)
                #expect(stranger.status == .notFound)
                let read = try await api.call(.post, "/v1/inbox/\(id)/read", as: .charity)
                #expect(read.status == .ok && read["read_at"] != nil)
                let unread = try await api.call(.get, "/v1/inbox?unread=true", as: .charity)
                #expect(unread["items"]?.arrayValue?.isEmpty == true)
                let all = try await api.call(.post, "/v1/inbox/read", as: .charity)
                #expect(all.status == .ok && all["marked"] == .integer(0))
                let bad = try await api.call(.get, "/v1/inbox?unread=maybe", as: .charity)
                #expect(bad.status == .badRequest)
                let anonymous = try await api.call(.get, "/v1/inbox", as: .anonymous)
                #expect(anonymous.status == .unauthorized)
            }
        }
    }
}
