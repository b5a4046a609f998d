import Foundation
import Matching
import Postgres

/// Matching runs: candidate generation in SQL, scoring and assignment in the engine, and the
/// proposals with their run record written in one transaction.
///
/// A run for a region takes transaction-scoped advisory locks: shared on every enclosing
/// region and exclusive on its own, so runs on overlapping regions (a county and one of its
/// townships, or the same region twice) exclude each other while sibling townships run side
/// by side. A second overlapping run is refused at once with ``StoreError/runInProgress(region:)``.
/// A crash or a cancelled connection rolls everything back: no half run survives.
public struct MatchingRuns: Sendable {
    /// The advisory-lock class of matching runs ("CMRU").
    static let lockClass: Int32 = 0x434D_5255

    let client: PostgresClient
    private let holds: HoldPolicy

    public init(client: PostgresClient, holds: HoldPolicy = HoldPolicy()) {
        self.client = client
        self.holds = holds
    }

    /// Runs a matching; with `export` also returns the instance and assignment as CSV.
    ///
    /// The pair search, the heaviest SQL, is split by need id over this connection and a
    /// second one that imports this transaction's snapshot, so both cores of the database
    /// work on it and both see exactly the same data.
    public func run(
        _ request: MatchingRunRequest, export: Bool = false
    ) async throws -> (MatchingRunReport, MatchingRunExport?) {
        try request.validate()
        let holds = self.holds
        let client = self.client
        // The connection that also reads the run's needs, households and offers starts on its
        // pairs later (about a ninth of the load at any size), so it takes 7/16 of the pair
        // search and a second connection the rest, and both finish together.
        let (ownShard, otherShard): (CandidateSet.Shard, CandidateSet.Shard?) =
            client.options.maxConnections >= 2
            ? (.init(residues: 0...6, count: 16), .init(residues: 7...15, count: 16)) : (.all, nil)
        return try await client.withReservedConnection { main in
            // A run is long by nature: its statements are not held to the pool's deadline.
            let bounded = try await main.run { try $0.replaceStatementTimeout(with: nil) }
            do {
                let started = ContinuousClock.now
                let (stored, snapshot) = try await main.run { connection in
                    let begun = try Self.begin(request, on: connection)
                    if !request.dryRun { try request.idempotency?.begin(on: connection) }
                    return begun
                }
                async let others = Self.pairRows(
                    shards: otherShard.map { [$0] } ?? [], snapshot: snapshot, request: request, client: client)
                let (entities, own) = try await main.run { connection in
                    try CandidateSet.prepare(
                        scope: request.region.scope, at: request.now, lookBackDays: request.lookBackDays,
                        coolDownDays: request.coolDownDays, shard: ownShard, allNeeds: true, takeover: request.takeover,
                        on: connection)
                    var entities = try CandidateSet.loadEntities(
                        at: request.now, lookBackDays: request.lookBackDays, coolDownDays: request.coolDownDays,
                        on: connection)
                    if request.householdCap != nil {
                        entities.capUsage = try HouseholdCapUsage.load(
                            windowDays: request.capWindowDays, at: request.now, scope: request.capScope,
                            on: connection)
                    }
                    return (entities, try CandidateSet.pairRows(on: connection))
                }
                var candidates = entities
                candidates.attach([own] + (try await others))
                let loaded = candidates
                return try await main.run { connection in
                    let result = try Self.finish(
                        request, policy: stored, candidates: loaded, started: started, export: export, holds: holds,
                        on: connection)
                    if let runID = result.0.runID {
                        try request.idempotency?.complete(
                            .init(entity: .matchRun, id: runID, created: true), on: connection)
                    }
                    try connection.executeScript("COMMIT")
                    try connection.replaceStatementTimeout(with: bounded)
                    return result
                }
            } catch {
                _ = try? await main.run { connection in
                    try connection.executeScript("ROLLBACK")
                    try connection.replaceStatementTimeout(with: bounded)
                }
                throw error
            }
        }
    }

    /// Opens the run's transaction: region check, advisory locks (not for a dry run), the
    /// policy, and a snapshot other connections can import.
    private static func begin(
        _ request: MatchingRunRequest, on connection: PostgresConnection
    ) throws -> (
        WeightPolicyRepository.Stored, String
    ) {
        try connection.executeScript("BEGIN ISOLATION LEVEL REPEATABLE READ")
        guard
            try connection.query("SELECT 1 FROM regions WHERE code = $1", [request.region.digits]).first != nil
        else { throw StoreError.notFound(entity: .region, id: request.region.digits) }
        if !request.dryRun { try lock(scope: request.region.scope, on: connection) }
        let stored =
            try request.trialPolicy.map {
                WeightPolicyRepository.Stored(id: 0, policy: $0, active: false, createdAt: request.now)
            }
            ?? WeightPolicyRepository.active(
                named: request.policyName ?? "standard", for: request.region, on: connection)
        let snapshot = try connection.query("SELECT pg_export_snapshot() AS id")[0].decode(String.self, "id")
        return (stored, snapshot)
    }

    /// The pairs of needs in `shards`, each found on its own pooled connection inside a
    /// transaction that imports `snapshot`.
    private static func pairRows(
        shards: [CandidateSet.Shard], snapshot: String, request: MatchingRunRequest, client: PostgresClient
    ) async throws -> [CandidateSet.PairRows] {
        guard snapshot.allSatisfy({ $0.isHexDigit || $0 == "-" }) else {
            throw StoreError.conflict(.inconsistent("the server returned an unexpected snapshot id"))
        }
        return try await withThrowingTaskGroup(of: CandidateSet.PairRows.self) { group in
            for shard in shards {
                group.addTask {
                    try await client.withConnection { connection in
                        try connection.withoutStatementTimeout {
                            try connection.transaction(isolation: .repeatableRead) { connection in
                                try connection.executeScript("SET TRANSACTION SNAPSHOT '\(snapshot)'")
                                try CandidateSet.prepare(
                                    scope: request.region.scope, at: request.now, lookBackDays: request.lookBackDays,
                                    coolDownDays: request.coolDownDays, shard: shard, allNeeds: false,
                                    takeover: request.takeover, on: connection)
                                return try CandidateSet.pairRows(on: connection)
                            }
                        }
                    }
                }
            }
            var rows: [CandidateSet.PairRows] = []
            for try await shard in group { rows.append(shard) }
            return rows
        }
    }

    /// Scores, assigns and (unless a dry run) writes the proposals and the run record.
    private static func finish(
        _ request: MatchingRunRequest, policy stored: WeightPolicyRepository.Stored, candidates: CandidateSet,
        started: ContinuousClock.Instant, export: Bool, holds: HoldPolicy, on connection: PostgresConnection
    ) throws -> (MatchingRunReport, MatchingRunExport?) {
        let clock = ContinuousClock()
        let loaded = clock.now

        let scorer = Scorer(policy: stored.policy, context: candidates.context)
        let scores = BatchScorer(
            needs: candidates.needs, households: candidates.households, offers: candidates.offers, scorer: scorer
        ).scores(pairStart: candidates.pairStart, pairOffers: candidates.pairOffers)
        let problem = try makeProblem(
            candidates, scores: scores, householdCap: request.householdCap, capScope: request.capScope)
        let scored = clock.now

        // The instance's files and fingerprint are rendered on another core while the
        // assignment is solved and the proposals are written; the run row receives the
        // fingerprint when all are done.
        let rendering = InstanceRendering(problem)
        var proposals = Proposals(candidates: candidates, scorer: scorer, problem: problem)
        var runID: Int64?
        let assignment: Assignment
        // The assignment is complete when its last part is handed over; the parts before it
        // are written while the solver still works.
        var assigned = clock.now
        if request.dryRun {
            assignment = Self.solve(problem, with: request.solver) { part in
                assigned = clock.now
                proposals.add(part) { _ in }
            }
        } else {
            (runID, assignment) = try solveAndPersist(
                problem, into: &proposals, request: request, policy: stored, holds: holds, on: connection
            ) { assigned = clock.now }
        }
        let (files, fingerprint) = rendering.result()
        let finished = clock.now
        func seconds(_ duration: Duration) -> Double { duration / .seconds(1) }
        let report = MatchingRunReport(
            runID: runID, region: request.region.digits, policyName: stored.policy.name,
            policyVersion: stored.policy.version, policyRegion: stored.region?.prefix ?? "", dryRun: request.dryRun,
            needs: problem.needCount,
            offers: problem.offerCount, edges: problem.edgeCount, matches: proposals.rows.count,
            units: assignment.totalUnits, objectiveMicro: assignment.objectiveMicro, solver: request.solver.rawValue,
            inputFingerprint: fingerprint, unitsByCategory: proposals.unitsByCategory(candidates.context),
            seconds: .init(
                load: seconds(loaded - started), score: seconds(scored - loaded), assign: seconds(assigned - scored),
                persist: seconds(finished - assigned), total: seconds(finished - started)))
        if let runID {
            try connection.query(
                """
                UPDATE match_runs SET status = 'completed', finished_at = clock_timestamp(), input_fingerprint = $3,
                       options = options || jsonb_build_object('seconds', $2::jsonb)
                                 || CASE WHEN $7::bigint IS NULL THEN '{}'::jsonb
                                         ELSE jsonb_build_object('takeover', $7::bigint) END,
                       matches_count = $4, units_count = $5, objective_micro = $6
                 WHERE id = $1
                """,
                [
                    runID, String(decoding: try JSONEncoder.audit.encode(report.seconds), as: UTF8.self), fingerprint,
                    report.matches, report.units, report.objectiveMicro, request.takeover,
                ])
            if let takeover = request.takeover {
                try connection.query("UPDATE takeovers SET run_id = $2 WHERE id = $1", [takeover, runID])
            }
            try AuditTrail.record(
                on: connection, actor: request.actor, action: "match_run.complete", entityType: "match_run",
                entityID: String(runID), details: report)
        }
        let exported =
            export ? MatchingRunExport(instance: files, assignment: InstanceCSV.render(assignment, of: problem)) : nil
        return (report, exported)
    }

    /// Shared locks on every enclosing scope, an exclusive one on the run's own.
    private static func lock(scope: RegionScope, on connection: PostgresConnection) throws {
        let ancestors = RegionCode.Level.allCases.map(\.prefixLength).filter { $0 < scope.prefix.count }
            .map { String(scope.prefix.prefix($0)) }
        let row = try connection.query(
            """
            SELECT bool_and(pg_try_advisory_xact_lock_shared($1, hashtext(a))) AS ancestors,
                   pg_try_advisory_xact_lock($1, hashtext($3)) AS own
              FROM unnest($2::text[]) AS a
            """,
            [lockClass, ancestors, scope.prefix])[0]
        let ancestorsFree = try row.decode(Bool?.self, "ancestors") ?? true
        let ownFree = try row.decode(Bool.self, "own")
        guard ancestorsFree && ownFree else { throw StoreError.runInProgress(region: scope.prefix) }
    }

    /// The instance the solver sees. With a cap, each need belongs to the cap it counts
    /// against (``HouseholdCapUsage/key(household:categoryCode:scope:)``), which has what the
    /// household's matches in the cap's window left of it.
    private static func makeProblem(
        _ candidates: CandidateSet, scores: [Int64], householdCap: Int?, capScope: MatchingRunRequest.CapScope
    ) throws -> TransportationProblem {
        func capKey(_ need: Need) -> Int64 {
            HouseholdCapUsage.key(
                household: need.householdID, categoryCode: candidates.context.categories[need.categoryID]?.code ?? "",
                scope: capScope)
        }
        let caps =
            householdCap.map { cap in
                Set(candidates.needs.map(capKey)).map { (id: $0, cap: candidates.capUsage.remaining(of: cap, key: $0)) }
            } ?? []
        do {
            return try TransportationProblem(
                sortedNeeds: candidates.needs.map {
                    .init(id: $0.id, quantity: Int32($0.quantity), householdID: householdCap == nil ? nil : capKey($0))
                },
                sortedOffers: candidates.offers.map { (id: $0.id, capacity: Int32($0.remainingCapacity)) },
                households: caps, edgeStart: candidates.pairStart, edgeOffers: candidates.pairOffers,
                edgeScores: scores)
        } catch {
            throw StoreError.conflict(.inconsistent("the candidate set is inconsistent (\(error)); this is a bug"))
        }
    }
}
