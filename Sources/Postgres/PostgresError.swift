/// The one error type of the `Postgres` module.
///
/// Modelled on postgres-nio's `PSQLError`: `description` is deliberately generic. It names
/// the kind of failure, the SQLSTATE and schema object names, never parameters, row data or
/// the server's free-text message (which can quote input values, such as
/// `invalid input syntax for type integer: "…"`). Code that knows the message is safe to
/// show may read ``serverMessage`` explicitly.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; stable across releases so callers can switch on it.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable {
            case invalidConnectionString
            case connectionFailed
            case connectionClosed
            case server
            case decoding
            case encoding
            case copyFailed
            case cancelled
            case timedOut
            case poolAcquireTimeout
            case poolShutDown
            case transactionRetriesExhausted
            case protocolViolation
        }

        let base: Base

        /// The connection string or URL could not be parsed.
        public static let invalidConnectionString = Code(base: .invalidConnectionString)
        /// No connection could be established (unreachable, refused, authentication…).
        public static let connectionFailed = Code(base: .connectionFailed)
        /// The connection broke while in use.
        public static let connectionClosed = Code(base: .connectionClosed)
        /// The server rejected a statement; see ``PostgresError/sqlState``.
        public static let server = Code(base: .server)
        /// A column's value could not be decoded into the requested Swift type.
        public static let decoding = Code(base: .decoding)
        /// A Swift value could not be turned into a parameter.
        public static let encoding = Code(base: .encoding)
        /// A `COPY … FROM STDIN` was aborted.
        public static let copyFailed = Code(base: .copyFailed)
        /// The statement was cancelled because its task was cancelled.
        public static let cancelled = Code(base: .cancelled)
        /// The server did not answer within the statement timeout (or the connection deadline),
        /// or ended the statement at its `statement_timeout`.
        public static let timedOut = Code(base: .timedOut)
        /// No pooled connection became free within the acquire timeout.
        public static let poolAcquireTimeout = Code(base: .poolAcquireTimeout)
        /// The pool has been shut down.
        public static let poolShutDown = Code(base: .poolShutDown)
        /// A transaction kept failing with serialization failures or deadlocks.
        public static let transactionRetriesExhausted = Code(base: .transactionRetriesExhausted)
        /// libpq answered in a way this module does not expect.
        public static let protocolViolation = Code(base: .protocolViolation)

        public var description: String { base.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// The server's SQLSTATE, when the server reported the error.
    public var sqlState: SQLState?
    /// The server's primary message. It may quote input values: never log it unreviewed.
    public var serverMessage: String?
    /// The schema, table, column and constraint the server named, if any (never data).
    public var schemaName: String?
    public var tableName: String?
    public var columnName: String?
    public var constraintName: String?
    /// For `COPY`: the 1-based input line the server rejected.
    public var copyLine: Int?
    /// A short reason written by this module; it never contains parameters or row data.
    public var reason: String?

    public init(
        code: Code,
        sqlState: SQLState? = nil,
        serverMessage: String? = nil,
        reason: String? = nil
    ) {
        self.code = code
        self.sqlState = sqlState
        self.serverMessage = serverMessage
        self.reason = reason
    }

    public var description: String {
        var parts = ["code: \(code)"]
        if let sqlState { parts.append("sqlState: \(sqlState.rawValue)") }
        if let reason { parts.append("reason: \(reason)") }
        if let tableName { parts.append("table: \(tableName)") }
        if let columnName { parts.append("column: \(columnName)") }
        if let constraintName { parts.append("constraint: \(constraintName)") }
        if let copyLine { parts.append("line: \(copyLine)") }
        return "PostgresError(\(parts.joined(separator: ", ")))"
    }
}

/// A five-character SQLSTATE with names for the states callers act on.
public struct SQLState: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public static let uniqueViolation = SQLState(rawValue: "23505")
    public static let foreignKeyViolation = SQLState(rawValue: "23503")
    public static let checkViolation = SQLState(rawValue: "23514")
    public static let notNullViolation = SQLState(rawValue: "23502")
    public static let serializationFailure = SQLState(rawValue: "40001")
    public static let deadlockDetected = SQLState(rawValue: "40P01")
    public static let queryCanceled = SQLState(rawValue: "57014")
    public static let adminShutdown = SQLState(rawValue: "57P01")
    public static let insufficientPrivilege = SQLState(rawValue: "42501")
    public static let invalidTextRepresentation = SQLState(rawValue: "22P02")
    public static let lockNotAvailable = SQLState(rawValue: "55P03")
    public static let featureNotSupported = SQLState(rawValue: "0A000")

    /// Serialization failures and deadlocks: the transaction may succeed if run again.
    public var isRetryable: Bool { self == .serializationFailure || self == .deadlockDetected }

    public var description: String { rawValue }
}
