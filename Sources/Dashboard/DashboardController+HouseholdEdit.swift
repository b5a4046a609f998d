import Foundation
import Hummingbird
import Matching
import Store

/// The caseworker's changes to the roll: registering a household, correcting one (the
/// form carries the version it was read at, so a save made after someone else's is refused
/// with what was typed kept), and recording or withdrawing consent. Every change goes
/// through the same Store call as the API's.
extension DashboardController {
    func addHouseholdEditRoutes(to group: RouterGroup<Context>) {
        group.get("households/new", use: householdRegistrationForm)
        group.post("households/new", use: registerHousehold)
        group.get("households/{id}/edit", use: householdEditForm)
        group.post("households/{id}/edit", use: editHousehold)
        group.post("households/{id}/consent", use: recordHouseholdConsent)
        group.post("households/{id}/consent/withdraw", use: withdrawHouseholdConsent)
    }

    @Sendable func householdRegistrationForm(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.registerHousehold) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        return try await householdFormPage(HouseholdForm(), current: nil, request, session, status: .ok)
    }

    /// Registers the household and shows it; a refused form comes back as typed, a case
    /// number or ID number already registered with a clear message (409).
    @Sendable func registerHousehold(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.registerHousehold) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        var entry = HouseholdForm(posted)
        guard let registration = entry.registration(consentDay: String(Self.timeText(Date()).prefix(10))) else {
            return try await householdFormPage(entry, current: nil, request, session, status: .unprocessableContent)
        }
        do {
            let record = try await households.register(
                registration, within: session.regionLimit, by: session.principal.actor)
            return Self.redirect(
                "/dashboard/households/\(record.id)", notice: "householdRegistered", record.caseNumber)
        } catch let error as StoreError {
            guard entry.refuse(error) else { throw error }
            var status = HTTPResponse.Status.unprocessableContent
            if case .conflict = error { status = .conflict }
            return try await householdFormPage(entry, current: nil, request, session, status: status)
        }
    }

    @Sendable func householdEditForm(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.changeHousehold) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let id = Self.pathID(context),
            let household = try await households.household(id: id, within: session.regionLimit)
        else { return notFound(request, session) }
        return try await householdFormPage(HouseholdForm(household), current: household, request, session, status: .ok)
    }

    /// Saves the corrections if the household is still at the version the form was read at;
    /// otherwise answers 409 with the form as typed and the household as it now is.
    @Sendable func editHousehold(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.changeHousehold) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context),
            let household = try await households.household(id: id, within: session.regionLimit)
        else { return notFound(request, session) }
        var entry = HouseholdForm(posted)
        entry.caseNumber = household.caseNumber
        guard let (changes, version) = entry.changes() else {
            return try await householdFormPage(
                entry, current: household, request, session, status: .unprocessableContent)
        }
        do {
            let update = try await households.update(
                household: id, expectedVersion: version, changes, by: session.principal)
            let closedAny = !update.cancelledMatches.isEmpty || !update.cancelledNeeds.isEmpty
            return Self.redirect(
                "/dashboard/households/\(id)", notice: closedAny ? "householdStatusEnded" : "householdUpdated",
                household.caseNumber)
        } catch let error as StoreError {
            guard entry.refuse(error) else { throw error }
            guard case .versionMismatch = error else {
                return try await householdFormPage(
                    entry, current: household, request, session, status: .unprocessableContent)
            }
            let now = try await households.household(id: id, within: session.regionLimit) ?? household
            entry.version = String(now.version)
            return try await householdFormPage(entry, current: now, conflict: true, request, session, status: .conflict)
        }
    }

    @Sendable func recordHouseholdConsent(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.recordConsent) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        do {
            _ = try await households.recordConsent(
                household: id, scope: posted["consent_scope"] ?? "", within: session.regionLimit,
                by: session.principal.actor)
        } catch StoreError.notFound(_, _) {
            return notFound(request, session)
        } catch StoreError.invalid(_, _) {
            return try await householdPage(id, consentError: "error.consentScope", request, session)
        }
        return Self.redirect("/dashboard/households/\(id)#consent", notice: "consentRecorded")
    }

    @Sendable func withdrawHouseholdConsent(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.recordConsent) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard try await form(request, session) != nil else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        do {
            _ = try await households.withdrawConsent(
                household: id, within: session.regionLimit, by: session.principal.actor)
        } catch StoreError.notFound(_, _) {
            return notFound(request, session)
        } catch StoreError.invalidTransition(_, _, _, _) {
            return try await householdPage(id, consentError: "error.noConsentToWithdraw", request, session)
        }
        return Self.redirect("/dashboard/households/\(id)#consent", notice: "consentWithdrawn")
    }

    /// The registration form (no `current`) or the edit form of `current`; with `conflict`
    /// the household as it now is shows beside what the caseworker typed.
    private func householdFormPage(
        _ entry: HouseholdForm, current: HouseholdRecord?, conflict: Bool = false, _ request: Request,
        _ session: DashboardSession, status: HTTPResponse.Status
    ) async throws -> Response {
        let texts = DashboardText.strings(Self.language(request))
        var values: [String: Any] = [
            "form": [
                "caseNumber": entry.caseNumber, "idNumber": entry.idNumber, "headName": entry.headName,
                "members": entry.members, "contactPhone": entry.contactPhone, "address": entry.address,
                "consentScope": entry.consentScope, "version": entry.version,
            ] as [String: Any],
            "statuses": HouseholdForm.statusCodes.map { code -> [String: Any] in
                ["value": code, "label": texts["assistance." + code] ?? code, "checked": entry.statuses.contains(code)]
            },
            "flags": HouseholdForm.flagCodes.map { code -> [String: Any] in
                ["value": code, "label": texts["flag." + code] ?? code, "checked": entry.flags.contains(code)]
            },
            "errors": entry.errors.mapValues { texts[$0] ?? $0 },
            "hasErrors": !entry.errors.isEmpty,
        ]
        if let current {
            values["action"] = "/dashboard/households/\(current.id)/edit"
            values["cancelHref"] = "/dashboard/households/\(current.id)"
            if conflict {
                let names = try await regions.names(of: [current.regionCode])
                values["household"] = householdSummary(current, regionName: names[current.regionCode], texts)
                values["currentContact"] = [
                    "headName": current.contactName ?? "–", "phone": current.contactPhone ?? "–",
                    "address": current.address ?? "–",
                ]
            }
        } else {
            values["action"] = "/dashboard/households/new"
            values["registering"] = true
            let villages = try await villageChoices(session, selected: entry.regionCode)
            values["villages"] = villages
            values["hasVillages"] = !villages.isEmpty
        }
        let title =
            current.map { (texts["editHousehold"] ?? "") + " " + $0.caseNumber } ?? (texts["registerHousehold"] ?? "")
        return render("household-form", values, title: title, request, session, status: status)
    }

    /// The villages of the caller's region to register a household in; none for an
    /// administrator, who types the code.
    private func villageChoices(_ session: DashboardSession, selected: String) async throws -> [[String: Any]] {
        guard let scope = session.regionLimit else { return [] }
        let page = try await regions.regions(in: scope, level: .village, page: PageRequest(limit: 500))
        return page.items.map { village -> [String: Any] in
            ["value": village.code, "label": village.name, "selected": village.code == selected]
        }
    }
}
