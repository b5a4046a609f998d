import Foundation
import Hummingbird
import Store

/// Every person's inbox: what happened that they must act on (their matches taken over, a
/// transfer sent to their office, a hold about to lapse), newest first, with a link to the
/// thing itself and a way to mark messages read.
extension DashboardController {
    /// The pages a message's entity opens, by entity type, for those who may read it.
    static var inboxLinks: [String: (path: String, action: Action)] {
        [
            "match": ("/dashboard/matches/", .readMatches),
            "need": ("/dashboard/needs/", .readNeeds),
            "household": ("/dashboard/households/", .readHouseholds),
            "offer": ("/dashboard/offers/", .postOffer),
            "complaint": ("/dashboard/complaints#complaint-", .readComplaints),
            "takeover": ("/dashboard/takeovers#takeover-", .runTakeover),
            "transfer": ("/dashboard/transfers#transfer-", .readTransfers),
        ]
    }

    func addInboxRoutes(to group: RouterGroup<Context>) {
        group.get("inbox", use: inboxPage)
        group.post("inbox/read", use: markInboxRead)
        group.post("inbox/{id}/read", use: markInboxMessageRead)
    }

    @Sendable func inboxPage(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        let texts = DashboardText.strings(Self.language(request))
        let unreadOnly = Self.parameter(request, "show") == "unread"
        let page = try await store.inbox.messages(
            for: session.principal, unreadOnly: unreadOnly,
            page: PageRequest(after: Self.cursor(request, "after"), limit: 50))
        let rows = page.items.map { inboxRow($0, session, texts) }
        let show: [(String, String?)] = [("show", unreadOnly ? "unread" : nil)]
        var values: [String: Any] = [
            "rows": rows, "hasRows": !rows.isEmpty,
            "empty": texts[unreadOnly ? "inboxNoUnread" : "inboxEmpty"] ?? "",
            "filters": [("all", !unreadOnly), ("unread", unreadOnly)].map { code, current in
                [
                    "label": texts["inboxShow." + code] ?? code, "current": current,
                    "href": Self.link("/dashboard/inbox", [("show", code == "all" ? nil : code)]),
                ] as [String: Any]
            },
        ]
        if session.unreadMessages > 0 { values["markAll"] = true }
        values["next"] = page.nextCursor.map { Self.link("/dashboard/inbox", show + [("after", String($0))]) }
        if Self.cursor(request, "after") != nil { values["first"] = Self.link("/dashboard/inbox", show) }
        return render("inbox", values, title: texts["inbox"] ?? "", request, session)
    }

    @Sendable func markInboxMessageRead(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard try await form(request, session) != nil else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        do {
            _ = try await store.inbox.markRead(message: id, by: session.principal)
        } catch StoreError.notFound {
            return notFound(request, session)
        }
        return Self.redirect("/dashboard/inbox", notice: "inbox.read")
    }

    @Sendable func markInboxRead(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard try await form(request, session) != nil else { return try refusedForm(request, session) }
        let marked = try await store.inbox.markAllRead(by: session.principal)
        return Self.redirect("/dashboard/inbox", notice: "inbox.allRead", String(marked))
    }

    /// A message in words: the `inbox.<kind>` text with its `{name}`s filled from the
    /// details, and a link to its subject when the reader may open it.
    private func inboxRow(
        _ message: InboxMessage, _ session: DashboardSession, _ texts: [String: String]
    )
        -> [String: Any]
    {
        var sentence = texts["inbox." + message.kind] ?? (texts["inboxOther"] ?? "") + message.kind
        for (name, value) in message.details {
            sentence = sentence.replacingOccurrences(of: "{\(name)}", with: value)
        }
        var row: [String: Any] = [
            "id": String(message.id), "at": Self.timeText(message.createdAt), "sentence": sentence,
            "unread": message.readAt == nil,
        ]
        if let link = Self.inboxLinks[message.entityType], session.principal.may(link.action) {
            row["href"] = link.path + message.entityID
        }
        return row
    }
}
