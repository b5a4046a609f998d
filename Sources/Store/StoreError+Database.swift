import Postgres

extension StoreError {
    /// The Store's reading of any error a Store call threw: its own refusals as they are, a
    /// database that cannot be reached (connection lost or refused, pool exhausted or shut
    /// down, server shutting down or starting, statement cancelled by a deadline) as
    /// ``databaseUnavailable``, and any other database error as ``databaseFailure(code:)``
    /// with its SQLSTATE, never its message (which can quote input). Anything else is nil:
    /// not the Store's to explain.
    public init?(translating error: any Error) {
        switch error {
        case let error as StoreError: self = error
        case let error as PostgresError where error.meansDatabaseUnavailable: self = .databaseUnavailable
        case let error as PostgresError:
            self = .databaseFailure(code: error.sqlState?.rawValue ?? error.code.description)
        default: return nil
        }
    }
}

extension PostgresError {
    /// Errors that mean "no database right now" rather than "this request is wrong":
    /// connection failures (SQLSTATE class 08), administrator shutdown (57P01), the server
    /// starting up (57P03), and a statement cancelled by its deadline (57014).
    var meansDatabaseUnavailable: Bool {
        [.connectionFailed, .connectionClosed, .timedOut, .poolAcquireTimeout, .poolShutDown].contains(code)
            || sqlState?.rawValue.hasPrefix("08") == true
            || ["57P01", "57P03", "57014"].contains(sqlState?.rawValue)
    }
}
