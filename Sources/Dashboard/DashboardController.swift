import Foundation
import Hummingbird
import Matching
import Store

/// The dashboard's pages under `/dashboard`: sign-in with a password or a token, then the pages of the
/// caller's role. Each page reads through the same Store calls and scopes as the API, so a
/// role sees exactly what the API lets it see.
public struct DashboardController<Context: RequestContext>: Sendable {
    static var sessionCookie: String { "cm_session" }
    static var signInCookie: String { "cm_sign_in" }
    static var languageCookie: String { "cm_lang" }
    /// A working day and a half; the token's own expiry ends it sooner.
    static var sessionLifetime: Duration { .seconds(36 * 3600) }

    let sessions: DashboardSessions
    let figures: DashboardFigures
    let needs: NeedRepository
    let offers: OfferRepository
    let households: HouseholdRepository
    let matches: MatchRepository
    let feedback: FeedbackRepository
    let charities: CharityRepository
    let regions: RegionRepository
    let ranking: CandidateRanking
    let categoryNames: [Int64: (code: String, zh: String, en: String)]
    /// Every category in display order: each kind followed by its categories, for the
    /// grouped category choice of the need form.
    let categories: [CategoryRecord]
    let pages: DashboardPages
    let coordination: CoordinatorStores
    /// For the roster upload: the importer and the sealer every import uses.
    let store: Database
    let administration: AdministrationStores

    /// Loads the templates and the category names; fails when either cannot be read. The
    /// store's sealer issues the household references charities see on their matches, the
    /// same as the API's.
    public init(store: Database) async throws {
        sessions = store.sessions
        figures = store.figures
        needs = store.needs
        offers = store.offers
        households = store.households
        matches = store.matches
        feedback = store.feedback
        charities = store.charities
        regions = store.regions
        ranking = store.candidates
        categories = try await store.categories.all()
        categoryNames = Dictionary(
            uniqueKeysWithValues: categories.map { ($0.id, (code: $0.code, zh: $0.nameZh, en: $0.nameEn)) })
        pages = try await DashboardPages.bundled()
        coordination = CoordinatorStores(store: store)
        self.store = store
        administration = AdministrationStores(store: store)
    }

    public func addRoutes(to group: RouterGroup<Context>) {
        group.get(use: home)
        group.get("sign-in", use: signInForm)
        group.post("sign-in", use: signIn)
        group.post("sign-in/new-password", use: replacePassword)
        group.post("sign-out", use: signOut)
        group.get("overview", use: overview)
        group.get("needs", use: needList)
        addHouseholdRoutes(to: group)
        addNeedRoutes(to: group)
        addMatchRoutes(to: group)
        addOfferRoutes(to: group)
        addReviewRoutes(to: group)
        addRunsRoutes(to: group)
        addCharitiesRoutes(to: group)
        addAuditRoutes(to: group)
        addAdminCharityRoutes(to: group)
        addAccountRoutes(to: group)
        addExportRoutes(to: group)
        addFollowUpRoutes(to: group)
        addRegionOfferRoutes(to: group)
        addLedgerRoutes(to: group)
        addInboxRoutes(to: group)
        addReceiptReviewRoutes(to: group)
        addComplaintRoutes(to: group)
        addTakeoverRoutes(to: group)
        addTimeLimitRoutes(to: group)
        addTransferRoutes(to: group)
        addEvaluationRoutes(to: group)
    }

    @Sendable func home(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        return Self.redirect(Self.homePath(session.principal.role))
    }

    /// The sign-in form: login and password, with the token form folded below (open under
    /// `?with=token`).
    @Sendable func signInForm(_ request: Request, context: Context) async throws -> Response {
        try await signInPage(
            request, error: nil, status: .ok, extra: ["tokenTab": request.uri.queryParameters["with"] == "token"])
    }

    @Sendable func signIn(_ request: Request, context: Context) async throws -> Response {
        let form = try await HTMLForm.read(request)
        guard let expected = request.cookies[Self.signInCookie]?.value, form["_csrf"] == expected else {
            return try await signInPage(request, error: "csrfRejected", status: .forbidden)
        }
        guard let token = form["token"]?.trimmingCharacters(in: .whitespacesAndNewlines) else {
            return try await passwordSignIn(request, form)
        }
        guard let (secret, session) = try await sessions.open(token: token, lifetime: Self.sessionLifetime) else {
            return try await signInPage(
                request, error: "tokenRejected", status: .unauthorized, extra: ["tokenTab": true])
        }
        return Self.signedIn(secret: secret, session)
    }

    /// The way into the caller's home with the session's cookie set and the sign-in form's
    /// double-submit cookie gone.
    static func signedIn(secret: String, _ session: DashboardSession) -> Response {
        var response = redirect(homePath(session.principal.role))
        response.setCookie(
            Cookie(
                name: sessionCookie, value: secret, maxAge: Int(sessionLifetime.components.seconds),
                path: "/dashboard", httpOnly: true, sameSite: .strict))
        response.setCookie(expired(signInCookie))
        return response
    }

    @Sendable func signOut(_ request: Request, context: Context) async throws -> Response {
        if let session = try await session(request) {
            guard try await form(request, session) != nil else { return try refusedForm(request, session) }
            if let secret = request.cookies[Self.sessionCookie]?.value { try await sessions.close(secret: secret) }
        }
        var response = Self.redirect("/dashboard/sign-in")
        response.setCookie(Self.expired(Self.sessionCookie))
        return response
    }

    /// The signed-in session of the request, or nil.
    func session(_ request: Request) async throws -> DashboardSession? {
        guard let secret = request.cookies[Self.sessionCookie]?.value else { return nil }
        return try await sessions.session(secret: secret)
    }

    /// The sign-in page (`template`: the form for a password or a token, or the one that
    /// replaces a password an administrator set) with a fresh double-submit token.
    func signInPage(
        _ request: Request, error: String?, status: HTTPResponse.Status, template: String = "sign-in",
        extra: [String: Any] = [:]
    ) async throws -> Response {
        let language = Self.language(request)
        let csrf = DashboardSessions.freshSecret()
        let texts = DashboardText.strings(language)
        var values: [String: Any] = extra
        values["csrf"] = csrf
        values["error"] = error.flatMap { texts[$0] }
        var response = pages.page(
            template, values,
            frame: .init(
                title: texts["signIn"] ?? "", language: language, signedIn: nil, path: request.uri.path,
                otherLanguageLink: Self.otherLanguageLink(request, language), notice: nil),
            status: status)
        response.setCookie(
            Cookie(name: Self.signInCookie, value: csrf, path: "/dashboard", httpOnly: true, sameSite: .strict))
        Self.rememberLanguage(request, in: &response)
        return response
    }

    /// The posted form when it carries the session's CSRF token; nil (refuse, change
    /// nothing) otherwise.
    func form(_ request: Request, _ session: DashboardSession) async throws -> HTMLForm? {
        let form = try await HTMLForm.read(request)
        return form["_csrf"] == session.csrfToken ? form : nil
    }

    /// A form without the session's CSRF token is refused, and nothing happens.
    func refusedForm(_ request: Request, _ session: DashboardSession) throws -> Response {
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        return pages.page(
            "table", ["hasRows": false, "empty": texts["csrfRejected"] ?? ""],
            frame: frame(texts["csrfRejected"] ?? "", request, session), status: .forbidden)
    }

    /// The frame of a signed-in page: navigation for the role, its scope, the CSRF token.
    func frame(_ title: String, _ request: Request, _ session: DashboardSession) -> DashboardPages.Frame {
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let role = session.principal.role
        let entries = role == .admin ? Self.adminNavigation : Self.navigation
        let nav = entries.filter { session.principal.may($0.action) }.map {
            ($0.path, texts[$0.label] ?? $0.label)
        }
        return DashboardPages.Frame(
            title: title, language: language,
            signedIn: .init(
                personName: session.personName, roleLabel: texts["role." + role.rawValue] ?? role.rawValue,
                placeName: session.placeName, csrf: session.csrfToken, nav: nav.map { (href: $0.0, label: $0.1) },
                unread: session.unreadMessages),
            path: request.uri.path, otherLanguageLink: Self.otherLanguageLink(request, language),
            notice: DashboardNotice.text(request, texts))
    }

    /// The same page in the other language: the query kept, only `lang` replaced.
    static func otherLanguageLink(_ request: Request, _ language: DashboardLanguage) -> String {
        let other: DashboardLanguage = language == .chinese ? .english : .chinese
        let kept = (request.uri.query ?? "").split(separator: "&").filter {
            !$0.hasPrefix("lang=") && $0 != "lang"
        }
        return "?" + (kept + ["lang=" + other.rawValue]).joined(separator: "&")
    }

    /// The pages in the navigation bar, each shown to whoever the access policy lets do
    /// its work (the pages check again).
    static var navigation: [(path: String, label: String, action: Action)] {
        [
            ("/dashboard/overview", "overview", .approveMatch),
            ("/dashboard/households", "households", .readHouseholds),
            ("/dashboard/needs", "needs", .readNeeds),
            ("/dashboard/needs/new", "newNeed", .recordNeed),
            ("/dashboard/matches", "myMatches", .acceptMatch),
            ("/dashboard/transfers", "transfers", .decideTransfer),
            ("/dashboard/offers", "offers", .postOffer),
            ("/dashboard/review", "review", .approveMatch),
            ("/dashboard/runs", "runs", .approveMatch),
            ("/dashboard/follow-up", "followUp", .approveMatch),
            ("/dashboard/complaints", "complaints", .handleComplaint),
            ("/dashboard/takeovers", "takeovers", .runTakeover),
            ("/dashboard/region-offers", "regionOffers", .approveMatch),
            ("/dashboard/charities", "charities", .suspendCharity),
            ("/dashboard/audit", "audit", .approveMatch),
        ]
    }

    static func homePath(_ role: UserRole) -> String {
        switch role {
        case .admin, .coordinator: "/dashboard/overview"
        case .caseworker: "/dashboard/needs"
        case .charity: "/dashboard/matches"
        }
    }

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
    }

    /// A redirect after an action, whose next page confirms it with the `notice.<notice>`
    /// text (`{0}` in it replaced by `argument`, such as `#12`).
    static func redirect(_ location: String, notice: String, _ argument: String? = nil) -> Response {
        var response = redirect(location)
        response.setCookie(DashboardNotice.carrying(notice, argument: argument))
        return response
    }

    static func expired(_ name: String) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/dashboard", httpOnly: true, sameSite: .strict)
    }

    /// `?lang=` first, then the remembered choice, then the browser's languages; zh-CN by default.
    static func language(_ request: Request) -> DashboardLanguage {
        let explicit = request.uri.queryParameters["lang"].map(String.init) ?? request.cookies[languageCookie]?.value
        return DashboardLanguage.negotiate(explicit: explicit, acceptLanguage: request.headers[.acceptLanguage])
    }

    static func rememberLanguage(_ request: Request, in response: inout Response) {
        guard let chosen = request.uri.queryParameters["lang"].flatMap({ DashboardLanguage(rawValue: String($0)) })
        else { return }
        response.setCookie(
            Cookie(name: languageCookie, value: chosen.rawValue, path: "/dashboard", httpOnly: true, sameSite: .strict))
    }
}

extension DashboardSession {
    /// The region the signed-in person's pages are confined to (nil for an admin), as the
    /// API confines the same person's requests.
    var regionLimit: RegionScope? { principal.regionLimit }
}
