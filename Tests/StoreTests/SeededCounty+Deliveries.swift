import Foundation
import Matching
import Postgres

@testable import Store

/// A delivered match and the people around it, for the receipt and complaint suites.
struct DeliveredMatch {
    var match: Int64
    var charity: Principal
    /// The household's region (12 digits).
    var region: String
    /// A caseworker of the household's township.
    var caseworker: Principal
    /// A coordinator of the household's county.
    var coordinator: Principal
}

extension SeededCounty {
    /// A principal for a fresh account of `role`: staff get `region`'s scope, charity staff `charity`.
    static func person(
        _ login: String, _ role: UserRole, region: String? = nil, charity: Int64? = nil, _ client: PostgresClient
    ) async throws -> Principal {
        let user = try await UserRepository(client: client).create(
            login: login, name: login, role: role, regionCode: region, charityID: charity, by: .system)
        return Principal(
            userID: user.id, tokenID: nil, role: role, regionScope: region.flatMap(RegionCode.init)?.scope,
            charityID: charity)
    }

    /// A township of the county other than the one `region` lies in.
    static func otherTownship(than region: String, _ client: PostgresClient) async throws -> String {
        try await client.query(
            "SELECT min(code) AS code FROM regions WHERE level = 4 AND NOT starts_with(code, left($1, 9))", [region]
        )[0].decode(String.self, "code")
    }

    /// A match on a fresh offer, delivered today by its charity with a receipt number;
    /// `label` keeps the logins of several calls apart.
    static func deliveredMatch(_ label: String, _ client: PostgresClient) async throws -> DeliveredMatch {
        let (offer, matches) = try await offerWithProposals(capacity: 5, count: 1, client: client)
        let repository = MatchRepository(client: client)
        let match = matches[0]
        _ = try await repository.approve(match: match, by: .system)
        _ = try await repository.apply(.accept, to: match, by: .system)
        let row = try await client.query(
            """
            SELECT o.charity_id, h.region_code, (now() AT TIME ZONE 'Asia/Shanghai')::date::text AS today
              FROM matches m JOIN offers o ON o.id = m.offer_id JOIN needs n ON n.id = m.need_id
              JOIN households h ON h.id = n.household_id
             WHERE m.id = $1 AND o.id = $2
            """, [match, offer])[0]
        let charityID = try row.decode(Int64.self, "charity_id")
        let region = try row.decode(String.self, "region_code")
        let charity = try await person("ch-\(label)", .charity, charity: charityID, client)
        _ = try await repository.apply(
            .deliver, to: match, by: charity,
            delivery: DeliveryReport(units: 1, deliveredOn: try row.decode(String.self, "today"), receiptCode: "R-1"))
        return DeliveredMatch(
            match: match, charity: charity, region: region,
            caseworker: try await person("cw-\(label)", .caseworker, region: String(region.prefix(9)) + "000", client),
            coordinator: try await person("co-\(label)", .coordinator, region: county.digits, client))
    }
}
