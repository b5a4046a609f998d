import Foundation
import Logging
import Matching
import Postgres

@testable import Store

/// Objects near the test callers (in the caseworker's township of 320508, on the charity's
/// offers) and far from them (in 320509, on another county's charity), with who reaches each.
struct MatrixTargets: Sendable {
    var charities: [AuthorizationMatrixTests.Target]
    var offers: [AuthorizationMatrixTests.Target]
    var households: [AuthorizationMatrixTests.Target]
    var needs: [AuthorizationMatrixTests.Target]
    var runs: [AuthorizationMatrixTests.Target]
    var matches: [AuthorizationMatrixTests.Target]
    var transfers: [AuthorizationMatrixTests.Target]

    /// The near objects: the caseworker's household and need, and a match of it on the
    /// charity's offer.
    var nearHousehold: Int64 { households[0].id }
    var nearNeed: Int64 { needs[0].id }
    var ourOffer: Int64 { offers[0].id }
    var ourMatch: Int64 { matches[0].id }

    func of(_ kind: AuthorizationMatrixTests.Kind) -> [AuthorizationMatrixTests.Target] {
        switch kind {
        case .charity: charities
        case .offer: offers
        case .household: households
        case .need: needs
        case .run: runs
        case .match: matches
        case .transfer: transfers
        }
    }

    static func make(_ fixture: APIFixture) async throws -> MatrixTargets {
        typealias Target = AuthorizationMatrixTests.Target
        let client = fixture.client
        let township = try await fixture.scalar(String.self, "SELECT region_code FROM users WHERE login = 'caseworker'")
        let local: Set<Caller> = [.coordinator, .caseworker]
        let far: Set<Caller> = [.otherCaseworker]
        let everyone: Set<Caller> = [.coordinator, .caseworker, .otherCaseworker]

        func offer(of charity: Int64) async throws -> Int64 {
            try await fixture.scalar(
                Int64.self,
                """
                SELECT min(id) FROM offers WHERE charity_id = $1 AND status = 'open'
                   AND service_region_prefixes && ARRAY['320508', $2::text]
                """, [charity, String(township.prefix(9))])
        }
        let ourOffer = try await offer(of: fixture.charity)
        let theirOffer = try await offer(of: fixture.otherCharity)
        let farOffer = try await fixture.scalar(
            Int64.self,
            """
            SELECT min(id) FROM offers WHERE status = 'open' AND cardinality(service_region_prefixes) > 0
               AND NOT EXISTS (SELECT 1 FROM unnest(service_region_prefixes) p WHERE p NOT LIKE '320509%')
            """)
        let farCharity = try await fixture.scalar(Int64.self, "SELECT charity_id FROM offers WHERE id = $1", [farOffer])

        func need(in prefix: String, skipping: Int64 = 0) async throws -> (need: Int64, household: Int64) {
            let row = try await client.query(
                """
                SELECT n.id, n.household_id FROM needs n JOIN households h ON h.id = n.household_id
                 WHERE n.status = 'open' AND h.region_code LIKE $1 || '%' AND h.consent_given_at IS NOT NULL
                   AND n.id <> $2 AND h.consent_withdrawn_at IS NULL
                 ORDER BY n.id LIMIT 1
                """, [prefix, skipping])[0]
            return (try row.decode(Int64.self, "id"), try row.decode(Int64.self, "household_id"))
        }
        let near = try await need(in: String(township.prefix(9)))
        let nearToo = try await need(in: String(township.prefix(9)), skipping: near.need)
        let distant = try await need(in: "320509")
        let matches = MatchRepository(client: client)
        let ours = try await matches.insertUncheckedProposal(need: near.need, offer: ourOffer, units: 1, by: .system)
        let theirs = try await matches.insertUncheckedProposal(
            need: nearToo.need, offer: theirOffer, units: 1, by: .system)
        let farMatch = try await matches.insertUncheckedProposal(
            need: distant.need, offer: farOffer, units: 1, by: .system)
        let runs = MatchingRuns(client: client)
        func run(_ code: String) async throws -> Int64 {
            guard let region = RegionCode(code) else { preconditionFailure("a region code") }
            let (report, _) = try await runs.run(MatchingRunRequest(region: region, now: APIFixture.asOf))
            guard let id = report.runID else { preconditionFailure("a stored run has an id") }
            return id
        }
        let nearRun = try await run(township)
        let farRun = try await run("320509000000")
        let transfers = try await Self.transfers(
            fixture, township: township, busy: [near.household, nearToo.household, distant.household])
        return MatrixTargets(
            charities: [
                Target(label: "our charity", id: fixture.charity, reachedBy: everyone.union([.charity])),
                Target(label: "their charity", id: fixture.otherCharity, reachedBy: everyone.union([.otherCharity])),
                Target(label: "a far charity", id: farCharity, reachedBy: everyone),
            ],
            offers: [
                Target(label: "our offer", id: ourOffer, reachedBy: local.union([.charity])),
                Target(label: "their offer", id: theirOffer, reachedBy: local.union([.otherCharity])),
                Target(label: "a far offer", id: farOffer, reachedBy: far),
            ],
            households: [
                Target(label: "a near household", id: near.household, reachedBy: local),
                Target(label: "a far household", id: distant.household, reachedBy: far),
            ],
            needs: [
                Target(label: "a near need", id: near.need, reachedBy: local),
                Target(label: "a far need", id: distant.need, reachedBy: far),
            ],
            runs: [
                Target(label: "a near run", id: nearRun, reachedBy: local),
                Target(label: "a far run", id: farRun, reachedBy: far),
            ],
            matches: [
                Target(label: "our match", id: ours.id, reachedBy: local.union([.charity])),
                Target(label: "their match", id: theirs.id, reachedBy: local.union([.otherCharity])),
                Target(label: "a far match", id: farMatch.id, reachedBy: far),
            ],
            transfers: transfers)
    }

    /// A household of 320509 sent to the caseworker's township, one of the township sent to
    /// 320509, and a need of another household of the township referred to the caller's
    /// charity: households the other targets do not use, since accepting moves them.
    private static func transfers(
        _ fixture: APIFixture, township: String, busy: [Int64]
    ) async throws -> [AuthorizationMatrixTests.Target] {
        typealias Target = AuthorizationMatrixTests.Target
        let prefix = String(township.prefix(9))
        func household(in prefix: String, besides: [Int64]) async throws -> (household: Int64, need: Int64) {
            let rows = try await fixture.client.query(
                """
                SELECT n.household_id, n.id FROM needs n JOIN households h ON h.id = n.household_id
                 WHERE n.status = 'open' AND h.region_code LIKE $1 || '%' AND h.consent_given_at IS NOT NULL
                   AND h.consent_withdrawn_at IS NULL AND NOT (n.household_id = ANY($2::bigint[]))
                 ORDER BY n.id LIMIT 1
                """, [prefix, (busy + besides).map { Int($0) }])
            guard let row = rows.first else { preconditionFailure("the seeded county has too few open needs") }
            return (try row.decode(Int64.self, "household_id"), try row.decode(Int64.self, "id"))
        }
        func village(in prefix: String) async throws -> String {
            try await fixture.scalar(
                String.self, "SELECT min(code) FROM regions WHERE level = 5 AND code LIKE $1 || '%'", [prefix])
        }
        func caseworker(_ login: String, _ scope: String) async throws -> Principal {
            Principal(
                userID: try await fixture.scalar(Int64.self, "SELECT id FROM users WHERE login = $1", [login]),
                tokenID: nil, role: .caseworker, regionScope: RegionScope(prefix: scope), charityID: nil)
        }
        let ours = try await caseworker("caseworker", prefix)
        let theirs = try await caseworker("other-caseworker", APIFixture.otherCounty)
        let far = try await household(in: APIFixture.otherCounty, besides: [])
        let near = try await household(in: prefix, besides: [])
        let referred = try await household(in: prefix, besides: [near.household])
        let store = CaseTransferRepository(client: fixture.client, sealer: nil)
        let incoming = try await store.send(
            TransferRequest(
                kind: .household, householdID: far.household, toRegion: try await village(in: prefix), reason: "迁入"),
            by: theirs)
        let outgoing = try await store.send(
            TransferRequest(
                kind: .household, householdID: near.household,
                toRegion: try await village(in: APIFixture.otherCounty), reason: "迁出"),
            by: ours)
        let referral = try await store.send(
            TransferRequest(kind: .referral, needID: referred.need, toCharityID: fixture.charity, reason: "转介"),
            by: ours)
        let offices: Set<Caller> = [.coordinator, .caseworker, .otherCaseworker]
        return [
            Target(
                label: "a transfer to us", id: incoming.id, reachedBy: offices,
                powers: ["accept": [.caseworker], "return": [.caseworker], "withdraw": [.otherCaseworker]]),
            Target(
                label: "a transfer from us", id: outgoing.id, reachedBy: offices,
                powers: ["accept": [.otherCaseworker], "return": [.otherCaseworker], "withdraw": [.caseworker]]),
            Target(
                label: "our referral", id: referral.id, reachedBy: [.coordinator, .caseworker, .charity],
                powers: ["accept": [.charity], "return": [.charity], "withdraw": [.caseworker]]),
        ]
    }
}
