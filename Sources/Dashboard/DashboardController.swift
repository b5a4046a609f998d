import Foundation
import Hummingbird
import Matching
import Store

/// The dashboard's pages under `/dashboard`: sign-in with a token, then the pages of the
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
    }

    public func addRoutes(to group: RouterGroup<Context>) {
        group.get(use: home)
        group.get("sign-in", use: signInForm)
        group.post("sign-in", use: signIn)
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
        addExportRoutes(to: group)
        addFollowUpRoutes(to: group)
        addRegionOfferRoutes(to: group)
        addLedgerRoutes(to: group)
    }

    @Sendable func home(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        return Self.redirect(Self.homePath(session.principal.role))
    }

    @Sendable func signInForm(_ request: Request, context: Context) async throws -> Response {
        try await signInPage(request, error: nil, status: .ok)
    }

    @Sendable func signIn(_ request: Request, context: Context) async throws -> Response {
        let form = try await HTMLForm.read(request)
        guard let expected = request.cookies[Self.signInCookie]?.value, form["_csrf"] == expected else {
            return try await signInPage(request, error: "csrfRejected", status: .forbidden)
        }
        let token = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let (secret, session) = try await sessions.open(token: token, lifetime: Self.sessionLifetime) else {
            return try await signInPage(request, error: "tokenRejected", status: .unauthorized)
        }
        var response = Self.redirect(Self.homePath(session.principal.role))
        response.setCookie(
            Cookie(
                name: Self.sessionCookie, value: secret, maxAge: Int(Self.sessionLifetime.components.seconds),
                path: "/dashboard", httpOnly: true, sameSite: .strict))
        response.setCookie(Self.expired(Self.signInCookie))
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

    private func signInPage(_ request: Request, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let language = Self.language(request)
        let csrf = DashboardSessions.freshSecret()
        let texts = DashboardText.strings(language)
        var values: [String: Any] = ["csrf": csrf]
        values["error"] = error.flatMap { texts[$0] }
        var response = pages.page(
            "sign-in", values,
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
        let nav = Self.navigation.filter { session.principal.may($0.action) }.map {
            ($0.path, texts[$0.label] ?? $0.label)
        }
        return DashboardPages.Frame(
            title: title, language: language,
            signedIn: .init(
                personName: session.personName, roleLabel: texts["role." + role.rawValue] ?? role.rawValue,
                placeName: session.placeName, csrf: session.csrfToken, nav: nav.map { (href: $0.0, label: $0.1) }),
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
            ("/dashboard/offers", "offers", .postOffer),
            ("/dashboard/review", "review", .approveMatch),
            ("/dashboard/runs", "runs", .approveMatch),
            ("/dashboard/follow-up", "followUp", .approveMatch),
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
