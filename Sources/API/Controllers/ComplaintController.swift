import Foundation
import Hummingbird
import Store

/// A complaint as the API shows it: what it is about, who raised it and where it is handled,
/// its time limit and, once handled, the outcome.
struct ComplaintResource: Encodable, Sendable {
    var id: Int64
    var subjectType: String
    var subjectId: Int64
    var charityId: Int64
    var category: String
    var text: String
    var evidenceNote: String?
    var raisedBy: Int64?
    var raisedRole: String
    var raisedAt: Date
    var regionCode: String?
    var status: String
    var dueAt: Date
    var overdue: Bool
    var outcome: String?
    var handledBy: Int64?
    var handledAt: Date?

    init(_ record: ComplaintRecord) {
        id = record.id
        subjectType = record.subject.kind.rawValue
        subjectId = record.subject.id
        charityId = record.charityID
        category = record.category.rawValue
        text = record.text
        evidenceNote = record.evidenceNote
        raisedBy = record.raisedBy
        raisedRole = record.raisedRole.rawValue
        raisedAt = record.raisedAt
        regionCode = record.regionCode
        status = record.status.rawValue
        dueAt = record.dueAt
        overdue = record.overdue
        outcome = record.outcome
        handledBy = record.handledBy
        handledAt = record.handledAt
    }
}

/// The body of `POST /v1/complaints`.
struct ComplaintInput: Decodable, Sendable {
    var subjectType: String
    var subjectId: Int64
    var category: ComplaintCategory
    var text: String
    var evidenceNote: String?
}

/// The body of `POST /v1/complaints/{id}/resolve`.
struct ComplaintResolution: Decodable, Sendable {
    var resolution: ComplaintStatus
    var outcome: String
}

/// `/v1/complaints`: complaints and flags (投诉, 社会监督). Who may raise, read and handle
/// which complaint is the Store's (``ComplaintRepository``); this reads the request and
/// writes the answer.
struct ComplaintController {
    let services: APIServices

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("complaints", use: raise)
        group.get("complaints", use: list)
        group.get("complaints/{id}", use: show)
        group.post("complaints/{id}/resolve", use: resolve)
    }

    @Sendable func raise(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.raiseComplaint)
        let input = try await services.body(ComplaintInput.self, request, context)
        guard let subject = ComplaintSubject(kind: input.subjectType, id: input.subjectId) else {
            throw Problem.validation([.init(field: "/subject_type", message: "must be match, offer or charity")])
        }
        let record = try await services.store.complaints.raise(
            ComplaintDraft(
                subject: subject, category: input.category, text: input.text, evidenceNote: input.evidenceNote),
            by: principal, idempotency: context.idempotency)
        return try JSONResponse.make(
            ComplaintResource(record), status: .created, location: "/v1/complaints/\(record.id)")
    }

    @Sendable func list(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let filter = ComplaintFilter(
            status: try request.query.code("status", as: ComplaintStatus.self),
            overdueOnly: try request.query.bool("overdue") ?? false)
        let page = try await services.store.complaints.list(
            filter, for: principal, page: try PageCursor.pageRequest(request))
        return try JSONResponse.make(PageResource(page, ComplaintResource.init))
    }

    @Sendable func show(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        let id = try context.pathID()
        guard let record = try await services.store.complaints.complaint(id: id, visibleTo: principal) else {
            throw Problem.notFound("complaint", String(id))
        }
        return try JSONResponse.make(ComplaintResource(record))
    }

    @Sendable func resolve(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.handleComplaint)
        let id = try context.pathID()
        let input = try await services.body(ComplaintResolution.self, request, context)
        let record = try await services.store.complaints.resolve(
            complaint: id, as: input.resolution, outcome: input.outcome, by: principal,
            idempotency: context.idempotency)
        return try JSONResponse.make(ComplaintResource(record))
    }
}
