import Synchronization

/// Work that must commit or roll back together with the next transaction the current task
/// runs through ``PostgresClient/withTransaction(isolation:maxAttempts:_:)``.
///
/// A caller that cannot reach inside a transaction it triggers (an HTTP layer recording an
/// `Idempotency-Key` next to whatever effect the request has) binds an attachment for the
/// duration of its call; the first transaction begun by that task runs the attachment's
/// work first, inside the same `BEGIN … COMMIT`. Later transactions in the task ignore it,
/// so a handler that writes twice attaches to its first write only.
public final class TransactionAttachment: Sendable {
    /// The attachment bound to the current task, if any.
    @TaskLocal public static var current: TransactionAttachment?

    private let work: @Sendable (PostgresConnection) throws -> Void
    private let state = Mutex(false)

    /// `work` runs first inside the next transaction; if it throws, that transaction fails.
    public init(_ work: @escaping @Sendable (PostgresConnection) throws -> Void) {
        self.work = work
    }

    /// Whether a transaction has taken this attachment (and so committed it, if it committed).
    public var isClaimed: Bool { state.withLock { $0 } }

    /// The work for the transaction about to begin, once per attachment.
    func claim() -> (@Sendable (PostgresConnection) throws -> Void)? {
        state.withLock { claimed in
            if claimed { return nil }
            claimed = true
            return work
        }
    }
}
