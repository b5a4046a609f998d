import Hummingbird
import Logging
import NIOCore
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
        case let error as HTTPError:
            return Problem(error)
        case let error as NIOTooManyBytesError:
            return .payloadTooLarge(limit: error.maxBytes ?? JSONBody.maximumBytes)
        default:
            if let storeError = StoreError(translating: error) {
                return answering(storeError, requestID: requestID, logger: logger)
            }
            logger.error(
                "unexpected error", metadata: ["type": "\(Swift.type(of: error))", "request_id": .string(requestID)])
            return .internalError(requestID: requestID)
        }
    }

    /// The Store's refusal; a database that cannot be reached is a quick 503 and any other
    /// database failure a 500 whose SQLSTATE goes to the log only.
    private static func answering(_ error: StoreError, requestID: String, logger: Logger) -> Problem {
        switch error {
        case .databaseUnavailable:
            logger.warning("database unavailable", metadata: ["request_id": .string(requestID)])
            return .databaseUnavailable()
        case .databaseFailure(let code):
            logger.error("database error", metadata: ["code": .string(code), "request_id": .string(requestID)])
            return .internalError(requestID: requestID)
        default:
            return Problem(error)
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
