/// The baseline: take edges from the highest score down (ties by need id, then offer id)
/// and give each as many units as need, offer and household still allow.
///
/// Kept because it is what people do by hand and what the exact solver is measured
/// against: on realistic instances it lands about 1 % below the optimum, on adversarial
/// ones far lower (see the tests).
public enum GreedyAssigner {
    public static func assign(_ problem: TransportationProblem) -> Assignment {
        let edgeNeeds = problem.edgeNeeds()
        var order = Array(0..<Int32(problem.edgeCount))
        order.sort { lhs, rhs in
            let left = problem.edgeScores[Int(lhs)]
            let right = problem.edgeScores[Int(rhs)]
            return left != right ? left > right : lhs < rhs
        }
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
}
