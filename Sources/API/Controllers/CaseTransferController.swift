import Foundation
import Hummingbird
import Store

/// A transfer as the API shows it (see ``CaseTransfer``): no phone or address, except an
/// accepted referral's contact for the charity that took it on.
struct TransferResource: Encodable, Sendable {
    var id: Int64
    var kind: String
    var status: String
    var householdId: Int64
    var caseNumber: String?
    var assistanceStatuses: [String]
    var openNeeds: [Int64]
    var needId: Int64?
    var needCategory: String?
    var needQuantity: Int?
    var fromRegion: String
    var toRegion: String?
    var toCharityId: Int64?
    var toCharityName: String?
    var reason: String
    var sentBy: Int64?
    var sentAt: Date
    var dueAt: Date
    var overdue: Bool
    var decidedBy: Int64?
    var decidedAt: Date?
    var returnReason: String?
    var contact: DeliveryContact?

    init(_ transfer: CaseTransfer) {
        id = transfer.id
        kind = transfer.kind.rawValue
        status = transfer.status.rawValue
        householdId = transfer.householdID
        caseNumber = transfer.caseNumber
        assistanceStatuses = transfer.assistanceStatuses
        openNeeds = transfer.openNeedIDs
        needId = transfer.needID
        needCategory = transfer.needCategory
        needQuantity = transfer.needQuantity
        fromRegion = transfer.fromRegion
        toRegion = transfer.toRegion
        toCharityId = transfer.toCharityID
        toCharityName = transfer.toCharityName
        reason = transfer.reason
        sentBy = transfer.sentBy
        sentAt = transfer.sentAt
        dueAt = transfer.dueAt
        overdue = transfer.overdue
        decidedBy = transfer.decidedBy
        decidedAt = transfer.decidedAt
        returnReason = transfer.returnReason
        contact = transfer.contact
    }
}

/// One numbered page of transfers, overdue pending ones first.
struct TransferPageResource: Encodable, Sendable {
    var items: [TransferResource]
    var total: Int
    var page: Int
    var pageSize: Int
}

/// The body of `POST /v1/transfers`.
struct TransferInput: Decodable, Sendable {
    var kind: TransferKind
    var householdId: Int64?
    var needId: Int64?
    var toRegion: String?
    var toCharityId: Int64?
    var reason: String
    var dueDays: Int?

    var request: TransferRequest {
        TransferRequest(
            kind: kind, householdID: householdId, needID: needId, toRegion: toRegion, toCharityID: toCharityId,
            reason: reason, dueDays: dueDays)
    }
}

/// The body of `POST /v1/transfers/{id}/return`; the Store requires the reason, after it has
/// judged whether the caller may return the transfer at all.
struct TransferReturnInput: Decodable, Sendable {
    var reason: String?
}

/// `/v1/transfers` (转介): caseworkers send a household to another township's office or refer
/// a need to a named charity; the receiver accepts or returns it, the sender may withdraw it.
/// Every rule is the Store's (``CaseTransferRepository``), the same the dashboard meets.
struct CaseTransferController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("transfers", use: send)
        group.get("transfers", use: list)
        group.get("transfers/{id}", use: show)
        group.post("transfers/{id}/accept", use: accept)
        group.post("transfers/{id}/return", use: giveBack)
        group.post("transfers/{id}/withdraw", use: withdraw)
    }

    @Sendable func send(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.sendTransfer)
        let input = try await services.body(TransferInput.self, request, context)
        let transfer = try await services.store.transfers.send(input.request, by: principal)
        return try JSONResponse.make(
            TransferResource(transfer), status: .created, location: "/v1/transfers/\(transfer.id)")
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let query = request.query
        let page = try await services.store.transfers.transfers(
            by: principal, direction: try query.code("direction", as: TransferDirection.self),
            status: try query.code("status", as: TransferStatus.self),
            page: try query.integer("page", in: 1...1_000_000) ?? 1,
            pageSize: try query.integer("limit", in: 1...200) ?? 50)
        return try JSONResponse.make(
            TransferPageResource(
                items: page.items.map(TransferResource.init), total: page.total, page: page.page,
                pageSize: page.pageSize))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let transfer = try await services.store.transfers.transfer(id: try context.pathID(), by: principal)
        return try JSONResponse.make(TransferResource(transfer))
    }

    @Sendable func accept(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await decide(.accept, request, context)
    }

    @Sendable func giveBack(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await decide(.return, request, context)
    }

    @Sendable func withdraw(_ request: Request, context: APIRequestContext) async throws -> Response {
        try await decide(.withdraw, request, context)
    }

    private func decide(
        _ decision: TransferDecision, _ request: Request, _ context: APIRequestContext
    ) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(decision == .withdraw ? .withdrawTransfer : .decideTransfer)
        let id = try context.pathID()
        let reason =
            decision == .return ? try await services.body(TransferReturnInput.self, request, context).reason : nil
        let transfer = try await services.store.transfers.decide(decision, transfer: id, reason: reason, by: principal)
        return try JSONResponse.make(TransferResource(transfer))
    }
}
