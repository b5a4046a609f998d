import Foundation
import Hummingbird
import Store

/// A message as the API shows it: what happened (`kind`, with `details` to word it), about
/// what, when, and whether the caller has read it.
struct InboxMessageResource: Encodable, Sendable {
    var id: Int64
    var createdAt: Date
    var kind: String
    var entityType: String
    var entityId: String
    var details: [String: String]
    var readAt: Date?

    init(_ message: InboxMessage) {
        id = message.id
        createdAt = message.createdAt
        kind = message.kind
        entityType = message.entityType
        entityId = message.entityID
        details = message.details
        readAt = message.readAt
    }
}

/// `/v1/inbox`: the caller's messages (takeovers, transfers, lapsing holds), so a system
/// that cannot keep a page open still learns what it must act on.
struct InboxController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.get("inbox", use: list)
        group.post("inbox/read", use: markAllRead)
        group.post("inbox/:id/read", use: markRead)
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let unreadOnly = try request.query.bool("unread") ?? false
        let page = try await services.store.inbox.messages(
            for: principal, unreadOnly: unreadOnly, page: try PageCursor.pageRequest(request))
        return try JSONResponse.make(PageResource(page, InboxMessageResource.init))
    }

    @Sendable func markRead(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let id = try context.pathID()
        return try JSONResponse.make(
            InboxMessageResource(try await services.store.inbox.markRead(message: id, by: principal)))
    }

    @Sendable func markAllRead(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let marked = try await services.store.inbox.markAllRead(by: principal)
        return try JSONResponse.make(["marked": marked])
    }
}
