import Foundation
import HTTPTypes
import Hummingbird
import Store

/// The caseworker's review of a delivery (签收确认) on the need page: confirm it for the
/// household, or dispute it with a reason, which opens a complaint for the coordinators. The
/// Store decides who may, on which match, and only once; a refusal comes back on the need
/// page next to the match.
extension DashboardController {
    func addReceiptReviewRoutes(to group: RouterGroup<Context>) {
        group.post("matches/{id}/receipt/confirm", use: reviewReceipt(disputing: false))
        group.post("matches/{id}/receipt/dispute", use: reviewReceipt(disputing: true))
    }

    /// Confirms or disputes the delivery of the path's match, then shows its need again.
    func reviewReceipt(disputing: Bool) -> @Sendable (Request, Context) async throws -> Response {
        { request, context in
            guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
            guard session.principal.may(.reviewReceipt) else {
                return Self.redirect(Self.homePath(session.principal.role))
            }
            guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
            guard let id = Self.pathID(context),
                let match = try await matches.match(id: id, visibleTo: session.principal)
            else { return notFound(request, session) }
            let version = posted["version"].flatMap { Int($0) }
            let problem: String
            let status: HTTPResponse.Status
            do {
                if disputing {
                    _ = try await matches.disputeReceipt(
                        match: match.id, reason: posted["reason"] ?? "", by: session.principal,
                        expectedVersion: version)
                } else {
                    _ = try await matches.confirmReceipt(
                        match: match.id, by: session.principal, expectedVersion: version)
                }
                return Self.redirect(
                    "/dashboard/needs/\(match.needID)#match-\(match.id)",
                    notice: disputing ? "receiptDisputed" : "receiptConfirmed", "#\(match.id)")
            } catch StoreError.invalid(let field, _) where field == "reason" {
                (problem, status) = ("error.disputeReason", .unprocessableContent)
            } catch StoreError.conflict(.receiptReviewed) {
                (problem, status) = ("error.receiptReviewed", .conflict)
            } catch StoreError.versionMismatch {
                (problem, status) = ("error.receiptChanged", .conflict)
            } catch StoreError.invalidTransition {
                (problem, status) = ("error.receiptNotDelivered", .conflict)
            }
            return try await needPage(
                match.needID, feedback: nil, problems: ["receipt.\(match.id)": problem], request, session,
                status: status)
        }
    }

    /// The receipt of a delivered match as the need page shows it: where it stands, the
    /// dispute's reason, the confirm and dispute forms while it is pending (for those who
    /// may review it), a refusal next to them, and the way to raise a complaint.
    func receiptValues(
        _ match: MatchRecord, _ principal: Principal, problem: String?, _ texts: [String: String]
    ) -> [String: Any] {
        var values: [String: Any] = [:]
        if principal.may(.raiseComplaint) {
            values["complain"] = "/dashboard/complaints/new?subject=match&id=\(match.id)"
        }
        guard let receipt = match.receipt else { return values }
        values["receipt"] = texts["receipt." + receipt.status.rawValue] ?? receipt.status.rawValue
        values["receiptCode"] = receipt.status.rawValue
        if let reason = receipt.disputeReason { values["disputeReason"] = reason }
        if let problem { values["receiptError"] = texts[problem] ?? problem }
        if receipt.status == .pending, principal.may(.reviewReceipt) {
            values["receiptForms"] = [
                "confirm": "/dashboard/matches/\(match.id)/receipt/confirm",
                "dispute": "/dashboard/matches/\(match.id)/receipt/dispute", "version": String(match.version),
            ]
        }
        return values
    }
}
