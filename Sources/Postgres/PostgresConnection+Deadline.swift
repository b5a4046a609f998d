import CLibPQ
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Deadlines enforced from this side of the socket.
///
/// A server that hangs (stopped, partitioned, stuck on a lock it never gets) sends nothing,
/// so a blocking `PQgetResult` or `PQconnectdb` would wait forever and hold a pool thread.
/// Instead the connection waits on `PQsocket` with `poll` until a deadline; when it passes,
/// the statement is cancelled (the cancel request goes out on a thread of its own, because
/// `PQcancel` itself blocks until a hung server reads it) and the connection is abandoned,
/// never lent again.
extension PostgresConnection {
    /// Opens a connection without blocking past `deadline` (libpq's non-blocking connect,
    /// polled on the socket); `nil` waits as long as libpq does.
    static func openHandle(
        _ configuration: ConnectionConfiguration,
        by deadline: ContinuousClock.Instant?
    ) throws(PostgresError) -> OpaquePointer {
        let parameters = configuration.connectParameters
        let started = withCStringArray(parameters.map(\.0)) { keywords in
            withCStringArray(parameters.map(\.1)) { values in
                deadline == nil ? PQconnectdbParams(keywords, values, 1) : PQconnectStartParams(keywords, values, 1)
            }
        }
        guard let handle = started else {
            throw PostgresError(code: .connectionFailed, reason: "libpq could not allocate a connection")
        }
        if let deadline, PQstatus(handle) != CONNECTION_BAD {
            var status = PGRES_POLLING_WRITING
            while status != PGRES_POLLING_OK && status != PGRES_POLLING_FAILED {
                let events = status == PGRES_POLLING_READING ? POLLIN : POLLOUT
                guard wait(for: events, on: PQsocket(handle), until: deadline) else {
                    PQfinish(handle)
                    throw PostgresError(
                        code: .timedOut, reason: "the database did not accept a connection in time")
                }
                status = PQconnectPoll(handle)
            }
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = scrub(lastError(of: handle), password: configuration.password)
            PQfinish(handle)
            throw PostgresError(code: .connectionFailed, reason: message)
        }
        return handle
    }

    /// Waits until the next `PQgetResult` will not block, or throws ``PostgresError/Code/timedOut``
    /// once the statement's deadline has passed.
    func awaitResult(by deadline: ContinuousClock.Instant?) throws(PostgresError) {
        guard let deadline else { return }
        while PQisBusy(handle) == 1 {
            guard Self.wait(for: POLLIN, on: PQsocket(handle), until: deadline) else {
                throw abandonAfterTimeout()
            }
            guard PQconsumeInput(handle) == 1 else { throw connectionError() }
        }
    }

    /// When the statement now being sent must have answered, or `nil` for no limit.
    func statementDeadline() -> ContinuousClock.Instant? {
        statementTimeout.map { ContinuousClock.now + $0 + Self.clientGrace }
    }

    /// The server's own `statement_timeout` ends a slow statement cleanly and keeps the
    /// connection; this side waits a little longer, so it only gives up on a server that
    /// does not answer at all.
    static let clientGrace = Duration.milliseconds(500)

    /// Marks the connection as unusable, asks the server to stop the statement, and says why.
    private func abandonAfterTimeout() -> PostgresError {
        markAbandoned()
        sendCancelInBackground()
        let limit = statementTimeout.map { " within \($0 + Self.clientGrace)" } ?? ""
        return PostgresError(code: .timedOut, reason: "the database did not answer\(limit)")
    }

    /// Sends `PQcancel` from a thread of its own, at most one at a time per connection: a
    /// hung server makes it wait, and no pool thread or event loop may wait with it.
    func sendCancelInBackground() {
        guard beginCancelRequest() else { return }
        Thread.detachNewThread { [self] in
            sendCancelNow()
            endCancelRequest()
        }
    }

    /// Polls `socket` for `events` until `deadline`; false when the deadline passed first.
    static func wait(for events: Int32, on socket: Int32, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return false }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1_000 + attoseconds / 1_000_000_000_000_000 + 1)
            var descriptor = pollfd(fd: socket, events: Int16(events), revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }
        }
    }
}
