import CLibPQ
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One libpq connection.
///
/// Every method except ``cancel()`` blocks the calling thread, so it is meant to be used
/// inside ``PostgresClient/withConnection(_:)``, which runs the body on the client's
/// dedicated thread pool. The class is `Sendable` because the pool hands it to one body at
/// a time; ``cancel()`` alone may be called from any thread while a statement runs.
public final class PostgresConnection: @unchecked Sendable {
    let handle: OpaquePointer
    private let cancelHandle: OpaquePointer?
    private let noticeSink: NoticeSink
    private let password: String?
    private let cancelRequested = Atomic<Bool>(false)
    /// Set when this side gave up waiting for the server: the connection is never used again.
    private let abandoned = Atomic<Bool>(false)
    private let cancelInFlight = Atomic<Bool>(false)
    /// The current statement timeout; only the thread using the connection touches it.
    private(set) var statementTimeout: Duration?
    /// Set when the server said the session is over (SQLSTATE class 57P), which libpq may
    /// not have noticed yet; only the thread using the connection touches it.
    private var serverEndedSession = false
    private var preparedStatements: [PreparedKey: String] = [:]
    private var preparedStatementCounter = 0
    private static let preparedStatementLimit = 256
    let logger: Logger

    /// Opens a connection, blocking until it is ready or has failed.
    ///
    /// Every session plans each execution of a prepared statement for its own parameters
    /// (`plan_cache_mode = force_custom_plan`): statements are prepared to save parsing, but
    /// the generic plan PostgreSQL would switch to after five runs cannot see through
    /// `LIKE $1 || '%'` or an optional filter, and a region-scoped match list went from
    /// under a millisecond to 16 ms with it.
    ///
    /// `deadline` bounds the whole opening (`nil`: libpq's own `connect_timeout`, if any);
    /// `statementTimeout` bounds every statement: the server's `statement_timeout`, and a
    /// little later this side gives up on a server that does not answer at all.
    public static func connect(
        _ configuration: ConnectionConfiguration,
        by deadline: ContinuousClock.Instant? = nil,
        statementTimeout: Duration? = nil,
        logger: Logger
    ) throws(PostgresError) -> PostgresConnection {
        let handle = try openHandle(configuration, by: deadline)
        let connection = PostgresConnection(handle: handle, password: configuration.password, logger: logger)
        connection.statementTimeout = statementTimeout
        try connection.executeScript(
            "SET DateStyle TO 'ISO, YMD'; SET TimeZone TO 'UTC'; SET IntervalStyle TO 'iso_8601';"
                + " SET extra_float_digits TO 3; SET plan_cache_mode TO force_custom_plan;"
                + " SET statement_timeout TO \(Self.milliseconds(statementTimeout));"
        )
        return connection
    }

    /// Runs `body` with no statement deadline on this connection, then restores the one it
    /// had: for work that is long by nature (a county's matching run) on a pool whose
    /// statements are otherwise bounded so that a hung database cannot hold a request.
    /// Call it outside a transaction (a `SET` inside one is undone by its rollback).
    public func withoutStatementTimeout<T>(_ body: () throws -> T) throws -> T {
        let saved = try replaceStatementTimeout(with: nil)
        defer { _ = try? replaceStatementTimeout(with: saved) }
        return try body()
    }

    /// Sets this connection's statement deadline (nil: none), on the server and on this
    /// side, and returns the one it had; outside a transaction, as for
    /// ``withoutStatementTimeout(_:)``.
    @discardableResult
    public func replaceStatementTimeout(with timeout: Duration?) throws -> Duration? {
        let saved = statementTimeout
        guard timeout != saved else { return saved }
        try executeScript("SET statement_timeout TO \(Self.milliseconds(timeout))")
        statementTimeout = timeout
        return saved
    }

    /// `statement_timeout` in milliseconds, 0 meaning none.
    private static func milliseconds(_ duration: Duration?) -> Int64 {
        guard let duration else { return 0 }
        let (seconds, attoseconds) = duration.components
        return max(1, seconds * 1_000 + attoseconds / 1_000_000_000_000_000)
    }

    private init(handle: OpaquePointer, password: String?, logger: Logger) {
        self.handle = handle
        self.cancelHandle = PQgetCancel(handle)
        self.password = password
        self.logger = logger
        self.noticeSink = NoticeSink(logger: logger)
        PQsetClientEncoding(handle, "UTF8")
        PQsetNoticeReceiver(handle, noticeReceiver, Unmanaged.passUnretained(noticeSink).toOpaque())
    }

    deinit {
        if let cancelHandle { PQfreeCancel(cancelHandle) }
        PQfinish(handle)
    }

    /// The backend's process id, as `pg_backend_pid()` reports it.
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// True while the connection is open and not inside a transaction, so the pool may lend
    /// it to the next caller.
    var isReusable: Bool {
        !abandoned.load(ordering: .sequentiallyConsistent) && !serverEndedSession && !noticeSink.sessionEnded
            && PQstatus(handle) == CONNECTION_OK
            && PQtransactionStatus(handle) == PQTRANS_IDLE
    }

    /// Reads whatever the server sent while the connection sat idle, so a backend that was
    /// terminated meanwhile is noticed before the connection is lent out again. A killed
    /// backend sends an error and then closes the socket, which takes two reads to see.
    var isAlive: Bool {
        for _ in 0..<4 {
            guard PQstatus(handle) == CONNECTION_OK else { return false }
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 0) > 0 else { return true }
            guard PQconsumeInput(handle) == 1, !noticeSink.sessionEnded else { return false }
        }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Runs one statement with `$n` parameters and returns all its rows.
    ///
    /// Parameters travel separately from the SQL text, so no input ever becomes SQL.
    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable]) throws(PostgresError) -> PostgresRows {
        try query(sql, parameters.map { Optional($0) })
    }

    /// Runs one statement with `$n` parameters (`nil` is SQL NULL) and returns all its rows.
    @discardableResult
    public func query(
        _ sql: String,
        _ parameters: [(any PostgresEncodable)?] = []
    ) throws(PostgresError) -> PostgresRows {
        let encoded = try parameters.map { value throws(PostgresError) -> (String?, UInt32) in
            guard let value else { return (nil, 0) }
            return (try value.postgresText(), type(of: value).postgresType.oid)
        }
        try checkNotCancelled()
        let types = encoded.map { $0.1 }
        let values = encoded.map { $0.0 }
        let statement = try preparedName(for: sql, types: types)
        do {
            return try execute(sql, prepared: statement, types: types, values: values)
        } catch let error where error.sqlState == .featureNotSupported && statement != nil {
            // "cached plan must not change result type": the schema changed under a
            // prepared statement. Forget it, and run the statement afresh if no
            // transaction was aborted by the failure.
            preparedStatements[PreparedKey(sql: sql, types: types)] = nil
            guard PQtransactionStatus(handle) == PQTRANS_IDLE else { throw error }
            return try execute(sql, prepared: nil, types: types, values: values)
        }
    }

    private func execute(
        _ sql: String,
        prepared name: String?,
        types: [UInt32],
        values: [String?]
    ) throws(PostgresError) -> PostgresRows {
        let sent = withOptionalCStringArray(values) { values in
            if let name {
                PQsendQueryPrepared(handle, name, Int32(types.count), values, nil, nil, 0)
            } else {
                PQsendQueryParams(handle, sql, Int32(types.count), types, values, nil, nil, 0)
            }
        }
        guard sent == 1 else { throw connectionError() }
        cancelIfRequested()
        return PostgresRows(result: try lastResult())
    }

    /// Statements with parameters, and queries, are prepared once per connection and then
    /// executed by name, sparing the server a parse and plan per call. DDL and other
    /// one-off statements run unnamed; the cache stops growing at a fixed size.
    private func preparedName(for sql: String, types: [UInt32]) throws(PostgresError) -> String? {
        let key = PreparedKey(sql: sql, types: types)
        if let name = preparedStatements[key] { return name }
        let isQuery = sql.utf8.prefix(6).elementsEqual("SELECT".utf8) || sql.utf8.prefix(4).elementsEqual("WITH".utf8)
        guard !types.isEmpty || isQuery, preparedStatements.count < Self.preparedStatementLimit else { return nil }
        preparedStatementCounter += 1
        let name = "cm_\(preparedStatementCounter)"
        guard PQsendPrepare(handle, name, sql, Int32(types.count), types) == 1 else { throw connectionError() }
        _ = try lastResult()
        preparedStatements[key] = name
        return name
    }

    /// Runs a script of several statements without parameters (simple query protocol).
    ///
    /// Only for SQL the program itself owns, such as migration files: it accepts no input.
    public func executeScript(_ sql: String) throws(PostgresError) {
        try checkNotCancelled()
        guard PQsendQuery(handle, sql) == 1 else { throw connectionError() }
        cancelIfRequested()
        _ = try lastResult()
    }

    /// Quotes an identifier (a schema, database or channel name) with libpq's rules.
    public func escapeIdentifier(_ identifier: String) throws(PostgresError) -> String {
        let utf8 = Array(identifier.utf8)
        guard let escaped = PQescapeIdentifier(handle, identifier, utf8.count) else {
            throw PostgresError(code: .encoding, reason: "the identifier could not be escaped")
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }

    /// Asks the server to stop the running statement. Safe from any thread; a statement
    /// started after this call is refused too, until ``resetCancellation()``.
    public func cancel() {
        cancelRequested.store(true, ordering: .sequentiallyConsistent)
        sendCancelInBackground()
    }

    func resetCancellation() {
        cancelRequested.store(false, ordering: .sequentiallyConsistent)
    }

    /// Statements sent since the pool lent the connection out.
    private(set) var statementsSinceLease = 0

    func startLease() {
        resetCancellation()
        statementsSinceLease = 0
    }

    /// Called before every statement is sent.
    func checkNotCancelled() throws(PostgresError) {
        statementsSinceLease += 1
        if abandoned.load(ordering: .sequentiallyConsistent) {
            throw PostgresError(code: .timedOut, reason: "the connection was abandoned after a timeout")
        }
        if cancelRequested.load(ordering: .sequentiallyConsistent) {
            throw PostgresError(code: .cancelled, reason: "the task was cancelled")
        }
    }

    /// Closes the window between the check before sending and a cancel that arrived while
    /// the statement was being sent: the server ignores a cancel that comes before the query.
    func cancelIfRequested() {
        if cancelRequested.load(ordering: .sequentiallyConsistent) { sendCancelInBackground() }
    }

    func markAbandoned() {
        abandoned.store(true, ordering: .sequentiallyConsistent)
    }

    /// False when a cancel request for this connection is already on its way.
    func beginCancelRequest() -> Bool {
        cancelInFlight.compareExchange(expected: false, desired: true, ordering: .sequentiallyConsistent).exchanged
    }

    func endCancelRequest() {
        cancelInFlight.store(false, ordering: .sequentiallyConsistent)
    }

    /// Blocks until the server has read the cancel request (forever, if it is hung).
    func sendCancelNow() {
        guard let cancelHandle else { return }
        var buffer = [CChar](repeating: 0, count: 256)
        if PQcancel(cancelHandle, &buffer, Int32(buffer.count)) == 0 {
            logger.debug("postgres cancel request failed")
        }
    }

    /// Drains every result of the statement sent last and returns the final one, throwing
    /// the first error the server reported.
    func lastResult() throws(PostgresError) -> PostgresResult {
        var last: PostgresResult?
        var firstError: PostgresError?
        let deadline = statementDeadline()
        while true {
            try awaitResult(by: deadline)
            guard let raw = PQgetResult(handle) else { break }
            let result = PostgresResult(raw)
            switch PQresultStatus(raw) {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                last = result
            case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
                PQputCopyEnd(handle, "COPY must use copyFrom")
                firstError = firstError ?? PostgresError(code: .protocolViolation, reason: "unexpected COPY")
            default:
                firstError = firstError ?? serverError(from: result)
            }
        }
        if let firstError { throw firstError }
        if PQstatus(handle) != CONNECTION_OK { throw connectionError() }
        guard let last else {
            throw PostgresError(code: .protocolViolation, reason: "the server returned no result")
        }
        return last
    }

    func serverError(from result: PostgresResult) -> PostgresError {
        let state = result.errorField(.sqlState).map(SQLState.init(rawValue:))
        let cancelled = state == .queryCanceled && cancelRequested.load(ordering: .sequentiallyConsistent)
        let code: PostgresError.Code
        if state?.rawValue.hasPrefix("57P") == true {
            serverEndedSession = true
        }
        if cancelled {
            code = .cancelled
        } else if state == .queryCanceled {
            code = .timedOut
        } else if serverEndedSession || PQstatus(handle) != CONNECTION_OK {
            code = .connectionClosed
        } else {
            code = .server
        }
        var error = PostgresError(code: code, sqlState: state, serverMessage: result.errorField(.message))
        error.schemaName = result.errorField(.schema)
        error.tableName = result.errorField(.table)
        error.columnName = result.errorField(.column)
        error.constraintName = result.errorField(.constraint)
        error.copyLine = result.errorField(.context).flatMap(Self.copyLine(inContext:))
        return error
    }

    func connectionError() -> PostgresError {
        let code: PostgresError.Code = PQstatus(handle) == CONNECTION_OK ? .server : .connectionClosed
        return PostgresError(code: code, reason: Self.scrub(Self.lastError(of: handle), password: password))
    }

    /// `COPY t, line 5, column n: "…"` → 5; the quoted value is never read.
    static func copyLine(inContext context: String) -> Int? {
        guard context.hasPrefix("COPY "), let range = context.range(of: ", line ") else { return nil }
        let digits = context[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }

    static func lastError(of handle: OpaquePointer) -> String {
        guard let message = PQerrorMessage(handle) else { return "unknown libpq error" }
        let text = String(cString: message).trimmingWhitespace()
        return text.isEmpty ? "unknown libpq error" : String(text)
    }

    static func scrub(_ message: String, password: String?) -> String {
        guard let password, !password.isEmpty else { return message }
        return message.replacing(password, with: "…")
    }
}

private struct PreparedKey: Hashable {
    let sql: String
    let types: [UInt32]
}

/// Receives the server's notices. A FATAL message that arrives while the connection sits
/// idle (a terminated backend says goodbye before closing the socket) also lands here, and
/// marks the session as over. Only the thread using the connection touches it.
private final class NoticeSink: @unchecked Sendable {
    let logger: Logger
    var sessionEnded = false

    init(logger: Logger) { self.logger = logger }
}

private func noticeReceiver(_ argument: UnsafeMutableRawPointer?, _ raw: OpaquePointer?) {
    guard let argument, let raw else { return }
    let sink = Unmanaged<NoticeSink>.fromOpaque(argument).takeUnretainedValue()
    let severity = PQresultErrorField(raw, Int32(UInt8(ascii: "V"))).map { String(cString: $0) } ?? "NOTICE"
    let message = PQresultErrorField(raw, Int32(UInt8(ascii: "M"))).map { String(cString: $0) } ?? ""
    if severity == "FATAL" || severity == "PANIC" { sink.sessionEnded = true }
    sink.logger.notice("postgres \(severity.lowercased()): \(message)")
}

/// Passes `strings` to C as an array of `char *` (NULL entries for `nil`), terminated by a
/// NULL pointer when `nullTerminated` is set, valid only inside `body`.
func withOptionalCStringArray<R>(
    _ strings: [String?],
    nullTerminated: Bool = false,
    _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R
) -> R {
    let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
    defer { copies.forEach { free($0) } }
    var pointers = copies.map { $0.map { UnsafePointer($0) } }
    if nullTerminated || pointers.isEmpty { pointers.append(nil) }
    return pointers.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else { preconditionFailure("a non-empty array has storage") }
        return body(base)
    }
}

func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    withOptionalCStringArray(strings, nullTerminated: true, body)
}
