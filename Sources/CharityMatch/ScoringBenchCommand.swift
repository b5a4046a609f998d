import ArgumentParser
import Foundation
import Matching

/// `charity-match bench scoring`: pairs scored per second on one core by ``BatchScorer``.
///
/// The pairs are the edges of a generated instance; needs, households and offers get
/// plausible attributes (statuses, flags, locations, circles and region scopes, deadlines,
/// charity records) so every branch of the per-pair work runs.
struct ScoringBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scoring",
        abstract: "Pairs per second through the batch scorer on one core, on a generated instance."
    )

    @Option(help: "Needs in the generated instance.") var needs = 100_000
    @Option(help: "Offers (default: needs / 10).") var offers: Int?
    @Option(help: "Seed of the generated instance.") var seed: UInt64 = 1
    @Option(help: "Times to score all pairs; the median is reported.") var repeats = 5

    func validate() throws {
        guard (1...5_000_000).contains(needs) else { throw ValidationError("--needs must be 1–5000000") }
        if let offers, !(1...5_000_000).contains(offers) { throw ValidationError("--offers must be 1–5000000") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be 1–100") }
    }

    func run() throws {
        let problem = InstanceGenerator.generate(.init(needs: needs, offers: offers, seed: seed))
        let workload = ScoringWorkload(problem: problem)
        let scorer = BatchScorer(
            needs: workload.needs,
            households: workload.households,
            offers: workload.offers,
            scorer: Scorer(policy: .standard, context: workload.context)
        )
        var seconds: [Double] = []
        var checksum: Int64 = 0
        for _ in 0..<repeats {
            let started = ContinuousClock.now
            let scores = scorer.scores(pairStart: problem.edgeStart, pairOffers: problem.edgeOffers)
            seconds.append((ContinuousClock.now - started).seconds)
            checksum = scores.reduce(0, &+)
        }
        let median = seconds.sorted()[seconds.count / 2]
        print(
            #"{"bench":"scoring","needs":\#(problem.needCount),"offers":\#(problem.offerCount),"#
                + #""pairs":\#(problem.edgeCount),"median_seconds":\#(median),"#
                + #""pairs_per_second":\#(Double(problem.edgeCount) / median),"checksum":\#(checksum)}"#
        )
    }
}

/// Domain objects behind a generated instance's indices, deterministic for the instance.
struct ScoringWorkload {
    let needs: [Need]
    let households: [Int64: Household]
    let offers: [Offer]
    let context: MatchingContext

    init(problem: TransportationProblem) {
        let now = Date(timeIntervalSince1970: 1_790_000_000)
        var generator = SplitMix64(seed: 20_231_115)
        func unit() -> Double { Double(generator.next() >> 11) / Double(1 << 53) }
        let villages = ["320508019044", "320508019045", "320508020001", "320509001001", "320506100201"]
            .compactMap(RegionCode.init)
        var needs: [Need] = []
        var households: [Int64: Household] = [:]
        needs.reserveCapacity(problem.needCount)
        households.reserveCapacity(problem.needCount)
        for (index, id) in problem.needIDs.enumerated() {
            let statuses = AssistanceStatus.allCases[Int(generator.next() % 5)]
            let household = Household(
                id: id,
                region: villages[index % villages.count],
                size: 1 + Int(generator.next() % 4),
                statuses: [statuses],
                flags: generator.next() % 4 == 0 ? [.disabled] : [],
                location: GeoPoint(latitude: 31 + unit() * 0.5, longitude: 120.4 + unit() * 0.5),
                consent: Consent(givenAt: now.addingTimeInterval(-86_400))
            )
            households[id] = household
            needs.append(
                Need(
                    id: id, householdID: id, categoryID: 11, quantity: Int(problem.needQuantities[index]),
                    urgency: 1 + Int(generator.next() % 5), isEmergency: generator.next() % 20 == 0,
                    neededBy: generator.next() % 2 == 0 ? now.addingTimeInterval(unit() * 90 * 86_400) : nil,
                    recordedAt: now.addingTimeInterval(-unit() * 120 * 86_400)
                )
            )
        }
        let scopes = ["3205", "320508", "320508019", "320509"].compactMap { RegionScope(prefix: $0) }
        offers = problem.offerIDs.enumerated().map { index, id in
            Offer(
                id: id, charityID: id, categoryID: index % 3 == 0 ? 1 : 11,
                remainingCapacity: Int(problem.offerCapacities[index]),
                serviceArea: ServiceArea(
                    scopes: [scopes[index % scopes.count]],
                    circle: index % 2 == 0
                        ? .init(
                            center: GeoPoint(latitude: 31 + unit() * 0.5, longitude: 120.4 + unit() * 0.5),
                            radiusKilometres: 5 + unit() * 40)
                        : nil
                ),
                availableFrom: now.addingTimeInterval((unit() - 0.8) * 60 * 86_400),
                charity: CharityStanding(
                    delivered: index % 50, failed: index % 7, satisfactionSum: index % 50 * 4,
                    satisfactionCount: index % 50)
            )
        }
        self.needs = needs
        self.households = households
        self.context = MatchingContext(
            now: now, categories: [11: Category(id: 11, code: "material.grain_oil", parentID: 1)])
    }
}
