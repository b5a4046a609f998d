import Postgres
import Store

/// The Store calls behind the coordinator's pages (review, runs, charities, audit), held as
/// one value so the controller gains one member for the whole group of pages.
struct CoordinatorStores: Sendable {
    let matches: MatchRepository
    let runs: MatchingRuns
    let policies: WeightPolicyRepository
    let charities: CharityRepository
    let regionalCharities: RegionalCharities
    let audit: ScopedAuditLog
    let regions: RegionRepository
    let regionNames: RegionNames

    init(client: PostgresClient) {
        matches = MatchRepository(client: client)
        runs = MatchingRuns(client: client)
        policies = WeightPolicyRepository(client: client)
        charities = CharityRepository(client: client)
        regionalCharities = RegionalCharities(client: client)
        audit = ScopedAuditLog(client: client)
        regions = RegionRepository(client: client)
        regionNames = RegionNames(client: client)
    }
}
