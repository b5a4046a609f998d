import Foundation
import Matching
import Postgres
import TestSupport
import Testing

@testable import Store

@Suite("Matching runs")
struct MatchingRunTests {
    private static func request(dryRun: Bool = false) -> MatchingRunRequest {
        MatchingRunRequest(
            region: SeededCounty.county, dryRun: dryRun, now: SeededCounty.asOf.addingTimeInterval(12 * 3600))
    }

    @Test func aRunWritesItsProposalsAndItsExportSolvesToTheSameObjective() async throws {
        try await SeededCounty.with("run") { _, client in
            let (report, export) = try await MatchingRuns(client: client).run(Self.request(), export: true)
            let runID = try #require(report.runID)
            #expect(report.matches > 0 && report.edges > report.matches)
            let stored = try await client.query(
                """
                SELECT count(*) AS n, coalesce(sum(units), 0) AS units,
                       coalesce(sum(units::bigint * score_micro), 0)::bigint AS objective,
                       count(*) FILTER (WHERE (breakdown ->> 'score_micro')::bigint <> score_micro) AS inconsistent
                  FROM matches WHERE run_id = $1 AND status = 'proposed'
                """, [runID])[0]
            #expect(try stored.decode(Int.self, "n") == report.matches)
            #expect(try stored.decode(Int.self, "units") == report.units)
            #expect(try stored.decode(Int64.self, "objective") == report.objectiveMicro)
            #expect(try stored.decode(Int.self, "inconsistent") == 0)
            let run = try await client.query(
                """
                SELECT status, matches_count, units_count, objective_micro, input_fingerprint
                  FROM match_runs WHERE id = $1
                """, [runID])[0]
            #expect(try run.decode(String.self, "status") == "completed")
            #expect(try run.decode(Int.self, "matches_count") == report.matches)
            #expect(try run.decode(Int.self, "units_count") == report.units)
            #expect(try run.decode(Int64.self, "objective_micro") == report.objectiveMicro)
            #expect(try run.decode(String.self, "input_fingerprint") == report.inputFingerprint)
            // An independent solve of the exported instance reaches the run's objective.
            let files = try #require(export)
            let problem = try InstanceCSV.parse(files.instance)
            #expect(ExactAssigner.assign(problem).objectiveMicro == report.objectiveMicro)
            #expect(GreedyAssigner.assign(problem).objectiveMicro <= report.objectiveMicro)
            // Proposals hold nothing, and never exceed what each offer had left.
            let overProposed = try await SeededCounty.count(
                client,
                """
                SELECT count(*) FROM offers o
                 WHERE (SELECT coalesce(sum(units), 0) FROM matches m WHERE m.offer_id = o.id AND m.status = 'proposed')
                       > o.capacity - o.allocated
                """)
            #expect(overProposed == 0)
            // The coordinators' export lists exactly the run's matches.
            let bytes = try await MatchExport(client: client).csv(.run(runID))
            #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
            let csv = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(csv.split(separator: "\n").count == report.matches + 1)
            #expect(csv.hasPrefix("match_id,run_id,status,"))
            // Times in China time, as the pages show them; the header in Chinese when asked.
            let firstRow = try #require(csv.split(separator: "\n").dropFirst().first)
            #expect(firstRow.contains("+08:00") && !firstRow.contains("Z,"))
            let chinese = try await MatchExport(client: client).csv(.run(runID), language: .chinese)
            #expect(String(decoding: chinese.dropFirst(3), as: UTF8.self).hasPrefix("匹配编号,运行编号,状态,"))
            // A second run finds nothing left to propose on the same pairs.
            let (again, _) = try await MatchingRuns(client: client).run(Self.request())
            #expect(again.units <= report.units)
        }
    }

    @Test func aDryRunComputesEverythingAndWritesNothing() async throws {
        try await SeededCounty.with("dryrun") { _, client in
            let (dry, _) = try await MatchingRuns(client: client).run(Self.request(dryRun: true))
            #expect(dry.runID == nil && dry.matches > 0)
            #expect(try await SeededCounty.count(client, "SELECT count(*) FROM matches") == 0)
            #expect(try await SeededCounty.count(client, "SELECT count(*) FROM match_runs") == 0)
            let (real, _) = try await MatchingRuns(client: client).run(Self.request())
            #expect(real.objectiveMicro == dry.objectiveMicro)
            #expect(real.inputFingerprint == dry.inputFingerprint)
        }
    }

    @Test func candidateSQLAgreesWithTheEngineEligibilityOnEveryPair() async throws {
        try await SeededCounty.with("eligibility", plan: SeededCounty.plan(households: 600, seed: 11)) { _, client in
            let now = Self.request().now
            // Coordinators' suspensions of the two busiest charities, in a township and in a village.
            try await client.query(
                """
                INSERT INTO charity_suspensions (charity_id, region_prefix, reason)
                SELECT busiest.charity_id, CASE WHEN busiest.rank = 1 THEN left(h.region_code, 9) ELSE h.region_code END,
                       'test'
                  FROM (SELECT charity_id, row_number() OVER (ORDER BY count(*) DESC, charity_id) AS rank
                          FROM offers GROUP BY charity_id) busiest,
                       (SELECT region_code FROM households ORDER BY id LIMIT 1) h
                 WHERE busiest.rank <= 2
                """)
            // Refusals of every kind and age, some cleared, on a quarter of the open needs.
            try await client.query(
                """
                INSERT INTO matches (need_id, offer_id, units, status, decided_at, reason_code, cooldown_cleared_at)
                SELECT n.id, o.id, 1, (ARRAY['rejected', 'declined', 'expired'])[1 + n.id % 3],
                       $1::timestamptz - make_interval(days => (n.id % 50)::int),
                       CASE WHEN n.id % 3 <> 2 THEN 'not_eligible' END, CASE WHEN n.id % 7 = 0 THEN now() END
                  FROM needs n
                 CROSS JOIN LATERAL (SELECT o.id FROM offers o WHERE o.category_id = n.category_id
                                      ORDER BY o.id LIMIT 2) o
                 WHERE n.status = 'open' AND n.id % 4 = 0
                """, [now])
            let set = try await client.withTransaction { connection in
                try CandidateSet.load(scope: SeededCounty.county.scope, at: now, lookBackDays: 90, on: connection)
            }
            var sqlPairs = Set<[Int64]>()
            for (index, need) in set.needs.enumerated() {
                for pair in Int(set.pairStart[index])..<Int(set.pairStart[index + 1]) {
                    sqlPairs.insert([need.id, set.offers[Int(set.pairOffers[pair])].id])
                }
            }
            var disagreements: [String] = []
            var eligible = 0
            var suspendedHere = 0
            var onlyRefused = 0
            for need in set.needs {
                let household = try #require(set.households[need.householdID])
                for offer in set.offers {
                    let verdict = Eligibility.evaluate(
                        need: need, household: household, offer: offer, context: set.context)
                    let engineSays: Bool
                    if case .eligible = verdict { engineSays = true } else { engineSays = false }
                    if engineSays { eligible += 1 }
                    if offer.charity.isSuspended(in: household.region),
                        case .ineligible(let why) = verdict, why == [.charityNotActive]
                    {
                        suspendedHere += 1
                    }
                    if verdict == .ineligible([.refusedRecently]) { onlyRefused += 1 }
                    if engineSays != sqlPairs.contains([need.id, offer.id]) {
                        disagreements.append("need \(need.id) offer \(offer.id): engine \(verdict)")
                    }
                }
            }
            #expect(eligible > 100)
            #expect(suspendedHere > 0, "a regional suspension alone keeps some pairs apart")
            #expect(onlyRefused > 10, "refusals inside the cool-down are what keeps some pairs out")
            #expect(disagreements.isEmpty, "\(disagreements.prefix(5))")
        }
    }

    @Test func aTerminatedRunLeavesNothingAndOverlappingRunsAreRefusedMeanwhile() async throws {
        try await SeededCounty.with("terminated") { database, client in
            // Hold the run inside its write phase long enough to observe and kill it.
            try await client.withConnection { connection in
                try connection.executeScript(
                    """
                    CREATE FUNCTION test_pause() RETURNS trigger LANGUAGE plpgsql AS
                        $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END $$;
                    CREATE TRIGGER test_pause BEFORE INSERT ON matches
                        FOR EACH STATEMENT EXECUTE FUNCTION test_pause();
                    """)
            }
            let runs = MatchingRuns(client: client)
            let running = Task { try await runs.run(Self.request()) }
            var backend: Int?
            for _ in 0..<200 where backend == nil {
                try await Task.sleep(for: .milliseconds(50))
                backend = try await TestDatabase.onServer { connection in
                    try connection.query(
                        """
                        SELECT pid FROM pg_stat_activity
                         WHERE datname = $1 AND wait_event = 'PgSleep'
                        """, [database.name]
                    ).first.map { try $0.decode(Int.self, "pid") }
                }
            }
            let pid = try #require(backend)
            let township = try #require(RegionCode("320508001000"))
            for region in [SeededCounty.county, township] {
                var overlapping = Self.request()
                overlapping.region = region
                await #expect(throws: StoreError.runInProgress(region: String(region.scopePrefix))) {
                    _ = try await runs.run(overlapping)
                }
            }
            try await TestDatabase.onServer { connection in
                try connection.query("SELECT pg_terminate_backend($1::integer)", [pid])
            }
            await #expect(throws: (any Error).self) { _ = try await running.value }
            #expect(try await SeededCounty.count(client, "SELECT count(*) FROM matches") == 0)
            #expect(try await SeededCounty.count(client, "SELECT count(*) FROM match_runs") == 0)
            #expect(
                try await SeededCounty.count(client, "SELECT count(*) FROM audit_log WHERE action LIKE 'match_run.%'")
                    == 0)
        }
    }

    @Test func theStoredStandardPolicyIsTheEngineStandardPolicy() async throws {
        try await SeededCounty.with("policy") { _, client in
            let stored = try await WeightPolicyRepository(client: client).list()
            #expect(stored.first { $0.policy.name == "standard" }?.policy == WeightPolicy.standard)
        }
    }

    @Test func seedingIsDeterministicForASeedAndADate() async throws {
        var digests: [String] = []
        for label in ["seed_a", "seed_b"] {
            try await SeededCounty.with(label) { _, client in
                let row = try await client.query(
                    """
                    SELECT md5(string_agg(h::text, '|' ORDER BY h.case_number)) AS households,
                           (SELECT md5(string_agg(concat_ws(',', n.category_id, n.quantity, n.urgency, n.emergency,
                                                            n.needed_by, n.recorded_at), '|' ORDER BY n.id))
                              FROM needs n) AS needs,
                           (SELECT md5(string_agg(concat_ws(',', o.title, o.capacity, o.service_region_prefixes,
                                                            o.radius_km, o.available_until), '|' ORDER BY o.id))
                              FROM offers o) AS offers
                      FROM (SELECT case_number, region_code, members, member_birth_dates, assistance_statuses,
                                   vulnerability_flags, per_capita_income, latitude, longitude, id_number_hmac,
                                   contact_name, consent_given_at FROM households) AS h
                    """)[0]
                digests.append(
                    try ["households", "needs", "offers"].map { try row.decode(String.self, $0) }.joined(separator: ",")
                )
            }
        }
        #expect(digests[0] == digests[1])
    }
}

@Suite("Breakdown JSON")
struct BreakdownJSONTests {
    @Test func theFastRenderingDecodesToTheSameBreakdown() throws {
        let policy = try WeightPolicy(name: "a\"b\\c", version: 3, weights: [.urgency: 1, .proximity: 0.00001])
        let breakdown = ScoreBreakdown(values: [.urgency: 0.3, .proximity: 1e-7, .fairness: 1], policy: policy)
        let decoded = try JSONDecoder().decode(
            ScoreBreakdown.self, from: Array(BreakdownJSON.text(breakdown).utf8).withUnsafeBytes { Data($0) })
        #expect(decoded == breakdown)
        #expect(BreakdownJSON.text(breakdown).contains("\"score_micro\":\(breakdown.scoreMicro)"))
    }
}

@Suite("Matching runs: household caps")
struct HouseholdCapTests {
    @Test(arguments: [MatchingRunRequest.CapScope.kind, .household])
    func proposalsNeverExceedTheCap(scope: MatchingRunRequest.CapScope) async throws {
        try await SeededCounty.with("cap_\(scope.rawValue)", plan: SeededCounty.plan(households: 500, seed: 5)) {
            _, client in
            var request = MatchingRunRequest(
                region: SeededCounty.county, householdCap: 2, capScope: scope,
                now: SeededCounty.asOf.addingTimeInterval(12 * 3600))
            request.dryRun = false
            let (report, _) = try await MatchingRuns(client: client).run(request)
            let runID = try #require(report.runID)
            let grouping = scope == .kind ? "n.household_id, split_part(c.code, '.', 1)" : "n.household_id"
            let largest = try await SeededCounty.count(
                client,
                """
                SELECT coalesce(max(total), 0)::int FROM (
                    SELECT sum(m.units) AS total
                      FROM matches m JOIN needs n ON n.id = m.need_id JOIN categories c ON c.id = n.category_id
                     WHERE m.run_id = $1 GROUP BY \(grouping)) AS per_cap
                """, [runID])
            #expect(largest == 2)
            let stored = try await client.query(
                "SELECT options ->> 'household_cap_scope' AS scope FROM match_runs WHERE id = $1", [runID])[0]
            #expect(try stored.decode(String.self, "scope") == scope.rawValue)
        }
    }
}
