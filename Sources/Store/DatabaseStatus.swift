import Postgres

/// Whether the database answers, for readiness probes.
public struct DatabaseStatus: Sendable {
    private let client: PostgresClient

    public init(client: PostgresClient) {
        self.client = client
    }

    /// True when `SELECT 1` completes within `timeout`. A hung server or an exhausted pool
    /// answers `false` at the deadline instead of hanging the probe.
    public func isReachable(within timeout: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                (try? await client.query("SELECT 1")) != nil
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
