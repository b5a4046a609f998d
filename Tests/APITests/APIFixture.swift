import Foundation
import Hummingbird
import HummingbirdTesting
import Matching
import Postgres
import Store
import TestSupport
import Testing

@testable import API

/// Who makes a request in a test.
enum Caller: String, CaseIterable, Sendable {
    case admin, coordinator, caseworker, otherCaseworker, charity, otherCharity, anonymous

    /// The account's login (lower case, as logins must be).
    var login: String { rawValue.replacingOccurrences(of: "other", with: "other-").lowercased() }
}

/// A migrated database with two seeded counties (320508 is ours, 320509 is "elsewhere"),
/// a user and token per ``Caller``, and the API built over it.
struct APIFixture: Sendable {
    static let county = "320508"
    static let otherCounty = "320509"
    static let asOf = Date(timeIntervalSince1970: 1_795_651_200)  // 2026-11-26 00:00 UTC

    let client: PostgresClient
    let services: APIServices
    let tokens: [Caller: String]
    /// The charity whose staff ``Caller/charity`` is, and the other one.
    let charity: Int64
    let otherCharity: Int64
    /// Every household head's name, for the privacy scan of charity and public answers.
    let householdNames: Set<String>

    /// Runs `body` with a fresh fixture; everything is dropped afterwards.
    static func with(
        _ label: String, rateLimit: APIServices.RateLimit = .init(perSecond: 0, burst: 0),
        _ body: @Sendable (APIFixture) async throws -> Void
    ) async throws {
        try await TestDatabase.with(label: label) { database in
            try await database.withClient(options: .init(maxConnections: 8)) { client in
                _ = try await Migrator(client: client, logger: TestDatabase.logger)
                    .migrate(try Migration.load(from: RepositoryLayout.migrations))
                let sealer = try IDNumberSealer(pepper: "api-tests-pepper-0123456789")
                for (code, seed, households) in [(county, UInt64(7), 400), (otherCounty, UInt64(8), 150)] {
                    guard let region = RegionCode(code + "000000") else { preconditionFailure("a county code") }
                    _ = try await CountySeed(client: client, sealer: sealer).run(
                        .init(
                            households: households, charities: 6, offers: households / 6, seed: seed, county: region,
                            asOf: asOf))
                }
                let fixture = try await make(client: client, sealer: sealer, rateLimit: rateLimit)
                try await body(fixture)
            }
        }
    }

    private static func make(
        client: PostgresClient, sealer: IDNumberSealer, rateLimit: APIServices.RateLimit
    ) async throws -> APIFixture {
        let charities = try await client.query(
            """
            SELECT ch.id FROM charities ch
             WHERE ch.status = 'active' AND EXISTS (SELECT 1 FROM offers o WHERE o.charity_id = ch.id)
             ORDER BY ch.id LIMIT 2
            """
        ).map { try $0.decode(Int64.self, "id") }
        let township = try await client.query(
            "SELECT min(code) AS code FROM regions WHERE level = 4 AND code LIKE $1 || '%'", [county]
        )[0].decode(String.self, "code")
        let users = UserRepository(client: client)
        let issuer = TokenRepository(client: client)
        var tokens: [Caller: String] = [:]
        let scopes: [(Caller, UserRole, String?, Int64?)] = [
            (.admin, .admin, nil, nil), (.coordinator, .coordinator, county + "000000", nil),
            (.caseworker, .caseworker, township, nil), (.otherCaseworker, .caseworker, otherCounty + "000000", nil),
            (.charity, .charity, nil, charities[0]), (.otherCharity, .charity, nil, charities[1]),
        ]
        for (caller, role, region, charity) in scopes {
            let user = try await users.create(
                login: caller.login, name: "Test \(caller.rawValue)", role: role, regionCode: region,
                charityID: charity, by: .system)
            tokens[caller] = try await issuer.issueToken(for: user.id, label: nil, expiresAt: nil, by: .system)
                .plaintext
        }
        let services = try await APIServices(
            store: Database(client: client, sealer: sealer), rateLimit: rateLimit)
        let names = try await client.query("SELECT DISTINCT contact_name FROM households WHERE contact_name <> ''")
            .map { try $0.decode(String.self, "contact_name") }
        return APIFixture(
            client: client, services: services, tokens: tokens, charity: charities[0], otherCharity: charities[1],
            householdNames: Set(names))
    }

    /// Runs `body` against the API in memory.
    @discardableResult
    func test<T: Sendable>(_ body: @escaping @Sendable (APIDriver) async throws -> T) async throws -> T {
        let application = Application(router: buildRouter(services: services, logger: TestDatabase.logger))
        return try await application.test(.router) { client in
            try await body(APIDriver(client: client, fixture: self))
        }
    }

    /// What an answer reveals that a charity or the public must never see: any 18-character
    /// run that is a valid 公民身份号码, and any household head's name.
    func privacyLeaks(in text: String) -> [String] {
        var leaks: [String] = []
        let characters = Array(text)
        if characters.count >= 18 {
            for start in 0...(characters.count - 18) {
                let candidate = String(characters[start..<(start + 18)])
                if candidate.first?.isNumber == true, (try? ResidentIDNumber(candidate, today: 20_261_126)) != nil {
                    leaks.append("an ID number at offset \(start)")
                }
            }
        }
        for name in householdNames where text.contains(name) {
            leaks.append("a household name (\(name.count) characters)")
        }
        return leaks
    }

    /// One value from the database, for assertions that count rows themselves.
    func scalar<T: PostgresDecodable>(
        _ type: T.Type, _ sql: String, _ parameters: [any PostgresEncodable] = []
    ) async throws -> T {
        try await client.query(sql, parameters)[0].decode(T.self, at: 0)
    }
}
