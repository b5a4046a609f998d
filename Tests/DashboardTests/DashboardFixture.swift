import API
import Dashboard
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Matching
import Postgres
import Store
import TestSupport

/// A seeded county with a matching run, some approved, delivered and rated matches, a
/// token per role, and the dashboard mounted as `serve` mounts it.
struct DashboardFixture: Sendable {
    enum Role: String, CaseIterable, Sendable { case coordinator, caseworker, charity, otherCharity }

    let client: PostgresClient
    let tokens: [Role: String]
    let charity: Int64
    let otherCharity: Int64
    let township: String
    /// The pepper the county was seeded with, so household references match the API's.
    let sealer: IDNumberSealer

    static func with(_ label: String, _ body: @Sendable (DashboardFixture) async throws -> Void) async throws {
        try await TestDatabase.with(label: label) { database in
            try await database.withClient(options: .init(maxConnections: 8)) { client in
                _ = try await Migrator(client: client, logger: TestDatabase.logger)
                    .migrate(try Migration.load(from: RepositoryLayout.migrations))
                guard let county = RegionCode("320508000000") else { preconditionFailure("a county code") }
                let sealer = try IDNumberSealer(pepper: "dashboard-tests-pepper-0123456789")
                _ = try await CountySeed(client: client, sealer: sealer).run(
                    .init(
                        households: 600, charities: 8, offers: 100, seed: 11, county: county,
                        asOf: Date(timeIntervalSince1970: 1_795_651_200)))
                _ = try await MatchingRuns(client: client).run(MatchingRunRequest(region: county))
                try await body(try await make(client, sealer: sealer))
            }
        }
    }

    private static func make(_ client: PostgresClient, sealer: IDNumberSealer) async throws -> DashboardFixture {
        let charities = try await client.query(
            """
            SELECT o.charity_id AS id FROM matches m JOIN offers o ON o.id = m.offer_id
             GROUP BY o.charity_id ORDER BY count(*) DESC, o.charity_id LIMIT 2
            """
        ).map { try $0.decode(Int64.self, "id") }
        let township = try await client.query(
            "SELECT min(code) AS code FROM regions WHERE level = 4 AND code LIKE '320508%'")[0]
            .decode(String.self, "code")
        let matches = MatchRepository(client: client)
        let proposed = try await client.query(
            "SELECT m.id FROM matches m JOIN offers o ON o.id = m.offer_id WHERE o.charity_id = $1 ORDER BY m.id LIMIT 20",
            [charities[0]]
        ).map { try $0.decode(Int64.self, "id") }
        var approved: [Int64] = []
        for match in proposed where approved.count < 4 {
            guard (try? await matches.approve(match: match, by: .system)) != nil else { continue }
            approved.append(match)
        }
        for (index, match) in approved.prefix(3).enumerated() {
            _ = try await matches.apply(.accept, to: match, by: .system)
            _ = try await matches.apply(.deliver, to: match, by: .system)
            try await matches.recordFeedback(match: match, satisfaction: 5 - index, comment: nil, by: .system)
        }
        let users = UserRepository(client: client)
        let issuer = TokenRepository(client: client)
        var tokens: [Role: String] = [:]
        let scopes: [(Role, UserRole, String?, Int64?)] = [
            (.coordinator, .coordinator, "320508000000", nil), (.caseworker, .caseworker, township, nil),
            (.charity, .charity, nil, charities[0]), (.otherCharity, .charity, nil, charities[1]),
        ]
        for (role, userRole, region, charity) in scopes {
            let user = try await users.create(
                login: "dash-" + role.rawValue.lowercased(), name: "Dashboard \(role.rawValue)", role: userRole,
                regionCode: region, charityID: charity, by: .system)
            tokens[role] = try await issuer.issueToken(for: user.id, label: nil, expiresAt: nil, by: .system).plaintext
        }
        return DashboardFixture(
            client: client, tokens: tokens, charity: charities[0], otherCharity: charities[1], township: township,
            sealer: sealer)
    }

    /// Runs `body` against the dashboard in memory.
    func test<T: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        let router = Router(context: BasicRequestContext.self)
        try await DashboardController<BasicRequestContext>(store: Database(client: client, sealer: sealer)).addRoutes(
            to: router.group("dashboard"))
        return try await Application(router: router).test(.router, body)
    }

    func scalar<T: PostgresDecodable>(
        _ type: T.Type, _ sql: String, _ parameters: [any PostgresEncodable] = []
    )
        async throws -> T
    {
        try await client.query(sql, parameters)[0].decode(T.self, at: 0)
    }
}

/// Signing in as a test user would in a browser: fetch the form, post the token with the
/// form's CSRF token and cookie, keep the session cookie.
struct Browser: Sendable {
    let client: any TestClientProtocol
    var cookies: [String: String] = [:]

    var cookieHeader: HTTPFields {
        cookies.isEmpty ? [:] : [.cookie: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }

    mutating func get(_ path: String) async throws -> (status: HTTPResponse.Status, html: String, headers: HTTPFields) {
        let response = try await client.execute(uri: path, method: .get, headers: cookieHeader, body: nil)
        keepCookies(response.headers)
        return (response.status, String(buffer: response.body), response.headers)
    }

    mutating func post(
        _ path: String, form: [String: String]
    ) async throws -> (
        status: HTTPResponse.Status, html: String, headers: HTTPFields
    ) {
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = form.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)"
        }.joined(separator: "&")
        let response = try await client.execute(
            uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
        keepCookies(response.headers)
        return (response.status, String(buffer: response.body), response.headers)
    }

    /// Signs in with `token`, as the form does.
    mutating func signIn(_ token: String) async throws -> HTTPResponse.Status {
        let form = try await get("/dashboard/sign-in")
        return try await post("/dashboard/sign-in", form: ["token": token, "_csrf": Self.csrf(in: form.html)]).status
    }

    /// The value of the first `_csrf` hidden field of a page.
    static func csrf(in html: String) -> String {
        guard let start = html.range(of: "name=\"_csrf\" value=\"") else { return "" }
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    private mutating func keepCookies(_ headers: HTTPFields) {
        for field in headers[values: .setCookie] {
            let pair = field.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let name = String(parts[0]).trimmingCharacters(in: .whitespaces)
            if parts[1].isEmpty { cookies[name] = nil } else { cookies[name] = String(parts[1]) }
        }
    }
}
