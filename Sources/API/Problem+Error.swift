import Hummingbird
import Logging
import NIOCore
import Postgres
import Store

extension Problem {
    /// The problem to send for any error a handler threw: ours pass through, the Store's and
    /// Hummingbird's are translated, an unreachable database is a quick 503, and anything
    /// else is a 500 whose details go to the log only (by code, never by message, since a
    /// server message can quote a value).
    static func answering(_ error: any Error, requestID: String, logger: Logger) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as StoreError:
            return Problem(error)
        case let error as HTTPError:
            return Problem(error)
        case let error as NIOTooManyBytesError:
            return .payloadTooLarge(limit: error.maxBytes ?? JSONBody.maximumBytes)
        case let error as PostgresError where error.meansDatabaseUnavailable:
            logger.warning(
                "database unavailable", metadata: ["code": "\(error.code)", "request_id": .string(requestID)])
            return .databaseUnavailable()
        case let error as PostgresError:
            logger.error(
                "database error",
                metadata: [
                    "code": "\(error.code)", "sqlstate": .string(error.sqlState?.rawValue ?? ""),
                    "constraint": .string(error.constraintName ?? ""), "request_id": .string(requestID),
                ])
            return .internalError(requestID: requestID)
        default:
            logger.error(
                "unexpected error", metadata: ["type": "\(Swift.type(of: error))", "request_id": .string(requestID)])
            return .internalError(requestID: requestID)
        }
    }

    /// Hummingbird's own refusals (no route, bad path parameter, body too large).
    init(_ error: HTTPError) {
        switch error.status {
        case .notFound: self = .routeNotFound()
        case .methodNotAllowed: self = .methodNotAllowed()
        case .contentTooLarge: self = .payloadTooLarge(limit: JSONBody.maximumBytes)
        case .unsupportedMediaType: self = .unsupportedMediaType(expected: "application/json")
        default:
            self.init(
                type: Problem.typeBase + "bad-request", title: "Bad request", status: error.status,
                detail: error.body ?? "The request is not acceptable.")
        }
    }
}

extension PostgresError {
    /// Errors that mean "no database right now" rather than "this request is wrong".
    var meansDatabaseUnavailable: Bool {
        [.connectionFailed, .connectionClosed, .timedOut, .poolAcquireTimeout, .poolShutDown].contains(code)
            || sqlState?.rawValue.hasPrefix("08") == true || sqlState?.rawValue == "57P01"
            || sqlState?.rawValue == "57P03"
    }
}
