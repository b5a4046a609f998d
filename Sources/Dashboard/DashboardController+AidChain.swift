import Foundation
import Hummingbird
import Matching
import Store

/// One household's aid chain (一户一条救助链) on one page: every piece of aid from government
/// and charities, its needs and every step of their matches, its changes with their reasons,
/// newest first; and, for caseworkers, the form to enter government aid it received. The
/// same Store calls as `GET /v1/households/{id}/timeline` and `POST /v1/households/{id}/aid`.
extension DashboardController {
    func addAidChainRoutes(to group: RouterGroup<Context>) {
        group.get("households/{id}/timeline", use: householdTimeline)
        group.post("households/{id}/aid", use: recordHouseholdAid)
    }

    @Sendable func householdTimeline(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.readHouseholds) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        return try await timelinePage(id, entry: AidEntryForm(), request, session, status: .ok)
    }

    /// Records the aid and shows the chain with it; a refused form comes back as typed (422),
    /// a reference already recorded with its own message (409).
    @Sendable func recordHouseholdAid(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.recordAid) else { return Self.redirect(Self.homePath(session.principal.role)) }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        var entry = AidEntryForm(posted)
        guard let aid = entry.aid() else {
            return try await timelinePage(id, entry: entry, request, session, status: .unprocessableContent)
        }
        do {
            let recorded = try await store.aid.recordGovernmentAid(household: id, aid, by: session.principal)
            return Self.redirect(
                "/dashboard/households/\(id)/timeline", notice: "aidRecorded", "#\(recorded.id)")
        } catch StoreError.notFound(_, _) {
            return notFound(request, session)
        } catch let error as StoreError {
            guard entry.refuse(error) else { throw error }
            let status: HTTPResponse.Status = if case .conflict = error { .conflict } else { .unprocessableContent }
            return try await timelinePage(id, entry: entry, request, session, status: status)
        }
    }

    private func timelinePage(
        _ id: Int64, entry: AidEntryForm, _ request: Request, _ session: DashboardSession,
        status: HTTPResponse.Status
    ) async throws -> Response {
        guard let household = try await households.household(id: id, within: session.regionLimit) else {
            return notFound(request, session)
        }
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let names = try await regions.names(of: [household.regionCode])
        let events = try await households.timeline(household: id, by: session.principal)
        var values: [String: Any] = [
            "household": householdSummary(household, regionName: names[household.regionCode], texts),
            "householdHref": "/dashboard/households/\(id)",
            "events": events.map { timelineRow($0, language, texts) },
        ]
        if session.principal.may(.recordAid) {
            values["aidForm"] =
                [
                    "action": "/dashboard/households/\(id)/aid", "form": entry.values,
                    "categories": categoryChoices(language, selected: entry.category),
                    "errors": entry.errors.mapValues { texts[$0] ?? $0 }, "hasErrors": !entry.errors.isEmpty,
                    "importHref": "/dashboard/aid/import",
                ] as [String: Any]
        }
        if session.principal.may(.sendTransfer) {
            values["transferForms"] = try await transferForms(household, language)
        }
        return render(
            "household-timeline", values, title: (texts["aidChain"] ?? "") + " " + household.caseNumber, request,
            session, status: status)
    }

    /// One event as the page lists it: when, what, and the facts that say which.
    private func timelineRow(
        _ event: TimelineEvent, _ language: DashboardLanguage, _ texts: [String: String]
    ) -> [String: Any] {
        var facts: [String] = []
        if let category = event.categoryID { facts.append(categoryName(category, language)) }
        if let amount = event.amount { facts.append("\(amount) \(texts["yuan"] ?? "")") }
        if let units = event.units { facts.append("\(units) \(texts["unitsShort"] ?? "")") }
        if let charity = event.charityName { facts.append(charity) }
        switch event.kind {
        case "household.update":
            let parts = (event.detail ?? "").split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            let fields = (parts.first ?? "").split(separator: ",").map { texts["field." + $0] ?? String($0) }
            if !fields.isEmpty { facts.append(fields.joined(separator: "、")) }
            let ended = (parts.count > 1 ? parts[1] : "").split(separator: ",")
            if !ended.isEmpty {
                let words = ended.map { texts["assistance." + $0] ?? String($0) }.joined(separator: "、")
                facts.append((texts["statusEndedWord"] ?? "") + words)
            }
        case "aid.government": if let program = event.detail { facts.append(program) }
        case "feedback": if let score = event.detail { facts.append("\(score)/5") }
        case "transfer.send", "transfer.accept", "transfer.return", "transfer.withdraw":
            let parts = (event.detail ?? "").split(separator: ":", maxSplits: 1).map(String.init)
            if let kind = parts.first { facts.append(texts["transferKind." + kind] ?? kind) }
            if parts.count > 1, event.charityName == nil { facts.append(parts[1]) }
        default: break
        }
        var row: [String: Any] = [
            "when": Self.timeText(event.at), "what": texts["event." + event.kind] ?? event.kind,
            "facts": Self.list(facts), "government": event.kind == "aid.government",
        ]
        if let reason = event.reason {
            row["reason"] =
                texts["reason." + reason] ?? texts["cancelReason." + reason] ?? texts["declineReason." + reason]
                ?? reason
        }
        if let need = event.needID { row["needHref"] = "/dashboard/needs/\(need)"; row["need"] = "#\(need)" }
        return row
    }
}
