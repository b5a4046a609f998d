import Foundation
import Hummingbird
import Matching
import Store

/// The charity's offers: the list with a status filter, totals and pages both ways; posting
/// an offer; editing it under the version it was read at; pausing, resuming and closing it.
///
/// Every change goes through the same ``OfferRepository`` calls as `/v1/offers`, for the
/// charity the access policy gives the signed-in person (``Principal/charity(for:)``); an
/// offer of another charity reads exactly like a missing one.
extension DashboardController {
    /// Offers shown per page of the list.
    static var offerPageSize: Int { 20 }

    func addOfferRoutes(to group: RouterGroup<Context>) {
        group.get("offers", use: offerList)
        group.get("offers/new", use: newOfferForm)
        group.post("offers/new", use: postOffer)
        group.get("offers/{id}", use: offerEditor)
        group.post("offers/{id}", use: saveOffer)
        group.post("offers/{id}/pause", use: offerStep("pause"))
        group.post("offers/{id}/resume", use: offerStep("resume"))
        group.post("offers/{id}/close", use: offerStep("close"))
    }

    /// The charity of the signed-in person for `action`, or nil when they act for none.
    private func actingCharity(_ session: DashboardSession, _ action: Action) -> Int64? {
        guard session.principal.role == .charity else { return nil }
        return try? session.principal.charity(for: action)
    }

    /// A charity's own offers, a page at a time, optionally of one status, under totals.
    @Sendable func offerList(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard let charity = actingCharity(session, .readOffers) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let status = request.uri.queryParameters["status"].flatMap { OfferStatus(rawValue: String($0)) }
        let page = try await offers.page(
            charity: charity, status: status, after: Self.cursor(request, "after"),
            before: Self.cursor(request, "before"), limit: Self.offerPageSize)
        let totals = try await offers.totals(charity: charity)
        let places = try await townshipNames()
        let rows = page.items.map { offer -> [String: Any] in
            [
                "id": String(offer.id), "href": "/dashboard/offers/\(offer.id)", "title": offer.terms.title,
                "category": categoryName(offer.categoryID, language),
                "capacity": "\(offer.terms.capacity) \(Self.unitName(offer.terms.unit, texts))",
                "allocated": String(offer.allocated), "remaining": String(offer.remaining),
                "area": areaText(offer.terms, places, texts),
                "until": offer.terms.availableUntil.map(OfferForm.dayText) ?? "–",
                "status": texts["offerStatus." + offer.status.rawValue] ?? offer.status.rawValue,
                "statusCode": offer.status.rawValue,
            ]
        }
        let query = status.map { "status=\($0.rawValue)&" } ?? ""
        var values: [String: Any] = [
            "rows": rows, "hasRows": !rows.isEmpty,
            "filters": ([nil] + OfferStatus.allCases).map { option -> [String: Any] in
                [
                    "href": "/dashboard/offers" + (option.map { "?status=\($0.rawValue)" } ?? ""),
                    "label": option.map { texts["offerStatus." + $0.rawValue] ?? $0.rawValue } ?? (texts["all"] ?? ""),
                    "count": String(option.map { totals.byStatus[$0] ?? 0 } ?? totals.count),
                    "current": option == status,
                ]
            },
            "totalCapacity": String(totals.capacity), "totalAllocated": String(totals.allocated),
            "totalRemaining": String(totals.capacity - totals.allocated),
            "shown": String(status.map { totals.byStatus[$0] ?? 0 } ?? totals.count),
        ]
        values["previous"] = page.previousCursor.map { "/dashboard/offers?\(query)before=\($0)" }
        values["next"] = page.nextCursor.map { "/dashboard/offers?\(query)after=\($0)" }
        return render("offers", values, title: texts["offers"] ?? "", request, session)
    }

    @Sendable func newOfferForm(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard actingCharity(session, .postOffer) != nil else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        return try await offerFormPage(OfferForm(), offer: nil, request, session, status: .ok)
    }

    @Sendable func postOffer(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard let charity = actingCharity(session, .postOffer) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        var entry = OfferForm(posted)
        let category = Int64(entry.category).flatMap { id in categories.first { $0.id == id && $0.level == 2 } }
        if category == nil { entry.errors["category"] = "error.category" }
        if let terms = entry.checked(), let category {
            do {
                let offer = try await offers.create(
                    charity: charity, category: category.id, terms, by: session.principal.actor)
                return Self.redirect("/dashboard/offers/\(offer.id)", notice: "offerPosted", "#\(offer.id)")
            } catch let error as StoreError {
                guard entry.refuse(error) else { throw error }
            }
        }
        return try await offerFormPage(entry, offer: nil, request, session, status: .unprocessableContent)
    }

    /// One offer: its standing, the form to change its terms, and pause, resume or close.
    @Sendable func offerEditor(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard let charity = actingCharity(session, .readOffers) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let id = Self.pathID(context), let offer = try await offers.offer(id: id, charity: charity) else {
            return notFound(request, session)
        }
        return try await offerFormPage(OfferForm(offer), offer: offer, request, session, status: .ok)
    }

    /// Saves the terms if the offer is still at the version the form was read at; a save
    /// after another tab's is a 409 that keeps what was typed and says what happened.
    @Sendable func saveOffer(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard let charity = actingCharity(session, .changeOffer) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context), let current = try await offers.offer(id: id, charity: charity) else {
            return notFound(request, session)
        }
        var entry = OfferForm(posted)
        entry.category = String(current.categoryID)
        guard let version = Int(entry.version) else {
            entry.errors["form"] = "error.offerChangedElsewhere"
            return try await offerFormPage(entry, offer: current, request, session, status: .conflict)
        }
        if let terms = entry.checked(base: current.terms) {
            do {
                _ = try await offers.update(
                    offer: id, terms, ifVersion: version, charity: charity, by: session.principal.actor)
                return Self.redirect("/dashboard/offers/\(id)", notice: "offerSaved", "#\(id)")
            } catch let error as StoreError {
                guard entry.refuse(error) else { throw error }
            }
        }
        let latest = try await offers.offer(id: id, charity: charity) ?? current
        guard entry.errors["form"] != nil else {
            return try await offerFormPage(entry, offer: latest, request, session, status: .unprocessableContent)
        }
        // What was typed stays; saving it again is now a choice made knowing of the other change.
        entry.version = String(latest.version)
        return try await offerFormPage(entry, offer: latest, request, session, status: .conflict)
    }

    /// Pause, resume or close, for the charity whose offer it is.
    func offerStep(_ step: String) -> @Sendable (Request, Context) async throws -> Response {
        { request, context in
            guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
            guard let charity = actingCharity(session, .changeOffer) else {
                return Self.redirect(Self.homePath(session.principal.role))
            }
            guard try await form(request, session) != nil else { return try refusedForm(request, session) }
            guard let id = Self.pathID(context), let current = try await offers.offer(id: id, charity: charity) else {
                return notFound(request, session)
            }
            let actor = session.principal.actor
            do {
                switch step {
                case "pause": _ = try await offers.pause(offer: id, charity: charity, by: actor)
                case "resume": _ = try await offers.resume(offer: id, charity: charity, by: actor)
                default: _ = try await offers.close(offer: id, charity: charity, by: actor)
                }
            } catch StoreError.invalidTransition {
                var entry = OfferForm(current)
                entry.errors["form"] = "error.offerMoved"
                let latest = try await offers.offer(id: id, charity: charity) ?? current
                return try await offerFormPage(entry, offer: latest, request, session, status: .conflict)
            }
            let notice = ["pause": "offerPaused", "resume": "offerResumed"][step] ?? "offerClosed"
            return Self.redirect("/dashboard/offers/\(id)", notice: notice, "#\(id)")
        }
    }

    /// The form (new when `offer` is nil) with its choices, what was typed, the refusals,
    /// and for an existing offer its standing and its steps.
    private func offerFormPage(
        _ entry: OfferForm, offer: OfferRecord?, _ request: Request, _ session: DashboardSession,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let townships = try await regions.serviceAreas()
        let places = Dictionary(townships.map { ($0.scopePrefix, $0.name) }) { first, _ in first }
        var choices = townships.map { township -> [String: Any] in
            [
                "value": township.scopePrefix, "label": township.name,
                "checked": entry.townships.contains(township.scopePrefix),
            ]
        }
        // Prefixes the offer already serves that are not townships (a county, a village) stay choosable.
        for prefix in entry.townships.sorted() where !choices.contains(where: { $0["value"] as? String == prefix }) {
            choices.append(["value": prefix, "label": prefix, "checked": true])
        }
        var values: [String: Any] = [
            "action": offer.map { "/dashboard/offers/\($0.id)" } ?? "/dashboard/offers/new",
            "form": [
                "title": entry.title, "capacity": entry.capacity, "availableFrom": entry.availableFrom,
                "availableUntil": entry.availableUntil, "latitude": entry.latitude, "longitude": entry.longitude,
                "radius": entry.radius, "description": entry.description, "version": entry.version,
                "byTownships": entry.area == .townships, "byCircle": entry.area == .circle,
            ] as [String: Any],
            "townships": choices, "units": unitChoices(entry.unit, texts),
            "errors": entry.errors.filter { $0.key != "form" }.mapValues { texts[$0] ?? $0 },
            "hasErrors": entry.errors.keys.contains { $0 != "form" },
        ]
        if let key = entry.errors["form"] { values["formError"] = texts[key] ?? key }
        if let offer {
            var standing: [String: Any] = [
                "id": String(offer.id), "category": categoryName(offer.categoryID, language),
                "title": offer.terms.title, "area": areaText(offer.terms, places, texts),
                "capacity": "\(offer.terms.capacity) \(Self.unitName(offer.terms.unit, texts))",
                "status": texts["offerStatus." + offer.status.rawValue] ?? offer.status.rawValue,
                "statusCode": offer.status.rawValue, "allocated": String(offer.allocated),
                "remaining": String(offer.remaining),
            ]
            let path = "/dashboard/offers/\(offer.id)/"
            switch offer.status {
            case .open:
                standing["pause"] = path + "pause"
                standing["close"] = path + "close"
            case .paused:
                standing["resume"] = path + "resume"
                standing["close"] = path + "close"
            case .closed:
                values["closed"] = true
            }
            values["offer"] = standing
        } else {
            values["isNew"] = true
            values["categoryGroups"] = categoryGroups(selected: entry.category, language)
        }
        let title = offer.map { (texts["offer"] ?? "") + " #\($0.id) · \($0.terms.title)" } ?? (texts["newOffer"] ?? "")
        values["csrf"] = session.csrfToken
        return render("offer-form", values, title: title, request, session, status: status)
    }

    /// The categories grouped under their kinds, for the category choice of a new offer.
    private func categoryGroups(selected: String, _ language: DashboardLanguage) -> [[String: Any]] {
        categories.filter { $0.level == 1 }.map { kind -> [String: Any] in
            [
                "label": language == .chinese ? kind.nameZh : kind.nameEn,
                "options": categories.filter { $0.parentID == kind.id }.map { category -> [String: Any] in
                    [
                        "value": String(category.id), "label": language == .chinese ? category.nameZh : category.nameEn,
                        "selected": String(category.id) == selected,
                    ]
                },
            ]
        }
    }

    /// The units an offer may name, the category's default first.
    private func unitChoices(_ selected: String, _ texts: [String: String]) -> [[String: Any]] {
        NeedForm.units.map { code -> [String: Any] in
            [
                "value": code, "label": code.isEmpty ? (texts["defaultUnit"] ?? "") : Self.unitName(code, texts),
                "selected": code == selected,
            ]
        }
    }

    /// County and township names by scope prefix, to name the regions an offer serves.
    private func townshipNames() async throws -> [String: String] {
        Dictionary(try await regions.serviceAreas().map { ($0.scopePrefix, $0.name) }) { first, _ in first }
    }

    /// Where an offer serves, in words: up to three townships by name (else their count),
    /// the circle, or both.
    private func areaText(_ terms: OfferTerms, _ places: [String: String], _ texts: [String: String]) -> String {
        var parts: [String] = []
        let prefixes = terms.serviceRegionPrefixes
        if !prefixes.isEmpty {
            parts.append(
                prefixes.count <= 3
                    ? prefixes.map { places[$0] ?? $0 }.joined(separator: "、")
                    : (texts["areaRegions"] ?? "%d").replacingOccurrences(of: "%d", with: String(prefixes.count)))
        }
        if let circle = terms.serviceCircle {
            parts.append(
                (texts["areaCircle"] ?? "%@ km").replacingOccurrences(
                    of: "%@", with: String(format: "%g", circle.radiusKilometres)))
        }
        return parts.joined(separator: " + ")
    }
}
