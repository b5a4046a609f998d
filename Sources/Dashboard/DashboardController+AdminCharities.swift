import Foundation
import HTTPTypes
import Hummingbird
import Store

/// The administrator's register of charities: register one (its 统一社会信用代码 checked by
/// the Store), and suspend, ban until a date or for good, or reinstate it, each with a
/// reason. The Store's principal-based calls check the power; these pages only ask.
extension DashboardController {
    func addAdminCharityRoutes(to group: RouterGroup<Context>) {
        group.get(
            "admin/charities", use: adminPage(.registerCharity) { [self] in try await adminCharities($0, $2) })
        group.post(
            "admin/charities", use: adminPage(.registerCharity) { [self] in try await registerCharity($0, $2) })
        group.post(
            "admin/charities/{id}/sanction",
            use: adminPage(.banCharity) { [self] in try await sanctionCharity($0, $1, $2) })
    }

    /// The administrator's navigation: the coordinator's oversight pages over the whole
    /// country, with the register of charities in place of a region's charities, and the
    /// accounts. (An administrator may also record households and needs, through the API.)
    static var adminNavigation: [(path: String, label: String, action: Action)] {
        [
            ("/dashboard/overview", "overview", .approveMatch),
            ("/dashboard/review", "review", .approveMatch),
            ("/dashboard/runs", "runs", .approveMatch),
            ("/dashboard/complaints", "complaints", .handleComplaint),
            ("/dashboard/admin/charities", "adminCharities", .registerCharity),
            ("/dashboard/admin/accounts", "accounts", .manageAccounts),
            ("/dashboard/audit", "audit", .approveMatch),
        ]
    }

    /// A page for administrators (`action` is the power it is about): someone signed out goes
    /// to the sign-in form, any other role to its own home.
    func adminPage(
        _ action: Action, _ body: @escaping @Sendable (Request, Context, DashboardSession) async throws -> Response
    ) -> @Sendable (Request, Context) async throws -> Response {
        { request, context in
            guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
            guard session.principal.may(action) else { return Self.redirect(Self.homePath(session.principal.role)) }
            return try await body(request, context, session)
        }
    }

    /// `POST /dashboard/admin/charities`: registers the charity the form describes.
    func registerCharity(_ request: Request, _ session: DashboardSession) async throws -> Response {
        guard let form = try await form(request, session) else { return try refusedForm(request, session) }
        let texts = DashboardText.strings(Self.language(request))
        let typed = ["name", "credit_code", "kind", "contact_name", "contact_phone"].reduce(into: [String: String]()) {
            $0[$1] = form[$1] ?? ""
        }
        let kind = CharityKind(rawValue: typed["kind"] ?? "")
        do {
            guard let kind else { throw StoreError.invalid(field: "kind", reason: "choose the legal form") }
            let profile = CharityProfile(
                name: typed["name"] ?? "", kind: kind, contactName: typed["contact_name"],
                contactPhone: typed["contact_phone"])
            let record = try await charities.register(
                profile, creditCode: typed["credit_code"] ?? "", by: session.principal)
            return Self.redirect("/dashboard/admin/charities", notice: "charityRegistered", "#\(record.id)")
        } catch let error as StoreError {
            let (field, status): (String, HTTPResponse.Status) =
                switch error {
                case .invalid(let field, _): (field, .unprocessableContent)
                default: ("credit_code", .conflict)
                }
            return try await adminCharities(
                request, session, typed: typed, registerErrors: [field: Self.refusal(error, texts)], status: status)
        }
    }

    /// `POST /dashboard/admin/charities/{id}/sanction`: the button pressed (`action`) says
    /// which: suspend, ban until the date given, ban for good, or reinstate.
    func sanctionCharity(_ request: Request, _ context: Context, _ session: DashboardSession) async throws -> Response {
        guard let form = try await form(request, session) else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        let texts = DashboardText.strings(Self.language(request))
        let reason = form["reason"] ?? ""
        let back = Self.link(
            "/dashboard/admin/charities",
            [
                ("status", form["status"].flatMap { $0.isEmpty ? nil : $0 }),
                ("offset", form["offset"].flatMap { $0 == "0" ? nil : $0 }),
            ])
        do {
            let record: CharityRecord
            let notice: String
            switch form["action"] {
            case "suspend":
                record = try await charities.suspend(charity: id, by: session.principal, reason: reason)
                notice = "charitySuspended"
            case "ban":
                guard let until = form["until"].flatMap(Self.day) else {
                    throw StoreError.invalid(field: "until", reason: "pick the day the ban ends")
                }
                record = try await charities.ban(charity: id, until: until, by: session.principal, reason: reason)
                notice = "charityBanned"
            case "ban_forever":
                record = try await charities.ban(charity: id, until: nil, by: session.principal, reason: reason)
                notice = "charityBannedForGood"
            case "reinstate":
                record = try await charities.reinstate(charity: id, by: session.principal, reason: reason)
                notice = "charityReinstated"
            default:
                throw StoreError.invalid(field: "action", reason: "press one of the buttons")
            }
            return Self.redirect(back, notice: notice, "#\(record.id)")
        } catch let error as StoreError {
            if case .invalid(let field, let why) = error {
                // "until" is the ban's end here, not the end of a date range as elsewhere.
                let message = Self.fieldMessage(field == "until" ? "ban_until" : field, why, texts)
                return try await adminCharities(
                    request, session, sanctionError: (charity: id, field: field, message: message, reason: reason),
                    status: .unprocessableContent)
            }
            let status: HTTPResponse.Status = if case .notFound = error { .notFound } else { .conflict }
            return try await adminCharities(
                request, session, flash: ["ok": false, "text": Self.refusal(error, texts)], status: status)
        }
    }

    /// Every charity with its standing and the actions its state allows, a page at a time,
    /// and the registration form (with what was typed and the fields refused, if any).
    func adminCharities(
        _ request: Request, _ session: DashboardSession, typed: [String: String] = [:],
        registerErrors: [String: String] = [:],
        sanctionError: (charity: Int64, field: String, message: String, reason: String)? = nil,
        flash: [String: Any]? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let texts = DashboardText.strings(Self.language(request))
        let filter = Self.parameter(request, "status").flatMap(CharityStatus.init(rawValue:))
        let offset = max(0, Int(Self.parameter(request, "offset") ?? "") ?? 0)
        let page = try await charities.allCharities(
            status: filter, offset: offset, limit: 20, by: session.principal)
        let rows = page.items.map { charity -> [String: Any] in
            var row: [String: Any] = [
                "id": String(charity.id), "name": charity.name, "creditCode": charity.creditCode,
                "kind": texts["charityKind." + charity.kind.rawValue] ?? charity.kind.rawValue,
                "status": Self.standingText(charity, texts), "statusClass": charity.status.rawValue,
                "canSuspend": charity.status == .active, "canBan": charity.status != .banned,
                "canReinstate": charity.status != .active,
            ]
            row["statusReason"] = charity.statusReason
            row["errors"] = [String: String]()
            if let sanctionError, sanctionError.charity == charity.id {
                row["errors"] = [sanctionError.field: sanctionError.message]
                row["reason"] = sanctionError.reason
            }
            return row
        }
        let filters = [nil, CharityStatus.active, .suspended, .banned].map { status -> [String: Any] in
            [
                "href": Self.link("/dashboard/admin/charities", [("status", status?.rawValue)]),
                "label": status.map { texts["charity." + $0.rawValue] ?? $0.rawValue } ?? (texts["all"] ?? ""),
                "current": status == filter,
            ]
        }
        let kinds = CharityKind.allCases.map { kind -> [String: Any] in
            [
                "value": kind.rawValue, "label": texts["charityKind." + kind.rawValue] ?? kind.rawValue,
                "selected": typed["kind"] == kind.rawValue,
            ]
        }
        var values: [String: Any] = [
            "csrf": session.csrfToken, "rows": rows, "hasRows": !rows.isEmpty, "filters": filters, "kinds": kinds,
            "typed": typed, "errors": registerErrors, "filterStatus": filter?.rawValue ?? "", "offset": String(offset),
            "today": Self.dayText(Date().addingTimeInterval(86_400)),
            "pager": pager(page, texts) {
                Self.link(
                    "/dashboard/admin/charities",
                    [
                        ("status", filter?.rawValue),
                        ("offset", String($0)),
                    ])
            },
        ]
        values["flash"] = flash
        values["empty"] = texts["adminNoCharities"]
        return render("admin-charities", values, title: texts["adminCharities"] ?? "", request, session, status: status)
    }

    /// "21–40 of 57" with the links to the previous and the next page, for a counted list.
    func pager<Item>(
        _ page: CountedPage<Item>, _ texts: [String: String], link: (Int) -> String
    ) -> [String: Any] {
        var pager: [String: Any] = [
            "summary": Self.filled(
                texts[page.items.isEmpty ? "pager.none" : "pager.range"] ?? "",
                [
                    "from": String(page.offset + 1), "to": String(page.offset + page.items.count),
                    "total": String(page.total),
                ])
        ]
        pager["previous"] = page.previousOffset.map(link)
        pager["next"] = page.nextOffset.map(link)
        return pager
    }

    /// The day of `date` in China time as `yyyy-mm-dd`, the form of a date field.
    static func dayText(_ date: Date) -> String {
        String(timeText(date).prefix(10))
    }
}
