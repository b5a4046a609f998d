import Store

/// The Store calls behind the coordinator's pages (review, runs, charities, audit), held as
/// one value so the controller gains one member for the whole group of pages.
struct CoordinatorStores: Sendable {
    let runs: MatchingRuns
    let policies: WeightPolicyRepository
    let regionalCharities: RegionalCharities
    let audit: ScopedAuditLog
    let exports: MatchExport

    init(store: Database) {
        runs = store.runs
        policies = store.policies
        regionalCharities = store.regionalCharities
        audit = store.audit
        exports = store.exports
    }
}
