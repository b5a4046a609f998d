import Logging
import ServiceLifecycle
import Store

/// The housekeeping a serving process does every minute: expire match holds that lapsed
/// (releasing their units), expire needs past their `needed_by` and remind charities of
/// holds lapsing within a day (限时办理), forget idempotency keys older than a day and
/// dashboard sessions that ended. Several processes
/// may run it side by side; the sweep skips rows another process is working on.
public struct MaintenanceService: Service {
    let matches: MatchRepository
    let keys: IdempotencyKeys
    let sessions: DashboardSessions
    let deadlines: CaseDeadlines
    let interval: Duration
    let logger: Logger

    public init(services: APIServices, interval: Duration = .seconds(60), logger: Logger) {
        matches = services.matches
        keys = services.idempotencyKeys
        sessions = services.sessions
        deadlines = services.store.deadlines
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { [self] in await sweepForever() }
    }

    private func sweepForever() async {
        while !Task.isCancelled {
            do {
                let expired = try await matches.expireStaleHolds()
                let expiredNeeds = try await deadlines.expireNeedsPastNeededBy()
                let reminded = try await deadlines.remindLapsingHolds()
                let forgotten = try await keys.purge(olderThan: .seconds(86_400))
                try await sessions.purgeExpired()
                if expired > 0 || forgotten > 0 || expiredNeeds > 0 || reminded > 0 {
                    logger.info(
                        "maintenance",
                        metadata: [
                            "expired_matches": "\(expired)", "purged_keys": "\(forgotten)",
                            "expired_needs": "\(expiredNeeds)", "hold_reminders": "\(reminded)",
                        ])
                }
            } catch {
                logger.warning(
                    "maintenance failed; retrying next interval", metadata: ["type": "\(Swift.type(of: error))"])
            }
            try? await Task.sleep(for: interval)
        }
    }
}
