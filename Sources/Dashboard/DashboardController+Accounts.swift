import Foundation
import HTTPTypes
import Hummingbird
import Store

/// The administrator's accounts: list them, create one (role, region or charity, name,
/// login, initial password), and on an account's page set or reset its password, disable
/// it, issue a token (shown once) and revoke one.
extension DashboardController {
    func addAccountRoutes(to group: RouterGroup<Context>) {
        group.get("admin/accounts", use: adminPage(.manageAccounts) { [self] in try await accounts($0, $2) })
        group.post("admin/accounts", use: adminPage(.manageAccounts) { [self] in try await createAccount($0, $2) })
        group.get("admin/accounts/{id}", use: adminPage(.manageAccounts) { [self] in try await account($0, $1, $2) })
        group.post(
            "admin/accounts/{id}/password",
            use: adminPage(.manageAccounts) { [self] in try await setPassword($0, $1, $2) })
        group.post(
            "admin/accounts/{id}/disable",
            use: adminPage(.manageAccounts) { [self] in try await disableAccount($0, $1, $2) })
        addTokenRoutes(to: group)
    }

    /// `POST /dashboard/admin/accounts`: creates the account the form describes.
    func createAccount(_ request: Request, _ session: DashboardSession) async throws -> Response {
        guard let form = try await form(request, session) else { return try refusedForm(request, session) }
        let texts = DashboardText.strings(Self.language(request))
        var typed = ["role", "login", "name", "region_code", "charity_id"].reduce(into: [String: String]()) {
            $0[$1] = (form[$1] ?? "").trimmingCharacters(in: .whitespaces)
        }
        typed["must_change"] = form["must_change"] == nil ? "" : "on"
        do {
            guard let role = UserRole(rawValue: typed["role"] ?? "") else {
                throw StoreError.invalid(field: "role", reason: "choose a role")
            }
            // The scope the role does not use is left out, whatever the other list still shows.
            let region = role == .coordinator || role == .caseworker ? typed["region_code"].flatMap(Self.nonEmpty) : nil
            var charity: Int64?
            if role == .charity, let text = typed["charity_id"].flatMap(Self.nonEmpty) {
                guard let id = Int64(text) else { throw StoreError.invalid(field: "charity_id", reason: "unknown") }
                charity = id
            }
            let record = try await administration.users.create(
                login: typed["login"] ?? "", name: typed["name"] ?? "", role: role, regionCode: region,
                charityID: charity, password: form["password"].flatMap(Self.nonEmpty),
                mustChangePassword: form["must_change"] != nil, by: session.principal)
            return Self.redirect("/dashboard/admin/accounts/\(record.id)", notice: "accountCreated", "#\(record.id)")
        } catch let error as StoreError {
            let (field, status): (String, HTTPResponse.Status) =
                switch error {
                case .invalid(let field, _): (field, .unprocessableContent)
                default: ("login", .conflict)
                }
            return try await accounts(
                request, session, typed: typed, errors: [field: Self.refusal(error, texts)], status: status)
        }
    }

    /// Accounts by login, optionally of one role, a page at a time, and the form that
    /// creates one (with what was typed and the field refused, if any).
    func accounts(
        _ request: Request, _ session: DashboardSession, typed: [String: String] = ["must_change": "on"],
        errors: [String: String] = [:], status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let texts = DashboardText.strings(Self.language(request))
        let role = Self.parameter(request, "role").flatMap(UserRole.init(rawValue:))
        let offset = max(0, Int(Self.parameter(request, "offset") ?? "") ?? 0)
        let page = try await administration.users.accounts(
            role: role, offset: offset, limit: 25, by: session.principal)
        let scopes = try await scopeNames(page.items)
        let rows = page.items.map { user -> [String: Any] in
            [
                "id": String(user.id), "login": user.login, "name": user.name,
                "role": texts["role." + user.role.rawValue] ?? user.role.rawValue,
                "scope": scopes[user.id] ?? "–", "state": Self.accountState(user, texts),
                "href": "/dashboard/admin/accounts/\(user.id)",
            ]
        }
        let filters = [nil] + UserRole.allCases.map { Optional($0) }
        let offices = try await administration.regions.offices()
        let activeCharities = try await charities.allCharities(status: .active, limit: 200, by: session.principal)
        let values: [String: Any] = [
            "csrf": session.csrfToken, "rows": rows, "hasRows": !rows.isEmpty, "typed": typed, "errors": errors,
            "hasErrors": !errors.isEmpty,
            "filters": filters.map { choice -> [String: Any] in
                [
                    "href": Self.link("/dashboard/admin/accounts", [("role", choice?.rawValue)]),
                    "label": choice.map { texts["role." + $0.rawValue] ?? $0.rawValue } ?? (texts["all"] ?? ""),
                    "current": choice == role,
                ]
            },
            "roles": UserRole.allCases.map { choice -> [String: Any] in
                [
                    "value": choice.rawValue, "label": texts["role." + choice.rawValue] ?? choice.rawValue,
                    "selected": typed["role"] == choice.rawValue,
                ]
            },
            "offices": offices.map { office -> [String: Any] in
                ["code": office.code, "name": office.name, "selected": typed["region_code"] == office.code]
            },
            "charities": activeCharities.items.map { charity -> [String: Any] in
                ["id": String(charity.id), "name": charity.name, "selected": typed["charity_id"] == String(charity.id)]
            },
            "mustChange": typed["must_change"] == "on", "empty": texts["noAccounts"] ?? "",
            "pager": pager(page, texts) {
                Self.link("/dashboard/admin/accounts", [("role", role?.rawValue), ("offset", String($0))])
            },
        ]
        return render("admin-accounts", values, title: texts["accounts"] ?? "", request, session, status: status)
    }

    /// `POST /dashboard/admin/accounts/{id}/password`: sets or resets the password.
    func setPassword(_ request: Request, _ context: Context, _ session: DashboardSession) async throws -> Response {
        guard let form = try await form(request, session) else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        do {
            let record = try await administration.users.setPassword(
                user: id, to: form["password"] ?? "", mustChange: form["must_change"] != nil, by: session.principal)
            return Self.redirect("/dashboard/admin/accounts/\(id)", notice: "passwordSet", "#\(record.id)")
        } catch let error as StoreError {
            return try await accountRefused(error, request, context, session)
        }
    }

    /// `POST /dashboard/admin/accounts/{id}/disable`: the account stops signing in and its
    /// tokens stop working.
    func disableAccount(_ request: Request, _ context: Context, _ session: DashboardSession) async throws -> Response {
        guard try await form(request, session) != nil else { return try refusedForm(request, session) }
        guard let id = Self.pathID(context) else { return notFound(request, session) }
        do {
            let record = try await administration.users.disable(user: id, by: session.principal)
            return Self.redirect("/dashboard/admin/accounts/\(id)", notice: "accountDisabled", "#\(record.id)")
        } catch let error as StoreError {
            return try await accountRefused(error, request, context, session)
        }
    }

    /// The account's page again with the Store's refusal: by the field it names (422), or
    /// as a notice (409, 404).
    func accountRefused(
        _ error: StoreError, _ request: Request, _ context: Context, _ session: DashboardSession
    ) async throws -> Response {
        let texts = DashboardText.strings(Self.language(request))
        let message = Self.refusal(error, texts)
        switch error {
        case .invalid(let field, _):
            return try await account(request, context, session, errors: [field: message], status: .unprocessableContent)
        case .notFound:
            return notFound(request, session)
        default:
            return try await account(
                request, context, session, flash: ["ok": false, "text": message], status: .conflict)
        }
    }

    /// The account, what it may do and where, its tokens, and the forms that act on it.
    func account(
        _ request: Request, _ context: Context, _ session: DashboardSession, errors: [String: String] = [:],
        flash: [String: Any]? = nil, issued: IssuedToken? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let id = Self.pathID(context), let user = try await administration.users.user(id: id) else {
            return notFound(request, session)
        }
        let texts = DashboardText.strings(Self.language(request))
        let tokens = try await administration.tokens.tokens(of: id, by: session.principal)
        let scope = try await scopeNames([user])[user.id] ?? "–"
        var values: [String: Any] = [
            "csrf": session.csrfToken, "id": String(user.id), "accountID": String(user.id), "login": user.login,
            "name": user.name,
            "role": texts["role." + user.role.rawValue] ?? user.role.rawValue,
            "scope": scope, "state": Self.accountState(user, texts),
            "created": Self.timeText(user.createdAt), "enabled": user.disabledAt == nil,
            "canDisable": user.disabledAt == nil && user.id != session.principal.userID, "errors": errors,
            "tokens": tokens.map { token in tokenRow(token, texts) }, "hasTokens": !tokens.isEmpty,
        ]
        values["flash"] = flash
        if let issued {
            values["issued"] = ["id": String(issued.record.id), "text": issued.plaintext]
        }
        return render("admin-account", values, title: user.name, request, session, status: status)
    }

    /// The region's or the charity's name each account works for, by account.
    private func scopeNames(_ users: [UserRecord]) async throws -> [Int64: String] {
        let regionNames = try await regions.names(of: Set(users.compactMap(\.regionCode)))
        var names: [Int64: String] = [:]
        for user in users {
            if let code = user.regionCode {
                names[user.id] = regionNames[code] ?? code
            } else if let charity = user.charityID {
                names[user.id] = try await charities.charity(id: charity)?.name ?? String(charity)
            }
        }
        return names
    }

    /// Where the account stands: disabled, locked after wrong passwords, waiting for its
    /// holder to choose a password, without one (tokens only), or in use.
    static func accountState(_ user: UserRecord, _ texts: [String: String]) -> String {
        if user.disabledAt != nil { return texts["account.disabled"] ?? "" }
        if let locked = user.lockedUntil, locked > Date() {
            return filled(texts["account.locked"] ?? "", ["until": timeText(locked)])
        }
        if !user.hasPassword { return texts["account.noPassword"] ?? "" }
        if user.mustChangePassword { return texts["account.mustChange"] ?? "" }
        return texts["account.active"] ?? ""
    }

    static func nonEmpty(_ text: String) -> String? {
        text.isEmpty ? nil : text
    }
}
