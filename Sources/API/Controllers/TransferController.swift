import Foundation
import Hummingbird
import Logging
import Store

/// `/v1/imports` and `/v1/exports`: the government roll in (the same CSV, checks and report
/// as `charity-match import`) and the coordinators' match list out.
struct TransferController {
    let services: APIServices
    let logger: Logger

    /// A county's roll runs to tens of thousands of rows; larger files go through the CLI.
    /// The file is read and checked piece by piece as it arrives, never held whole.
    static let maximumCSVBytes = 32 << 20

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("imports/households", use: importHouseholds)
        group.post("imports/needs", use: importNeeds)
        group.post("imports/aid", use: importAid)
        group.get("exports/matches.csv", use: exportMatches)
    }

    @Sendable func importHouseholds(_ request: Request, context: APIRequestContext) async throws -> Response {
        let options = try uploadOptions(request, context)
        var pieces = Self.pieces(of: request)
        let report = try await services.store.importer(logger: logger).importHouseholds(
            reading: { try await pieces.next() }, sealer: services.sealer, options: options)
        return try Self.answer(report)
    }

    @Sendable func importNeeds(_ request: Request, context: APIRequestContext) async throws -> Response {
        let options = try uploadOptions(request, context)
        var pieces = Self.pieces(of: request)
        let report = try await services.store.importer(logger: logger).importNeeds(
            reading: { try await pieces.next() }, options: options)
        return try Self.answer(report)
    }

    @Sendable func importAid(_ request: Request, context: APIRequestContext) async throws -> Response {
        let options = try uploadOptions(request, context, action: .recordAid)
        var pieces = Self.pieces(of: request)
        let report = try await services.store.importer(logger: logger).importAid(
            reading: { try await pieces.next() }, options: options)
        return try Self.answer(report)
    }

    @Sendable func exportMatches(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.exportMatches)
        let query = request.query
        let run = try query.id("run_id")
        let status = try query.code("status", as: MatchStatus.self)
        let language = try query.code("lang", as: MatchExport.HeaderLanguage.self) ?? .english
        let selection: MatchExport.Selection
        switch (run, status) {
        case (let run?, nil): selection = .run(run)
        case (nil, let status?): selection = .status(status)
        default: throw Problem.invalidParameter("run_id", "or status must be given, not both")
        }
        let bytes = try await services.exports.csv(
            selection, within: principal.regionLimit, language: language)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"matches.csv\"",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The report, unless the file was refused as a whole: then a 422 whose errors name the
    /// first 1,000 bad rows' lines and columns and whose detail gives the total; nothing was
    /// written.
    static func answer(_ report: ImportReport) throws -> Response {
        guard report.imported == 0, !report.isComplete else {
            return try JSONResponse.make(report, status: report.imported > 0 ? .created : .ok)
        }
        let listed =
            report.problemCount > report.problems.count ? "; the first \(report.problems.count) are listed" : ""
        throw Problem(
            type: Problem.typeBase + "validation-failed", title: "Invalid request", status: .unprocessableContent,
            detail: "The file has \(report.problemCount) problem(s)\(listed); nothing was imported.",
            errors: report.problems.map { problem in
                Problem.FieldError(
                    field: "line \(problem.line)" + (problem.column.map { ", column \($0)" } ?? ""),
                    message: problem.reason)
            })
    }

    /// The request body piece by piece, refused with 413 as soon as it passes the limit
    /// (at once when `Content-Length` says so).
    private static func pieces(of request: Request) -> UploadPieces {
        UploadPieces(body: request.body.makeAsyncIterator(), limit: maximumCSVBytes)
    }

    /// The import options: those allowed `action` only (caseworkers and admins), `text/csv`
    /// only, at most ``maximumCSVBytes``, `?partial=true` for a partial import.
    private func uploadOptions(
        _ request: Request, _ context: APIRequestContext, action: Action = .importRoster
    ) throws -> RosterImporter.Options {
        let principal = try context.requirePrincipal()
        try principal.authorize(action)
        guard MediaType.accepts(request.headers[.contentType], as: "text/csv") else {
            throw Problem.unsupportedMediaType(expected: "text/csv")
        }
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.maximumCSVBytes {
            throw Problem.payloadTooLarge(limit: Self.maximumCSVBytes)
        }
        let partial = try request.query.bool("partial") ?? false
        return RosterImporter.Options(
            mode: partial ? .partial : .allOrNothing, scope: principal.regionLimit, actor: principal.actor)
    }
}

/// An upload's body as the importer reads it: piece after piece, counted against the limit.
private struct UploadPieces {
    var body: RequestBody.AsyncIterator
    let limit: Int
    var received = 0

    mutating func next() async throws -> [UInt8]? {
        guard let buffer = try await body.next() else { return nil }
        received += buffer.readableBytes
        guard received <= limit else { throw Problem.payloadTooLarge(limit: limit) }
        return Array(buffer: buffer)
    }
}
