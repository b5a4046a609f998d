import Hummingbird
import Store

/// Everything the handlers need, built once per process from the Store's ``Database``.
public struct APIServices: Sendable {
    let store: Database
    let sealer: IDNumberSealer
    let contract: APIContract
    let categories: CategoryCatalogue
    let metrics: APIMetrics
    let rateLimit: RateLimit

    let charities: CharityRepository
    let offers: OfferRepository
    let households: HouseholdRepository
    let aid: AidRecordRepository
    let needs: NeedRepository
    let matches: MatchRepository
    let runs: MatchingRuns
    let policies: WeightPolicyRepository
    let tokens: TokenRepository
    let users: UserRepository
    let idempotencyKeys: IdempotencyKeys
    let exports: MatchExport
    let ranking: CandidateRanking
    let statistics: PublicStatistics
    let database: DatabaseStatus
    let sessions: DashboardSessions

    /// Requests per second per caller, with bursts; `perSecond == 0` turns limiting off.
    public struct RateLimit: Sendable {
        public var perSecond: Double
        public var burst: Double

        public init(perSecond: Double = 50, burst: Double = 100) {
            self.perSecond = perSecond
            self.burst = burst
        }
    }

    /// Loads the contract and the category catalogue; fails when either cannot be read.
    public init(
        store: Database, rateLimit: RateLimit = RateLimit(), metrics: APIMetrics = APIMetrics()
    ) async throws {
        self.store = store
        self.sealer = store.sealer
        self.contract = try APIContract.bundled()
        self.categories = try await CategoryCatalogue(store.categories.all())
        self.metrics = metrics
        self.rateLimit = rateLimit
        charities = store.charities
        offers = store.offers
        households = store.households
        aid = store.aid
        needs = store.needs
        matches = store.matches
        runs = store.runs
        policies = store.policies
        tokens = store.tokens
        users = store.users
        idempotencyKeys = store.idempotencyKeys
        exports = store.exports
        ranking = store.candidates
        statistics = store.statistics
        database = store.status
        sessions = store.sessions
    }
}

/// The aid taxonomy by code and by id. Migrations own it, so it is read once at start-up
/// and the API speaks codes (`material.food`) while the Store keeps ids.
struct CategoryCatalogue: Sendable {
    private let byCode: [String: CategoryRecord]
    private let byID: [Int64: CategoryRecord]

    init(_ records: [CategoryRecord]) {
        byCode = Dictionary(records.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        byID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The id of a category named in a body field; an unknown code is a 422 on that field.
    func id(of code: String, field: String) throws -> Int64 {
        guard let record = byCode[code] else {
            throw Problem.validation([.init(field: field, message: "is not a known category code")])
        }
        return record.id
    }

    /// The id of a category named in a query parameter.
    func id(ofParameter code: String, name: String) throws -> Int64 {
        guard let record = byCode[code] else { throw Problem.invalidParameter(name, "is not a known category code") }
        return record.id
    }

    func code(of id: Int64) -> String { byID[id]?.code ?? String(id) }
}

extension APIServices {
    /// The request's JSON body, checked against the contract and decoded; see ``JSONBody``.
    func body<T: Decodable>(_ type: T.Type, _ request: Request, _ context: APIRequestContext) async throws -> T {
        try await JSONBody.decode(type, from: request, context: context, contract: contract)
    }
}
