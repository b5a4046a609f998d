import Logging
import Postgres
import ServiceLifecycle

/// The Store's one door to PostgreSQL, as the presentations (API, dashboard) hold it: every
/// repository they use comes from here, so they never see a connection, a statement or a
/// driver error (``StoreError/init(translating:)`` reads those). The command line, which
/// owns the process, builds it from a connection pool; run it as a service so the pool
/// opens and closes with the process.
public struct Database: Sendable, Service {
    let client: PostgresClient
    /// Seals ID numbers and issues the household references charities see; one pepper for
    /// the whole deployment.
    public let sealer: IDNumberSealer

    public init(client: PostgresClient, sealer: IDNumberSealer) {
        self.client = client
        self.sealer = sealer
    }

    public func run() async throws {
        try await client.run()
    }

    public var charities: CharityRepository { CharityRepository(client: client) }
    public var regionalCharities: RegionalCharities { RegionalCharities(client: client) }
    public var offers: OfferRepository { OfferRepository(client: client) }
    public var households: HouseholdRepository { HouseholdRepository(client: client, sealer: sealer) }
    public var needs: NeedRepository { NeedRepository(client: client) }
    public var matches: MatchRepository { MatchRepository(client: client, sealer: sealer) }
    public var feedback: FeedbackRepository { FeedbackRepository(client: client) }
    public var runs: MatchingRuns { MatchingRuns(client: client) }
    public var coolDowns: CoolDowns { CoolDowns(client: client) }
    public var candidates: CandidateRanking { CandidateRanking(client: client) }
    public var policies: WeightPolicyRepository { WeightPolicyRepository(client: client) }
    public var tokens: TokenRepository { TokenRepository(client: client) }
    public var users: UserRepository { UserRepository(client: client) }
    public var idempotencyKeys: IdempotencyKeys { IdempotencyKeys(client: client) }
    public var exports: MatchExport { MatchExport(client: client) }
    public var regions: RegionRepository { RegionRepository(client: client) }
    public var categories: CategoryRepository { CategoryRepository(client: client) }
    public var figures: DashboardFigures { DashboardFigures(client: client) }
    public var sessions: DashboardSessions { DashboardSessions(client: client) }
    public var inbox: InboxRepository { InboxRepository(client: client) }
    public var transfers: CaseTransferRepository { CaseTransferRepository(client: client, sealer: sealer) }
    public var aid: AidRecordRepository { AidRecordRepository(client: client) }
    public var takeovers: TakeoverRepository { TakeoverRepository(client: client) }
    public var timeLimits: TimeLimits { TimeLimits(client: client) }
    public var deadlines: CaseDeadlines { CaseDeadlines(client: client) }
    public var complaints: ComplaintRepository { ComplaintRepository(client: client) }
    public var evaluations: EvaluationRepository { EvaluationRepository(client: client) }
    public var audit: ScopedAuditLog { ScopedAuditLog(client: client) }
    public var statistics: PublicStatistics { PublicStatistics(client: client) }
    public var status: DatabaseStatus { DatabaseStatus(client: client) }

    /// The roster importer, logging counts (never a name) to `logger`.
    public func importer(logger: Logger) -> RosterImporter { RosterImporter(client: client, logger: logger) }
}
