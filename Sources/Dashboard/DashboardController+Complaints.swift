import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Complaints and flags (投诉, 社会监督): the list a coordinator handles (their region's,
/// overdue ones marked, filtered by state; an administrator's is the same page unscoped),
/// the form anyone with a role raises one with from a match, and the resolve form. Which
/// complaints a person reaches, may raise and may handle is the Store's alone.
extension DashboardController {
    /// The list's tabs: every complaint, the open ones, the overdue ones, the handled ones.
    static var complaintTabs: [String] { ["all", "open", "overdue", "resolved", "dismissed"] }

    func addComplaintRoutes(to group: RouterGroup<Context>) {
        group.get("complaints", use: complaintList)
        group.get("complaints/new", use: complaintForm)
        group.post("complaints/new", use: raiseComplaint)
        group.post("complaints/{id}/resolve", use: resolveComplaint)
    }

    @Sendable func complaintList(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.readComplaints) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        return try await complaintsPage(request, session, refused: nil, status: .ok)
    }

    /// The list, with a refused resolve form (`refused`: the complaint and the text key)
    /// shown on its row.
    func complaintsPage(
        _ request: Request, _ session: DashboardSession, refused: (id: Int64, problem: String)?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let texts = DashboardText.strings(Self.language(request))
        let tab = Self.parameter(request, "show").flatMap { Self.complaintTabs.contains($0) ? $0 : nil } ?? "open"
        let filter = ComplaintFilter(
            status: ComplaintStatus(rawValue: tab == "overdue" ? "open" : tab), overdueOnly: tab == "overdue")
        let page = try await store.complaints.list(
            filter, for: session.principal, page: PageRequest(after: Self.cursor(request, "after"), limit: 50))
        var names: [Int64: String] = [:]
        var rows: [[String: Any]] = []
        for complaint in page.items {
            if names[complaint.charityID] == nil {
                names[complaint.charityID] = try await charities.charity(id: complaint.charityID)?.name ?? ""
            }
            var row = complaintRow(complaint, charityName: names[complaint.charityID] ?? "", texts)
            if complaint.status == .open, session.principal.may(.handleComplaint) {
                row["handle"] = "/dashboard/complaints/\(complaint.id)/resolve"
            }
            if let refused, refused.id == complaint.id { row["error"] = texts[refused.problem] ?? refused.problem }
            rows.append(row)
        }
        var values: [String: Any] = [
            "rows": rows, "hasRows": !rows.isEmpty, "empty": texts["noComplaints"] ?? "",
            "tabs": Self.complaintTabs.map { code in
                [
                    "label": texts["complaintTab." + code] ?? code, "current": code == tab,
                    "href": Self.link("/dashboard/complaints", [("show", code)]),
                ] as [String: Any]
            },
            "csrf": session.csrfToken,
        ]
        values["next"] = page.nextCursor.map {
            Self.link("/dashboard/complaints", [("show", tab), ("after", String($0))])
        }
        return render("complaints", values, title: texts["complaints"] ?? "", request, session, status: status)
    }

    private func complaintRow(
        _ complaint: ComplaintRecord, charityName: String, _ texts: [String: String]
    ) -> [String: Any] {
        var row: [String: Any] = [
            "id": String(complaint.id),
            "subject": (texts["entity." + complaint.subject.kind.rawValue] ?? "") + " #\(complaint.subject.id)",
            "charity": charityName,
            "category": texts["complaintCategory." + complaint.category.rawValue] ?? complaint.category.rawValue,
            "text": complaint.text, "raisedAt": Self.timeText(complaint.raisedAt),
            "raisedBy": texts["role." + complaint.raisedRole.rawValue] ?? complaint.raisedRole.rawValue,
            "dueAt": Self.timeText(complaint.dueAt), "overdue": complaint.overdue,
            "status": texts["complaintStatus." + complaint.status.rawValue] ?? complaint.status.rawValue,
            "statusCode": complaint.status.rawValue,
        ]
        if let note = complaint.evidenceNote { row["evidence"] = note }
        if let outcome = complaint.outcome { row["outcome"] = outcome }
        return row
    }

    /// The form to raise a complaint about `?subject=match&id=12` (or an offer, a charity).
    @Sendable func complaintForm(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.raiseComplaint) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        let kind = Self.parameter(request, "subject") ?? ""
        guard let id = Self.parameter(request, "id").flatMap({ Int64($0) }), ComplaintSubject(kind: kind, id: id) != nil
        else { return notFound(request, session) }
        return complaintFormPage(
            kind: kind, id: id, typed: [:], problems: [:], request, session, status: .ok)
    }

    @Sendable func raiseComplaint(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.raiseComplaint) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        let kind = posted["subject"] ?? ""
        guard let id = posted["id"].flatMap({ Int64($0) }), let subject = ComplaintSubject(kind: kind, id: id) else {
            return notFound(request, session)
        }
        let typed = [
            "category": posted["category"] ?? "", "text": posted["text"] ?? "", "evidence": posted["evidence"] ?? "",
        ]
        guard let category = ComplaintCategory(rawValue: typed["category"] ?? ""), category != .deliveryDisputed else {
            return complaintFormPage(
                kind: kind, id: id, typed: typed, problems: ["category": "error.complaintCategory"], request, session,
                status: .unprocessableContent)
        }
        do {
            let raised = try await store.complaints.raise(
                ComplaintDraft(
                    subject: subject, category: category, text: typed["text"] ?? "",
                    evidenceNote: typed["evidence"]),
                by: session.principal)
            return Self.redirect("/dashboard/complaints?show=open", notice: "complaintRaised", "#\(raised.id)")
        } catch StoreError.notFound {
            return notFound(request, session)
        } catch StoreError.invalid(let field, _) where field == "text" || field == "evidence_note" {
            let problem = field == "text" ? ["text": "error.complaintText"] : ["evidence": "error.evidenceNote"]
            return complaintFormPage(
                kind: kind, id: id, typed: typed, problems: problem, request, session, status: .unprocessableContent)
        }
    }

    private func complaintFormPage(
        kind: String, id: Int64, typed: [String: String], problems: [String: String], _ request: Request,
        _ session: DashboardSession, status: HTTPResponse.Status
    ) -> Response {
        let texts = DashboardText.strings(Self.language(request))
        let values: [String: Any] = [
            "subject": kind, "id": String(id), "subjectText": (texts["entity." + kind] ?? kind) + " #\(id)",
            "categories": ComplaintCategory.allCases.filter { $0 != .deliveryDisputed }.map { category in
                [
                    "value": category.rawValue, "label": texts["complaintCategory." + category.rawValue] ?? "",
                    "selected": category.rawValue == typed["category"],
                ] as [String: Any]
            },
            "text": typed["text"] ?? "", "evidence": typed["evidence"] ?? "", "csrf": session.csrfToken,
            "errors": problems.mapValues { texts[$0] ?? $0 }, "hasErrors": !problems.isEmpty,
        ]
        return render("complaint-form", values, title: texts["raiseComplaint"] ?? "", request, session, status: status)
    }

    /// Resolves or dismisses a complaint with its outcome; a refusal shows on its row.
    @Sendable func resolveComplaint(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.handleComplaint) else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        guard let posted = try await form(request, session) else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        let resolution = ComplaintStatus(rawValue: posted["resolution"] ?? "") ?? .open
        do {
            _ = try await store.complaints.resolve(
                complaint: id, as: resolution, outcome: posted["outcome"] ?? "", by: session.principal)
            return Self.redirect(
                "/dashboard/complaints?show=\(resolution.rawValue)", notice: "complaint.\(resolution.rawValue)",
                "#\(id)")
        } catch StoreError.notFound {
            return notFound(request, session)
        } catch StoreError.invalid(let field, _) {
            return try await complaintsPage(
                request, session, refused: (id, field == "outcome" ? "error.outcome" : "error.resolution"),
                status: .unprocessableContent)
        } catch StoreError.invalidTransition {
            return try await complaintsPage(
                request, session, refused: (id, "error.complaintHandled"), status: .conflict)
        }
    }
}
