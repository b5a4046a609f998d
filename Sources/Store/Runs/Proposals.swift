import Foundation
import Matching
import Postgres

/// The pairs an assignment chose, each with the breakdown that explains its score.
struct Proposals {
    struct Row {
        var need: Need
        var offer: Offer
        var units: Int
        var breakdown: ScoreBreakdown
    }

    let rows: [Row]

    init(candidates: CandidateSet, scorer: Scorer, problem: TransportationProblem, assignment: Assignment) {
        var needs: [Int64: Need] = [:]
        for need in candidates.needs { needs[need.id] = need }
        var offers: [Int64: Offer] = [:]
        for offer in candidates.offers { offers[offer.id] = offer }
        var rows: [Row] = []
        for need in 0..<problem.needCount {
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1]) where assignment.units[edge] > 0
            {
                guard let chosenNeed = needs[problem.needIDs[need]],
                    let offer = offers[problem.offerIDs[Int(problem.edgeOffers[edge])]],
                    let household = candidates.households[chosenNeed.householdID]
                else { continue }
                let fit = scorer.context.categoryFit(need: chosenNeed.categoryID, offer: offer.categoryID)
                rows.append(
                    Row(
                        need: chosenNeed, offer: offer, units: Int(assignment.units[edge]),
                        breakdown: scorer.breakdown(need: chosenNeed, household: household, offer: offer, fit: fit)))
            }
        }
        self.rows = rows
    }

    /// Proposed units per need category code.
    func unitsByCategory(_ context: MatchingContext) -> [String: Int] {
        var units: [String: Int] = [:]
        for row in rows { units[context.categories[row.need.categoryID]?.code ?? "?", default: 0] += row.units }
        return units
    }
}

extension MatchingRuns {
    /// Writes the run record and its proposals; returns the run's id.
    static func persist(
        _ proposals: Proposals, request: MatchingRunRequest, policy: WeightPolicyRepository.Stored,
        problem: TransportationProblem, holds: HoldPolicy, on connection: PostgresConnection
    ) throws -> Int64 {
        let weights = String(decoding: try JSONEncoder.audit.encode(policy.policy.weights), as: UTF8.self)
        let options = String(
            decoding: try JSONEncoder.audit.encode(
                RunOptions(
                    householdCap: request.householdCap, capScope: request.capScope, lookBackDays: request.lookBackDays,
                    holds: holds)),
            as: UTF8.self)
        let units = proposals.rows.reduce(0) { $0 + $1.units }
        let objective = proposals.rows.reduce(Int64(0)) { $0 + Int64($1.units) * $1.breakdown.scoreMicro }
        let runID = try connection.query(
            """
            INSERT INTO match_runs (region_code, policy_id, policy_version, weights, options, created_by,
                                    needs_count, offers_count, edges_count, matches_count, units_count,
                                    objective_micro, solver, status)
            VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, 'running')
            RETURNING id
            """,
            [
                request.region.digits, policy.id, policy.policy.version, weights, options, request.actor.userID,
                problem.needCount, problem.offerCount, problem.edgeCount, proposals.rows.count, units, objective,
                request.solver.rawValue,
            ])[0].decode(Int64.self, "id")
        let expiry = try request.now.addingTimeInterval(Double(holds.proposalHours) * 3600).postgresText()
        do {
            try connection.copyFrom(
                "COPY matches (need_id, offer_id, run_id, units, score_micro, breakdown, hold_expires_at, created_by) FROM STDIN"
            ) { writer in
                for row in proposals.rows {
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
        } catch let error as PostgresError where error.sqlState == .uniqueViolation {
            throw StoreError.conflict("a match was proposed by hand on a pair this run chose; run the matching again")
        }
        return runID
    }

    private struct RunOptions: Encodable {
        var householdCap: Int?
        var capScope: MatchingRunRequest.CapScope
        var lookBackDays: Int
        var holds: HoldPolicy

        enum CodingKeys: String, CodingKey {
            case householdCap = "household_cap"
            case capScope = "household_cap_scope"
            case lookBackDays = "look_back_days"
            case holds
        }
    }
}
