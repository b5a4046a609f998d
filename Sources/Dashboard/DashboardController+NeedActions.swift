import Foundation
import Hummingbird
import Matching
import Store

/// What a caseworker does to a need from its page: correct it (the form carries the version
/// it was read at), cancel it with a reason, and propose one of its ranked offers. Each
/// goes through the same Store call as the API's, so the rules are the Store's.
extension DashboardController {
    func addNeedActionRoutes(to group: RouterGroup<Context>) {
        group.get("needs/{id}/edit", use: needEditForm)
        group.post("needs/{id}/edit", use: editNeed)
        group.post("needs/{id}/cancel", use: cancelNeed)
        group.post("needs/{id}/propose", use: proposeForNeed)
    }

    @Sendable func needEditForm(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.changeNeed) else { return Self.redirect(Self.homePath(session.principal.role)) }
        guard let (need, caseNumber) = try await reachableNeed(context, session) else {
            return notFound(request, session)
        }
        return needFormPage(NeedForm(need, caseNumber: caseNumber), editing: need, request, session, status: .ok)
    }

    /// Saves the corrections if the need is still at the version the form was read at;
    /// otherwise answers 409 with the form as typed and the need as it now is.
    @Sendable func editNeed(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.changeNeed) else { return Self.redirect(Self.homePath(session.principal.role)) }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        guard let (need, caseNumber) = try await reachableNeed(context, session) else {
            return notFound(request, session)
        }
        var entry = NeedForm(posted)
        entry.household = caseNumber
        entry.category = String(need.categoryID)
        let version = Int(entry.version)
        guard let (_, details) = entry.checked(), let version else {
            if Int(entry.version) == nil { entry.errors["form"] = "error.needChangedMeanwhile" }
            return needFormPage(entry, editing: need, request, session, status: .unprocessableContent)
        }
        do {
            _ = try await needs.update(
                need: need.id, details, ifVersion: version, within: session.regionLimit, by: session.principal.actor)
            return Self.redirect("/dashboard/needs/\(need.id)", notice: "needUpdated", "#\(need.id)")
        } catch let error as StoreError {
            guard entry.refuse(error) else { throw error }
            switch error {
            case .versionMismatch, .invalidTransition:
                let now = try await needs.need(id: need.id, within: session.regionLimit) ?? need
                entry.version = String(now.version)
                return needFormPage(entry, editing: now, conflict: true, request, session, status: .conflict)
            case .conflict:
                return needFormPage(entry, editing: need, request, session, status: .conflict)
            default:
                return needFormPage(entry, editing: need, request, session, status: .unprocessableContent)
            }
        }
    }

    /// Cancels the need with the reason chosen (a note when it is "other"); the need page
    /// shows a refusal by the form.
    @Sendable func cancelNeed(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.changeNeed) else { return Self.redirect(Self.homePath(session.principal.role)) }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        guard let (need, _) = try await reachableNeed(context, session) else { return notFound(request, session) }
        let note = (posted["note"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            _ = try await needs.cancel(
                need: need.id, within: session.regionLimit, by: session.principal.actor, reason: posted["reason"] ?? "",
                note: note.isEmpty ? nil : note)
            return Self.redirect("/dashboard/needs/\(need.id)", notice: "needCancelled", "#\(need.id)")
        } catch let error as StoreError {
            let (key, status): (String, HTTPResponse.Status) =
                switch error {
                case .invalid(let field, _) where field == "note": ("error.cancelNote", .unprocessableContent)
                case .invalid: ("error.cancelReason", .unprocessableContent)
                case .invalidTransition: ("error.needNotOpen", .conflict)
                default: throw error
                }
            return try await needPage(
                need.id, feedback: nil, problems: ["cancel": key], request, session, status: status)
        }
    }

    /// Proposes one ranked offer for the need, as a run would (the Store judges the pair
    /// again); the coordinators review it like any proposal.
    @Sendable func proposeForNeed(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.proposeMatch) else { return Self.redirect(Self.homePath(session.principal.role)) }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        guard let (need, _) = try await reachableNeed(context, session) else { return notFound(request, session) }
        let unitsText = (posted["units"] ?? "").trimmingCharacters(in: .whitespaces)
        guard let offer = posted["offer"].flatMap({ Int64($0) }), unitsText.isEmpty || Int(unitsText) != nil else {
            return try await needPage(
                need.id, feedback: nil, problems: ["propose": "error.proposeUnits"], request, session,
                status: .unprocessableContent)
        }
        do {
            let match = try await matches.propose(
                need: need.id, offer: offer, units: Int(unitsText), by: session.principal)
            return Self.redirect(
                "/dashboard/needs/\(need.id)#match-\(match.id)", notice: "matchProposed", "#\(match.id)")
        } catch let error as StoreError {
            let (key, status): (String, HTTPResponse.Status) =
                switch error {
                case .invalid: ("error.proposeUnits", .unprocessableContent)
                case .ineligible, .notFound(.offer, _): ("error.proposeIneligible", .conflict)
                default: throw error
                }
            return try await needPage(
                need.id, feedback: nil, problems: ["propose": key], request, session, status: status)
        }
    }

    /// The need of the path inside the caller's region, with its household's case number.
    private func reachableNeed(
        _ context: Context, _ session: DashboardSession
    ) async throws -> (NeedRecord, String)? {
        guard let id = Self.pathID(context), let need = try await needs.need(id: id, within: session.regionLimit),
            let household = try await households.household(id: need.householdID, within: session.regionLimit)
        else { return nil }
        return (need, household.caseNumber)
    }
}
