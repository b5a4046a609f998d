/// The baseline: take edges from the highest score down (ties by need id, then offer id)
/// and give each as many units as need, offer and household still allow.
///
/// Kept because it is what people do by hand and what the exact solver is measured
/// against: on realistic instances it lands about 1 % below the optimum, on adversarial
/// ones far lower (see the tests).
public enum GreedyAssigner {
    public static func assign(_ problem: TransportationProblem) -> Assignment {
        let edgeNeeds = problem.edgeNeeds()
        let order = edgesByScore(problem)
        var needLeft = problem.needQuantities
        var offerLeft = problem.offerCapacities
        var householdLeft = problem.householdCaps
        var units = [Int32](repeating: 0, count: problem.edgeCount)
        for edge in order {
            let need = Int(edgeNeeds[Int(edge)])
            let offer = Int(problem.edgeOffers[Int(edge)])
            let household = Int(problem.needHouseholds[need])
            var amount = min(needLeft[need], offerLeft[offer])
            if household >= 0 { amount = min(amount, householdLeft[household]) }
            guard amount > 0 else { continue }
            units[Int(edge)] = amount
            needLeft[need] -= amount
            offerLeft[offer] -= amount
            if household >= 0 { householdLeft[household] -= amount }
        }
        return Assignment(problem: problem, units: units)
    }

    /// Edge indices from the highest score down, ties in edge order (need id, then offer id).
    ///
    /// Large instances use a counting sort on the integer scores, linear where a comparison
    /// sort of tens of millions of edges would take longer than the greedy pass itself.
    static func edgesByScore(_ problem: TransportationProblem) -> [Int32] {
        let scoreCount = Int(TransportationProblem.maximumScore) + 1
        guard problem.edgeCount > scoreCount / 8 else {
            return Array(0..<Int32(problem.edgeCount)).sorted { lhs, rhs in
                let left = problem.edgeScores[Int(lhs)]
                let right = problem.edgeScores[Int(rhs)]
                return left != right ? left > right : lhs < rhs
            }
        }
        var bucketStart = [Int32](repeating: 0, count: scoreCount + 1)
        for score in problem.edgeScores { bucketStart[scoreCount - Int(score)] += 1 }
        for bucket in 0..<scoreCount { bucketStart[bucket + 1] += bucketStart[bucket] }
        var order = [Int32](repeating: 0, count: problem.edgeCount)
        for (edge, score) in problem.edgeScores.enumerated() {
            let bucket = scoreCount - 1 - Int(score)
            order[Int(bucketStart[bucket])] = Int32(edge)
            bucketStart[bucket] += 1
        }
        return order
    }
}
