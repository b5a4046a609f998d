import Foundation
import Matching
import Postgres

/// The pairs an assignment chose, each with the breakdown that explains its score, gathered
/// part by part as the solver finishes them.
struct Proposals {
    struct Row {
        var need: Need
        var offer: Offer
        var units: Int
        var breakdown: ScoreBreakdown
    }

    private(set) var rows: [Row] = []
    private let candidates: CandidateSet
    private let scorer: Scorer
    private let problem: TransportationProblem
    private let needs: [Int64: Need]
    private let offers: [Int64: Offer]

    init(candidates: CandidateSet, scorer: Scorer, problem: TransportationProblem) {
        self.candidates = candidates
        self.scorer = scorer
        self.problem = problem
        var needs: [Int64: Need] = [:]
        for need in candidates.needs { needs[need.id] = need }
        self.needs = needs
        var offers: [Int64: Offer] = [:]
        for offer in candidates.offers { offers[offer.id] = offer }
        self.offers = offers
    }

    /// Adds the chosen pairs of `part`, handing each new row to `body` as soon as it is made,
    /// so a writer can send it while the next is being built.
    mutating func add(_ part: AssignmentPart, _ body: (Row) throws -> Void) rethrows {
        try part.forEachChosenEdge(in: problem) { need, edge, units in
            guard let chosenNeed = needs[problem.needIDs[need]],
                let offer = offers[problem.offerIDs[Int(problem.edgeOffers[edge])]],
                let household = candidates.households[chosenNeed.householdID]
            else { return }
            let fit = scorer.context.categoryFit(need: chosenNeed.categoryID, offer: offer.categoryID)
            let row = Row(
                need: chosenNeed, offer: offer, units: Int(units),
                breakdown: scorer.breakdown(need: chosenNeed, household: household, offer: offer, fit: fit))
            rows.append(row)
            try body(row)
        }
    }

    /// Proposed units per need category code.
    func unitsByCategory(_ context: MatchingContext) -> [String: Int] {
        var units: [String: Int] = [:]
        for row in rows { units[context.categories[row.need.categoryID]?.code ?? "?", default: 0] += row.units }
        return units
    }
}

extension MatchingRuns {
    /// Writes the run record, then solves `problem`, writing each finished part of the
    /// assignment with its own COPY while the rest is still being solved;
    /// the caller fills in the counts once all is written. `eachPart` is called as each part
    /// arrives, before it is written. Returns the run's id and the
    /// assignment.
    static func solveAndPersist(
        _ problem: TransportationProblem, into proposals: inout Proposals, request: MatchingRunRequest,
        policy: WeightPolicyRepository.Stored, holds: HoldPolicy, on connection: PostgresConnection,
        eachPart: () -> Void
    ) throws -> (runID: Int64, assignment: Assignment) {
        let weights = String(decoding: try JSONEncoder.audit.encode(policy.policy.weights), as: UTF8.self)
        let options = String(
            decoding: try JSONEncoder.audit.encode(
                RunOptions(
                    householdCap: request.householdCap, capScope: request.capScope,
                    capWindowDays: request.capWindowDays, lookBackDays: request.lookBackDays,
                    coolDownDays: request.coolDownDays, holds: holds)),
            as: UTF8.self)
        let runID = try connection.query(
            """
            INSERT INTO match_runs (region_code, policy_id, policy_version, weights, options, created_by,
                                    needs_count, offers_count, edges_count, solver, status)
            VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10, 'running')
            RETURNING id
            """,
            [
                request.region.digits, policy.id, policy.policy.version, weights, options, request.actor.userID,
                problem.needCount, problem.offerCount, problem.edgeCount, request.solver.rawValue,
            ])[0].decode(Int64.self, "id")
        let expiry = try request.now.addingTimeInterval(Double(holds.proposalHours) * 3600).postgresText()
        let assignment: Assignment
        do {
            // One COPY per part: PostgreSQL runs a COPY's foreign-key checks when the COPY
            // ends, so the early parts' checks run while the largest component is solved.
            assignment = try solve(problem, with: request.solver) { part in
                eachPart()
                try connection.copyFrom(
                    "COPY matches (need_id, offer_id, run_id, units, score_micro, breakdown, hold_expires_at, created_by) FROM STDIN"
                ) { writer in
                    try proposals.add(part) { row in
                        writer.append(Int(row.need.id))
                        writer.append(Int(row.offer.id))
                        writer.append(Int(runID))
                        writer.append(row.units)
                        writer.append(Int(row.breakdown.scoreMicro))
                        try writer.append(text: BreakdownJSON.text(row.breakdown))
                        try writer.append(text: expiry)
                        try writer.append(request.actor.userID)
                        try writer.endRow()
                    }
                }
            }
        } catch let error as PostgresError where error.sqlState == .uniqueViolation {
            throw StoreError.conflict(.proposedMeanwhile)
        }
        return (runID, assignment)
    }

    /// Solves `problem` with `solver`, handing the answer to `deliver` part by part (the
    /// greedy baseline hands it over whole).
    static func solve(
        _ problem: TransportationProblem, with solver: MatchingRunRequest.Solver,
        delivering deliver: (AssignmentPart) throws -> Void
    ) rethrows -> Assignment {
        switch solver {
        case .exact:
            return try ExactAssigner.assign(problem, delivering: deliver)
        case .greedy:
            let assignment = GreedyAssigner.assign(problem)
            try deliver(AssignmentPart(wholeOf: assignment, problem: problem))
            return assignment
        }
    }

    private struct RunOptions: Encodable {
        var householdCap: Int?
        var capScope: MatchingRunRequest.CapScope
        var capWindowDays: Int
        var lookBackDays: Int
        var coolDownDays: Int
        var holds: HoldPolicy

        enum CodingKeys: String, CodingKey {
            case householdCap = "household_cap"
            case capScope = "household_cap_scope"
            case capWindowDays = "household_cap_window_days"
            case lookBackDays = "look_back_days"
            case coolDownDays = "cool_down_days"
            case holds
        }
    }
}
