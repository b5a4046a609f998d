import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// A bounded pool of libpq connections, run as a ServiceLifecycle `Service`.
///
/// libpq blocks, so every body runs on the client's own `NIOThreadPool` with one thread per
/// connection: neither a NIO event loop nor Swift's cooperative pool ever waits on the
/// database. Cancelling the calling task sends `PQcancel` to the server.
public final class PostgresClient: Service, Sendable {
    /// Pool sizing and patience.
    public struct Options: Sendable {
        /// Connections (and threads) at most; at least 1.
        public var maxConnections: Int
        /// How long a caller waits for a connection, a free one or a newly opened one, before
        /// ``PostgresError/Code/poolAcquireTimeout`` (or ``PostgresError/Code/timedOut`` when
        /// the server does not finish opening it in time).
        public var acquireTimeout: Duration
        /// How long one statement may run (`nil`: no limit). The server ends a slower one; a
        /// server that does not answer at all is given up on shortly after, the statement
        /// cancelled and the connection discarded, so a hung database cannot hold callers.
        public var statementTimeout: Duration?

        public init(maxConnections: Int = 4, acquireTimeout: Duration = .seconds(10), statementTimeout: Duration? = nil)
        {
            self.maxConnections = max(1, maxConnections)
            self.acquireTimeout = acquireTimeout
            self.statementTimeout = statementTimeout
        }
    }

    public let configuration: ConnectionConfiguration
    public let options: Options
    let logger: Logger
    private let threadPool: NIOThreadPool
    private let state = Mutex(PoolState())

    public init(configuration: ConnectionConfiguration, options: Options = Options(), logger: Logger) {
        self.configuration = configuration
        self.options = options
        self.logger = logger
        self.threadPool = NIOThreadPool(numberOfThreads: options.maxConnections)
        threadPool.start()
    }

    /// Runs until graceful shutdown, then closes every connection and the thread pool.
    public func run() async throws {
        try? await gracefulShutdown()
        await shutdown()
    }

    /// Refuses new work, fails waiting callers and closes idle connections. Connections in
    /// use are closed when their bodies finish.
    public func shutdown() async {
        let waiters = state.withLock { state in
            state.isShutDown = true
            state.open -= state.idle.count
            state.idle.removeAll()
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.continuation.resume(throwing: PostgresError.poolShutDownError) }
        try? await threadPool.shutdownGracefully()
    }

    /// Lends a connection to `body`, which runs on the pool's thread and may block.
    ///
    /// A connection that broke (or was left inside a transaction) is discarded instead of
    /// returned; a pooled connection whose backend died while idle is replaced before use.
    public func withConnection<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        // Each stale connection met is discarded, so after as many attempts as the pool
        // holds connections the next lease is a fresh one.
        let deadline = ContinuousClock.now + options.acquireTimeout
        for _ in 0...options.maxConnections {
            do {
                return try await lend(try await reserve(by: deadline), deadline: deadline, to: body)
            } catch is StaleConnection {
                continue
            }
        }
        throw PostgresError(code: .connectionClosed, reason: "every pooled connection had been closed by the server")
    }

    /// Runs `body` on the leased connection on the pool's thread.
    ///
    /// A pooled connection whose backend was terminated while it sat idle can slip past the
    /// liveness check; its first statement then fails with the server's FATAL 57P0x, which
    /// means that statement never ran. That case, and only that one, is retried once on a
    /// fresh connection (``StaleConnection``).
    private func lend<T: Sendable>(
        _ lease: Lease,
        deadline: ContinuousClock.Instant,
        to body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        let holder = CancellationTarget()
        return try await withTaskCancellationHandler {
            try await threadPool.runIfActive { [self] in
                let connection = try open(lease, by: deadline)
                holder.attach(connection)
                defer { release(connection) }
                do {
                    return try body(connection)
                } catch let error as PostgresError
                    where lease.isReused && connection.statementsSinceLease == 1
                    && error.sqlState?.rawValue.hasPrefix("57P") == true
                {
                    throw StaleConnection()
                }
            }
        } onCancel: {
            holder.cancel()
        }
    }

    /// Holds one connection across several steps, for work that interleaves SQL on it with
    /// waiting for other connections, such as a transaction whose snapshot other connections
    /// import (`pg_export_snapshot`) to read the same data in parallel. Each
    /// ``ReservedConnection/run(_:)`` runs its body on the pool's thread. A connection left
    /// inside a transaction is discarded on release, never reused.
    public func withReservedConnection<T: Sendable>(
        _ body: (ReservedConnection) async throws -> T
    ) async throws -> T {
        let deadline = ContinuousClock.now + options.acquireTimeout
        let lease = try await reserve(by: deadline)
        let connection = try await threadPool.runIfActive { [self] in try open(lease, by: deadline) }
        let reserved = ReservedConnection(connection: connection, threadPool: threadPool)
        do {
            let result = try await body(reserved)
            release(connection)
            return result
        } catch {
            release(connection)
            throw error
        }
    }

    /// Runs one statement and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [(any PostgresEncodable)?] = []) async throws -> PostgresRows {
        try await withConnection { try $0.query(sql, parameters) }
    }

    /// Runs one statement with non-NULL parameters and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable]) async throws -> PostgresRows {
        try await withConnection { try $0.query(sql, parameters) }
    }

    // MARK: - Pool state

    private func reserve(by deadline: ContinuousClock.Instant) async throws -> Lease {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Lease, any Error>) in
                let immediate: Result<Lease, PostgresError>? = state.withLock { state in
                    if state.isShutDown { return .failure(PostgresError.poolShutDownError) }
                    if Task.isCancelled { return .failure(PostgresError.cancelledWhileWaiting) }
                    if let connection = state.idle.popLast() { return .success(.connection(connection)) }
                    if state.open < options.maxConnections {
                        state.open += 1
                        return .success(.slot)
                    }
                    state.waiters.append(Waiter(id: id, deadline: deadline, continuation: continuation))
                    if !state.isReaping {
                        state.isReaping = true
                        Task { await self.reapExpiredWaiters() }
                    }
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            failWaiter(id, with: PostgresError.cancelledWhileWaiting)
        }
    }

    /// One task per pool, alive only while callers wait, fails those whose acquire timeout
    /// passed. Waiters queue in arrival order with one timeout, so the first expires first.
    private func reapExpiredWaiters() async {
        while true {
            let next: ContinuousClock.Instant? = state.withLock { state in
                guard let first = state.waiters.first else {
                    state.isReaping = false
                    return nil
                }
                return first.deadline
            }
            guard let next else { return }
            try? await Task.sleep(until: next, tolerance: .milliseconds(5))
            let now = ContinuousClock.now
            let expired = state.withLock { state in
                let count = state.waiters.prefix { $0.deadline <= now }.count
                defer { state.waiters.removeFirst(count) }
                return Array(state.waiters.prefix(count))
            }
            for waiter in expired {
                waiter.continuation.resume(throwing: PostgresError.acquireTimeout(options.acquireTimeout))
            }
        }
    }

    private func failWaiter(_ id: Int, with error: PostgresError) {
        let waiter = state.withLock { state in
            state.waiters.firstIndex { $0.id == id }.map { state.waiters.remove(at: $0) }
        }
        waiter?.continuation.resume(throwing: error)
    }

    /// Runs on the thread pool: turns a lease into a usable connection, opening a new one
    /// only until the caller's acquire deadline.
    private func open(_ lease: Lease, by deadline: ContinuousClock.Instant) throws -> PostgresConnection {
        if case .connection(let connection) = lease {
            if connection.isAlive {
                connection.startLease()
                return connection
            }
            logger.info("postgres: discarding a pooled connection whose server side closed")
        }
        do {
            let connection = try PostgresConnection.connect(
                configuration, by: deadline, statementTimeout: options.statementTimeout, logger: logger)
            connection.startLease()
            return connection
        } catch {
            releaseSlot()
            throw error
        }
    }

    private func release(_ connection: PostgresConnection) {
        let reusable = connection.isReusable
        let waiter: (Waiter, Lease)? = state.withLock { state in
            if state.isShutDown {
                state.open -= 1
                return nil
            }
            if !state.waiters.isEmpty {
                return (state.waiters.removeFirst(), reusable ? .connection(connection) : .slot)
            }
            if reusable {
                state.idle.append(connection)
            } else {
                state.open -= 1
            }
            return nil
        }
        if !reusable { logger.info("postgres: discarding a connection that broke or was left in a transaction") }
        if let (waiter, lease) = waiter { waiter.continuation.resume(returning: lease) }
    }

    private func releaseSlot() {
        let waiter: Waiter? = state.withLock { state in
            if !state.isShutDown, !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.open -= 1
            return nil
        }
        waiter?.continuation.resume(returning: .slot)
    }
}

/// A connection held by ``PostgresClient/withReservedConnection(_:)``.
public struct ReservedConnection: Sendable {
    fileprivate let connection: PostgresConnection
    fileprivate let threadPool: NIOThreadPool

    /// Runs `body` on the pool's thread with the held connection; cancelling the calling task
    /// sends `PQcancel`.
    public func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws -> T) async throws -> T {
        let holder = CancellationTarget()
        let connection = self.connection
        return try await withTaskCancellationHandler {
            try await threadPool.runIfActive {
                holder.attach(connection)
                return try body(connection)
            }
        } onCancel: {
            holder.cancel()
        }
    }
}

/// What a caller is granted: an open connection, or the right to open one.
private enum Lease: Sendable {
    case connection(PostgresConnection)
    case slot

    /// Whether the lease hands over a connection that was open before.
    var isReused: Bool {
        if case .connection = self { return true }
        return false
    }
}

/// The first statement on a reused connection met a backend that had already been ended.
private struct StaleConnection: Error {}

private struct Waiter: Sendable {
    let id: Int
    let deadline: ContinuousClock.Instant
    let continuation: CheckedContinuation<Lease, any Error>
}

private struct PoolState: Sendable {
    var idle: [PostgresConnection] = []
    var open = 0
    var waiters: [Waiter] = []
    var nextWaiterID = 0
    var isShutDown = false
    var isReaping = false
}

/// Joins a task's cancellation with the connection it is using, whichever comes first.
private final class CancellationTarget: Sendable {
    private let state = Mutex<(connection: PostgresConnection?, cancelled: Bool)>((nil, false))

    func attach(_ connection: PostgresConnection) {
        let cancelled = state.withLock { state in
            state.connection = connection
            return state.cancelled
        }
        if cancelled { connection.cancel() }
    }

    func cancel() {
        let connection = state.withLock { state in
            state.cancelled = true
            return state.connection
        }
        connection?.cancel()
    }
}

extension PostgresError {
    static let poolShutDownError = PostgresError(code: .poolShutDown, reason: "the pool has been shut down")
    static let cancelledWhileWaiting = PostgresError(
        code: .cancelled,
        reason: "the task was cancelled while waiting for a connection"
    )

    static func acquireTimeout(_ timeout: Duration) -> PostgresError {
        PostgresError(
            code: .poolAcquireTimeout,
            reason: "no connection became free within \(timeout); all are busy"
        )
    }
}
