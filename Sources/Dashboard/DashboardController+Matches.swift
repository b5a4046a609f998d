import Foundation
import Hummingbird
import Matching
import Store

/// The charity's matches: what waits for it and what is under way on its own offers, with
/// accept, decline and "delivered".
///
/// A charity reaches only matches on its own offers (``MatchFilter/charity``) and sees of
/// the household only what ``MatchRepository/deliveryContact(match:charity:)`` gives (a
/// pseudonym, phone and address, only between approval and delivery and only with
/// consent). Another charity's match reads exactly like a missing one.
extension DashboardController {
    /// Matches shown per section of the charity's list at a time.
    static var matchPageSize: Int { 20 }
    /// Why a charity may decline, in the order the form offers them: the Store's list.
    static var declineReasons: [String] { DecisionReasons.decline }
    /// The longest decline note the API accepts.
    static var maximumNote: Int { 2000 }

    func addMatchRoutes(to group: RouterGroup<Context>) {
        group.get("matches", use: matchList)
        group.get("matches/{id}", use: matchDetail)
        group.post("matches/{id}/accept", use: charityStep(.accept))
        group.post("matches/{id}/decline", use: charityStep(.decline))
        group.post("matches/{id}/deliver", use: charityStep(.deliver))
        group.get("matches/{id}/receipt", use: matchReceipt)
    }

    /// What waits for the charity (approved), what it has taken on (accepted), each a page
    /// at a time, and its latest deliveries.
    @Sendable func matchList(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.role == .charity, let charity = session.principal.charityID else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        let texts = DashboardText.strings(Self.language(request))
        var titles = OfferTitles()
        var values: [String: Any] = ["csrf": session.csrfToken]
        // Each section pages on its own cursor (`approved_after`, `accepted_after`).
        for status in [MatchStatus.approved, .accepted] {
            let cursor = status.rawValue + "_after"
            let page = try await matches.list(
                MatchFilter(status: status, charity: charity),
                page: PageRequest(after: Self.cursor(request, cursor), limit: Self.matchPageSize))
            var cards: [[String: Any]] = []
            for match in page.items {
                cards.append(try await matchCard(match, charity: charity, back: "list", &titles, request))
            }
            values[status.rawValue] = cards
            values[status.rawValue + "Shown"] = !cards.isEmpty
            if let next = page.nextCursor { values[status.rawValue + "Next"] = "/dashboard/matches?\(cursor)=\(next)" }
        }
        var delivered: [[String: Any]] = []
        for match in try await matches.recent(
            MatchFilter(status: .delivered, charity: charity), limit: Self.matchPageSize)
        {
            delivered.append(try await matchCard(match, charity: charity, back: "list", &titles, request))
        }
        values["delivered"] = delivered
        values["deliveredShown"] = !delivered.isEmpty
        return render("matches", values, title: texts["myMatches"] ?? "", request, session)
    }

    /// One match on the charity's own offers.
    @Sendable func matchDetail(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.role == .charity, let charity = session.principal.charityID else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let id = Self.pathID(context),
            let match = try await matches.match(id: id, visibleTo: MatchFilter(charity: charity))
        else { return notFound(request, session) }
        return try await matchPage(match, charity: charity, refused: nil, request, session, status: .ok)
    }

    /// Accept, decline or deliver, for the charity whose offer it is. Success returns to the
    /// page the form was on; a refusal shows the match with the refusal next to its field.
    func charityStep(_ transition: MatchTransition) -> @Sendable (Request, Context) async throws -> Response {
        { request, context in
            guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
            guard session.principal.role == .charity, let charity = session.principal.charityID else {
                return Self.redirect(Self.homePath(session.principal.role))
            }
            guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
            let visible = MatchFilter(charity: charity)
            guard let id = Self.pathID(context), let match = try await matches.match(id: id, visibleTo: visible)
            else { return notFound(request, session) }
            var entry = DeclineEntry(posted)
            var delivery = DeliveryEntry(posted)
            if transition == .decline, entry.note.count > Self.maximumNote { entry.errors["note"] = "error.note" }
            let report = transition == .deliver ? delivery.report() : nil
            if entry.errors.isEmpty, delivery.errors.isEmpty {
                do {
                    _ = try await matches.apply(
                        transition, to: match.id, by: session.principal,
                        reasonCode: transition == .decline && !entry.reason.isEmpty ? entry.reason : nil,
                        note: transition == .decline && !entry.note.isEmpty ? entry.note : nil, delivery: report)
                    return Self.redirect(
                        posted["back"] == "match" ? "/dashboard/matches/\(match.id)" : "/dashboard/matches",
                        notice: "match." + transition.rawValue, "#\(match.id)")
                } catch let error as StoreError {
                    guard transition == .deliver ? delivery.refuse(error) : entry.refuse(error) else { throw error }
                }
            }
            let current = try await matches.match(id: match.id, visibleTo: visible) ?? match
            let formError = entry.errors["form"] ?? delivery.errors["form"]
            let status: HTTPResponse.Status = formError == nil ? .unprocessableContent : .conflict
            return try await matchPage(
                current, charity: charity, refused: transition == .deliver ? nil : entry,
                delivery: transition == .deliver ? delivery : nil, request, session, status: status)
        }
    }

    private func matchPage(
        _ match: MatchRecord, charity: Int64, refused: DeclineEntry?, delivery: DeliveryEntry? = nil,
        _ request: Request, _ session: DashboardSession, status: HTTPResponse.Status
    ) async throws -> Response {
        let texts = DashboardText.strings(Self.language(request))
        var titles = OfferTitles()
        let card = try await matchCard(
            match, charity: charity, back: "match", &titles, request, refused: refused, delivery: delivery)
        return render(
            "match", ["card": card, "csrf": session.csrfToken], title: (texts["match"] ?? "") + " #\(match.id)",
            request, session, status: status)
    }

    /// One match as its charity sees it: the offer, the units, where it stands, the
    /// delivery fields while delivery is ahead and consent holds, and the next steps.
    private func matchCard(
        _ match: MatchRecord, charity: Int64, back: String, _ titles: inout OfferTitles, _ request: Request,
        refused: DeclineEntry? = nil, delivery: DeliveryEntry? = nil
    ) async throws -> [String: Any] {
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let offer = try await titles.offer(match.offerID, charity: charity, offers)
        var card: [String: Any] = [
            "id": String(match.id), "href": "/dashboard/matches/\(match.id)", "back": back,
            "offer": offer?.terms.title ?? String(match.offerID),
            "category": offer.map { categoryName($0.categoryID, language) } ?? "",
            "units": "\(match.units) \(Self.unitName(offer?.terms.unit, texts))",
            "status": texts[match.status.rawValue] ?? match.status.rawValue, "statusCode": match.status.rawValue,
            "createdAt": Self.timeText(match.createdAt),
        ]
        if let decided = match.decidedAt { card["decidedAt"] = Self.timeText(decided) }
        if let expiry = match.holdExpiresAt { card["holdExpiresAt"] = Self.timeText(expiry) }
        if let code = match.reasonCode { card["reason"] = texts["declineReason." + code] ?? code }
        if let note = match.note { card["note"] = note }
        if match.status.reservesCapacity,
            let contact = try await matches.deliveryContact(match: match.id, charity: charity)
        {
            card["delivery"] = [
                "reference": contact.householdReference, "phone": contact.contactPhone ?? "–",
                "address": contact.address ?? "–",
            ]
        }
        let actions = "/dashboard/matches/\(match.id)/"
        if match.status == .approved {
            card["accept"] = ["action": actions + "accept"]
            card["decline"] =
                [
                    "action": actions + "decline",
                    "reasons": Self.declineReasons.map { code -> [String: Any] in
                        [
                            "value": code, "label": texts["declineReason." + code] ?? code,
                            "selected": refused?.reason == code,
                        ]
                    },
                    "note": refused?.note ?? "",
                    "errors": (refused?.errors ?? [:]).filter { $0.key != "form" }.mapValues { texts[$0] ?? $0 },
                ] as [String: Any]
        } else if match.status == .accepted {
            let typed = delivery ?? DeliveryEntry(units: String(match.units), deliveredOn: OfferForm.dayText(Date()))
            card["deliver"] =
                [
                    "action": actions + "deliver", "units": typed.units, "maxUnits": String(match.units),
                    "deliveredOn": typed.deliveredOn, "receivedBy": typed.receivedBy, "receiptCode": typed.receiptCode,
                    "errors": typed.errors.filter { $0.key != "form" }.mapValues { texts[$0] ?? $0 },
                ] as [String: Any]
        }
        if match.status == .accepted || match.status == .delivered {
            card["receipt"] = "/dashboard/matches/\(match.id)/receipt"
        }
        if let report = match.delivery {
            card["report"] = [
                "units": "\(report.units) \(Self.unitName(offer?.terms.unit, texts))", "on": report.deliveredOn,
                "receivedBy": report.receivedBy ?? "–", "receiptCode": report.receiptCode ?? "–",
            ]
        }
        if let receipt = match.receipt { card["receiptStatus"] = texts["receipt." + receipt.status.rawValue] }
        card["complain"] = "/dashboard/complaints/new?subject=match&id=\(match.id)"
        if let key = refused?.errors["form"] ?? delivery?.errors["form"] { card["formError"] = texts[key] ?? key }
        return card
    }
}
