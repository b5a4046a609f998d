import Hummingbird
import Store

/// Every problem the API sends, one factory each, so a `type` URI means one thing forever.
extension Problem {
    static let typeBase = "https://charity-match.example/problems/"

    private static func make(
        _ slug: String, _ title: String, _ status: HTTPResponse.Status, _ detail: String,
        errors: [FieldError] = [], headers: HTTPFields = [:]
    ) -> Problem {
        Problem(
            type: typeBase + slug, title: title, status: status, detail: detail, errors: errors, headers: headers)
    }

    /// No token, or one that is unknown, revoked or expired; which of these is not said.
    static func unauthenticated() -> Problem {
        make(
            "unauthenticated", "Authentication required", .unauthorized,
            "Send a valid bearer token in the Authorization header.",
            headers: [.wwwAuthenticate: "Bearer realm=\"charity-match\""])
    }

    /// The caller's role may not do this at all (function-level check).
    static func forbidden(_ detail: String) -> Problem {
        make("forbidden", "Not allowed for your role", .forbidden, detail)
    }

    /// Missing, or outside the caller's reach: the two must look the same.
    static func notFound(_ entity: String, _ id: String) -> Problem {
        make("not-found", "Not found", .notFound, "\(entity) \(id) does not exist.")
    }

    static func routeNotFound() -> Problem {
        make("not-found", "Not found", .notFound, "There is no such resource.")
    }

    /// The path exists but not with this method; `Allow` lists the methods the contract
    /// declares for it (empty when the router alone knows).
    static func methodNotAllowed(allowed: [String] = []) -> Problem {
        let list = allowed.joined(separator: ", ")
        return make(
            "method-not-allowed", "Method not allowed", .methodNotAllowed,
            allowed.isEmpty ? "This resource does not answer that method." : "This resource answers \(list) only.",
            headers: allowed.isEmpty ? [:] : [.allow: list])
    }

    /// The body is not JSON at all; `detail` says where parsing stopped.
    static func malformedBody(_ detail: String) -> Problem {
        make("malformed-body", "Malformed request body", .badRequest, detail)
    }

    /// The body is JSON but breaks the contract or a domain rule; `errors` names each field.
    static func validation(_ errors: [FieldError]) -> Problem {
        let fields = errors.map(\.field).joined(separator: ", ")
        return make(
            "validation-failed", "Invalid request", .unprocessableContent,
            "Some fields are not acceptable: \(fields).", errors: errors)
    }

    /// A query or path parameter is not acceptable.
    static func invalidParameter(_ name: String, _ message: String) -> Problem {
        make(
            "invalid-parameter", "Invalid parameter", .badRequest, "Parameter \(name) \(message).",
            errors: [FieldError(field: name, message: message)])
    }

    /// Several query or path parameters are not acceptable, each named.
    static func invalidParameters(_ errors: [FieldError]) -> Problem {
        let names = errors.map(\.field).joined(separator: ", ")
        return make(
            "invalid-parameter", "Invalid parameter", .badRequest, "Some parameters are not acceptable: \(names).",
            errors: errors)
    }

    static func payloadTooLarge(limit: Int) -> Problem {
        make("payload-too-large", "Request body too large", .contentTooLarge, "The body may be at most \(limit) bytes.")
    }

    static func unsupportedMediaType(expected: String) -> Problem {
        make(
            "unsupported-media-type", "Unsupported media type", .unsupportedMediaType,
            "Send the body as \(expected).", headers: [.accept: expected])
    }

    static func conflict(_ detail: String, code: String? = nil) -> Problem {
        var problem = make("conflict", "Conflict", .conflict, detail)
        problem.code = code
        return problem
    }

    static func invalidTransition(_ detail: String) -> Problem {
        make("invalid-transition", "Not possible in the current state", .conflict, detail)
    }

    static func capacityExhausted(_ detail: String) -> Problem {
        make("capacity-exhausted", "Offer capacity exhausted", .conflict, detail)
    }

    /// A hand-made pair the engine would not make: each reason a run would give, by code.
    static func ineligiblePair(_ reasons: [String]) -> Problem {
        make(
            "ineligible-pair", "The offer cannot serve this need", .conflict,
            "A matching run would not pair this need with this offer: \(reasons.joined(separator: ", ")).",
            errors: reasons.map { FieldError(field: "/offer_id", message: $0) })
    }

    static func runInProgress(_ detail: String) -> Problem {
        make("run-in-progress", "Matching run in progress", .conflict, detail, headers: [.retryAfter: "30"])
    }

    /// `If-Match` named a version that is no longer current.
    static func preconditionFailed(_ detail: String) -> Problem {
        make("precondition-failed", "Precondition failed", .preconditionFailed, detail)
    }

    /// Updates must say which version they change, so no one overwrites a change unseen.
    static func preconditionRequired() -> Problem {
        make(
            "precondition-required", "If-Match required", .preconditionRequired,
            "Send If-Match with the ETag of the version you read.")
    }

    static func idempotencyKeyReused() -> Problem {
        make(
            "idempotency-key-reused", "Idempotency key reused", .unprocessableContent,
            "This Idempotency-Key was used for a different request; use a new key.")
    }

    static func rateLimited(retryAfterSeconds: Int) -> Problem {
        make(
            "rate-limited", "Too many requests", .tooManyRequests, "Slow down and retry after the given delay.",
            headers: [.retryAfter: String(retryAfterSeconds)])
    }

    /// Something we did not expect; the log has the request id, the client gets nothing more.
    static func internalError(requestID: String) -> Problem {
        make(
            "internal-error", "Internal error", .internalServerError,
            "The server failed to answer this request (request id \(requestID)).")
    }

    /// The Store's refusal in HTTP terms.
    init(_ error: StoreError) {
        switch error {
        case .notFound(let entity, let id): self = .notFound(entity.word, id)
        case .invalidTransition: self = .invalidTransition(error.description)
        case .capacityExhausted: self = .capacityExhausted(error.description)
        case .conflict(let reason): self = .conflict(reason.description, code: reason.code)
        case .invalid(let field, let reason): self = .validation([FieldError(field: "/" + field, message: reason)])
        case .runInProgress: self = .runInProgress(error.description)
        case .versionMismatch: self = .preconditionFailed(error.description)
        case .forbidden:
            self = .forbidden(error.description.prefix(1).uppercased() + error.description.dropFirst() + ".")
        case .ineligible(let reasons): self = .ineligiblePair(reasons)
        case .idempotencyKeyReused: self = .idempotencyKeyReused()
        case .idempotentReplay: self = .conflict(error.description)
        case .databaseUnavailable: self = .databaseUnavailable()
        case .databaseFailure: self = .internalError(requestID: "")
        }
    }
}
