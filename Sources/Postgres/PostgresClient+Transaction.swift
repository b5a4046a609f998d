import Logging

extension PostgresConnection {
    /// How strictly a transaction is isolated from concurrent ones.
    public enum IsolationLevel: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    /// Runs `body` inside `BEGIN … COMMIT`; any error rolls everything back.
    public func transaction<T>(
        isolation: IsolationLevel = .readCommitted,
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        try executeScript("BEGIN ISOLATION LEVEL \(isolation.rawValue)")
        do {
            let result = try body(self)
            try executeScript("COMMIT")
            return result
        } catch {
            rollback()
            throw error
        }
    }

    /// Rolls back even after a cancellation, so the connection is clean for its next user.
    private func rollback() {
        resetCancellation()
        do {
            try executeScript("ROLLBACK")
        } catch {
            logger.debug("postgres: rollback failed; the connection will be discarded")
        }
    }
}

extension PostgresClient {
    /// Runs `body` in a transaction on a pooled connection, and runs it again (up to
    /// `maxAttempts` in all, with a short randomised pause) when the server reports a
    /// serialization failure (40001) or a deadlock (40P01), the two errors that mean
    /// "the same work may well succeed now".
    public func withTransaction<T: Sendable>(
        isolation: PostgresConnection.IsolationLevel = .readCommitted,
        maxAttempts: Int = 4,
        _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await withConnection {
                    try $0.transaction(isolation: isolation) { connection in
                        return try body(connection)
                    }
                }
            } catch let error as PostgresError where error.sqlState?.isRetryable == true {
                guard attempt < maxAttempts else {
                    throw PostgresError(
                        code: .transactionRetriesExhausted,
                        sqlState: error.sqlState,
                        reason: "the transaction failed \(attempt) times with retryable errors"
                    )
                }
                logger.debug(
                    "postgres: retrying transaction", metadata: ["sqlstate": "\(error.sqlState?.rawValue ?? "")"])
                try await Task.sleep(for: .milliseconds(Int.random(in: 5...20) * attempt))
                attempt += 1
            }
        }
    }

    /// Streams rows into `COPY … FROM STDIN` on a pooled connection; see
    /// ``PostgresConnection/copyFrom(_:_:)``.
    @discardableResult
    public func copyFrom(
        _ sql: String,
        _ writeRows: @escaping @Sendable (inout CopyWriter) throws -> Void
    ) async throws -> Int {
        try await withConnection { try $0.copyFrom(sql, writeRows) }
    }
}
