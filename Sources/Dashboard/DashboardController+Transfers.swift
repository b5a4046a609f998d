import Foundation
import Hummingbird
import Matching
import Store

/// 转介 on the dashboard: the transfer and referral forms of a household's aid chain page, and
/// `/dashboard/transfers`, where the receiving office or charity accepts or returns what was
/// sent to it (overdue first, marked) and the sending office withdraws what still waits. The
/// same Store calls as `/v1/transfers`.
extension DashboardController {
    func addTransferRoutes(to group: RouterGroup<Context>) {
        group.get("transfers", use: transfersPage)
        group.post("households/{id}/transfer", use: sendHouseholdTransfer)
        group.post("households/{id}/referral", use: sendReferral)
        group.post("transfers/{id}/accept", use: acceptTransfer)
        group.post("transfers/{id}/return", use: returnTransfer)
        group.post("transfers/{id}/withdraw", use: withdrawTransfer)
    }

    @Sendable func transfersPage(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.readTransfers) else { return Self.redirect(Self.homePath(session.principal.role)) }
        let texts = DashboardText.strings(Self.language(request))
        let incoming = try await store.transfers.transfers(by: session.principal, direction: .incoming, pageSize: 100)
        var codes = Set(incoming.items.flatMap { [$0.fromRegion] + ($0.toRegion.map { [$0] } ?? []) })
        var values: [String: Any] = [:]
        var outgoingRows: [TransferRow] = []
        if session.principal.role != .charity {
            let outgoing = try await store.transfers.transfers(
                by: session.principal, direction: .outgoing, pageSize: 100)
            codes.formUnion(outgoing.items.flatMap { [$0.fromRegion] + ($0.toRegion.map { [$0] } ?? []) })
            outgoingRows = outgoing.items.map { TransferRow(transfer: $0, side: .outgoing) }
            values["showOutgoing"] = true
        }
        let names = try await regions.names(of: codes)
        let incomingRows = incoming.items.map { TransferRow(transfer: $0, side: .incoming) }
        values["incoming"] = incomingRows.map { transferRow($0, session, names, texts) }
        values["hasIncoming"] = !incomingRows.isEmpty
        values["outgoing"] = outgoingRows.map { transferRow($0, session, names, texts) }
        values["hasOutgoing"] = !outgoingRows.isEmpty
        return render("transfers", values, title: texts["transfers"] ?? "", request, session)
    }

    @Sendable func sendHouseholdTransfer(_ request: Request, context: Context) async throws -> Response {
        try await send(request, context) { id, form in
            TransferRequest(
                kind: .household, householdID: id, toRegion: form["to_region"], reason: form["reason"] ?? "")
        }
    }

    @Sendable func sendReferral(_ request: Request, context: Context) async throws -> Response {
        try await send(request, context) { _, form in
            TransferRequest(
                kind: .referral, needID: form["need"].flatMap { Int64($0) },
                toCharityID: form["charity"].flatMap { Int64($0) }, reason: form["reason"] ?? "")
        }
    }

    @Sendable func acceptTransfer(_ request: Request, context: Context) async throws -> Response {
        try await decideTransfer(.accept, request, context)
    }

    @Sendable func returnTransfer(_ request: Request, context: Context) async throws -> Response {
        try await decideTransfer(.return, request, context)
    }

    @Sendable func withdrawTransfer(_ request: Request, context: Context) async throws -> Response {
        try await decideTransfer(.withdraw, request, context)
    }

    /// Sends what `make` reads from the form and goes back to the household's chain, with a
    /// notice saying it was sent or what was wrong.
    private func send(
        _ request: Request, _ context: Context, _ make: (Int64, HTMLForm) -> TransferRequest
    ) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.sendTransfer) else { return Self.redirect(Self.homePath(session.principal.role)) }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        let back = "/dashboard/households/\(id)/timeline"
        do {
            let sent = try await store.transfers.send(make(id, posted), by: session.principal)
            return Self.redirect(back, notice: "transfer.sent", "#\(sent.id)")
        } catch StoreError.notFound(entity: .household, id: _) {
            return notFound(request, session)
        } catch let error as StoreError {
            return Self.redirect(back, notice: Self.transferRefusal(error))
        }
    }

    private func decideTransfer(
        _ decision: TransferDecision, _ request: Request, _ context: Context
    ) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(decision == .withdraw ? .withdrawTransfer : .decideTransfer) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        do {
            _ = try await store.transfers.decide(
                decision, transfer: id, reason: posted["reason"], by: session.principal)
            return Self.redirect("/dashboard/transfers", notice: "transfer." + decision.rawValue, "#\(id)")
        } catch StoreError.notFound {
            return notFound(request, session)
        } catch let error as StoreError {
            return Self.redirect("/dashboard/transfers", notice: Self.transferRefusal(error), "#\(id)")
        }
    }

    /// The notice that words a refused transfer step (`transfer.refused.<what>`).
    static func transferRefusal(_ error: StoreError) -> String {
        switch error {
        case .invalid(let field, _): "transfer.refused." + field
        case .conflict(let reason): "transfer.refused." + reason.code.replacingOccurrences(of: ".", with: "_")
        case .invalidTransition: "transfer.refused.decided"
        case .forbidden: "transfer.refused.forbidden"
        default: "transfer.refused.other"
        }
    }

    /// The forms of the aid chain page: the household to another township's village, one of
    /// its open needs to a charity.
    func transferForms(_ household: HouseholdRecord, _ language: DashboardLanguage) async throws -> [String: Any] {
        let villages = try await store.transfers.destinations(from: household.regionCode)
        let townships = try await regions.names(of: Set(villages.map { String($0.code.prefix(9)) + "000" }))
        let open = try await needs.list(
            within: nil, household: household.id, page: PageRequest(limit: 100)
        ).items.filter { $0.status == .open || $0.status == .matched }
        let charities = try await charities.list(status: .active, page: PageRequest(limit: 200)).items
        return [
            "transferAction": "/dashboard/households/\(household.id)/transfer",
            "referralAction": "/dashboard/households/\(household.id)/referral",
            "villages": villages.map { village in
                let township = townships[String(village.code.prefix(9)) + "000"].map { $0 + " · " } ?? ""
                return ["value": village.code, "label": township + village.name]
            },
            "openNeeds": open.map {
                ["value": String($0.id), "label": "#\($0.id) " + categoryName($0.categoryID, language)]
            },
            "hasOpenNeeds": !open.isEmpty,
            "charities": charities.map { ["value": String($0.id), "label": $0.name] },
        ]
    }

    private func transferRow(
        _ row: TransferRow, _ session: DashboardSession, _ names: [String: String], _ texts: [String: String]
    ) -> [String: Any] {
        let transfer = row.transfer
        let target =
            transfer.toRegion.map { names[$0] ?? $0 } ?? transfer.toCharityName ?? transfer.toCharityID.map { "#\($0)" }
            ?? ""
        var values: [String: Any] = [
            "id": String(transfer.id), "anchor": "transfer-\(transfer.id)",
            "kind": texts["transferKind." + transfer.kind.rawValue] ?? transfer.kind.rawValue,
            "caseNumber": transfer.caseNumber ?? "", "from": names[transfer.fromRegion] ?? transfer.fromRegion,
            "to": target, "reason": transfer.reason, "sentAt": Self.timeText(transfer.sentAt),
            "dueAt": Self.timeText(transfer.dueAt), "overdue": transfer.overdue,
            "status": texts["transferStatus." + transfer.status.rawValue] ?? transfer.status.rawValue,
            "returnReason": transfer.returnReason ?? "",
            "statuses": Self.list(transfer.assistanceStatuses.map { texts["assistance." + $0] ?? $0 }),
            "openNeeds": Self.list(transfer.openNeedIDs.map { "#\($0)" }),
        ]
        let contact = [transfer.contact?.contactPhone, transfer.contact?.address].compactMap { $0 }
        if !contact.isEmpty { values["contact"] = contact.joined(separator: " ") }
        if transfer.status == .pending {
            let principal = session.principal
            if row.side == .incoming, principal.may(.decideTransfer) { values["decide"] = true }
            if row.side == .outgoing, principal.may(.withdrawTransfer) { values["withdraw"] = true }
        }
        if transfer.status == .accepted, transfer.kind == .household, row.side == .incoming {
            values["householdHref"] = "/dashboard/households/\(transfer.householdID)/timeline"
        }
        return values
    }
}

/// A transfer and the side of it the reader is on.
struct TransferRow {
    var transfer: CaseTransfer
    var side: TransferDirection
}
