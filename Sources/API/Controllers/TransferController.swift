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
    static let maximumCSVBytes = 32 << 20

    func addRoutes(to group: RouterGroup<APIRequestContext>) {
        group.post("imports/households", use: importHouseholds)
        group.post("imports/needs", use: importNeeds)
        group.get("exports/matches.csv", use: exportMatches)
    }

    @Sendable func importHouseholds(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (csv, options) = try await upload(request, context)
        let report = try await services.store.importer(logger: logger).importHouseholds(
            csv: csv, sealer: services.sealer, options: options)
        return try Self.answer(report)
    }

    @Sendable func importNeeds(_ request: Request, context: APIRequestContext) async throws -> Response {
        let (csv, options) = try await upload(request, context)
        let report = try await services.store.importer(logger: logger).importNeeds(
            csv: csv, options: options)
        return try Self.answer(report)
    }

    @Sendable func exportMatches(_ request: Request, context: APIRequestContext) async throws -> Response {
        let principal = try context.requirePrincipal()
        try principal.authorize(.exportMatches)
        let query = request.query
        let run = try query.id("run_id")
        let status = try query.code("status", as: MatchStatus.self)
        let selection: MatchExport.Selection
        switch (run, status) {
        case (let run?, nil): selection = .run(run)
        case (nil, let status?): selection = .status(status)
        default: throw Problem.invalidParameter("run_id", "or status must be given, not both")
        }
        let bytes = try await services.exports.csv(selection, within: principal.regionLimit)
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8",
                .contentDisposition: "attachment; filename=\"matches.csv\"",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The report, unless the file was refused as a whole: then a 422 whose errors name each
    /// bad row's line and column, and nothing was written.
    static func answer(_ report: ImportReport) throws -> Response {
        guard report.imported == 0, !report.problems.isEmpty else {
            return try JSONResponse.make(report, status: report.imported > 0 ? .created : .ok)
        }
        throw Problem.validation(
            report.problems.map { problem in
                Problem.FieldError(
                    field: "line \(problem.line)" + (problem.column.map { ", column \($0)" } ?? ""),
                    message: problem.reason)
            })
    }

    /// The uploaded CSV and the import options: caseworkers (and admins) only, `text/csv`
    /// in UTF-8 only, `?partial=true` for a partial import.
    private func upload(
        _ request: Request, _ context: APIRequestContext
    ) async throws -> ([UInt8], RosterImporter.Options) {
        let principal = try context.requirePrincipal()
        try principal.authorize(.importRoster)
        guard MediaType.accepts(request.headers[.contentType], as: "text/csv") else {
            throw Problem.unsupportedMediaType(expected: "text/csv")
        }
        let partial = try request.query.bool("partial") ?? false
        var request = request
        let buffer = try await request.collectBody(upTo: Self.maximumCSVBytes)
        let options = RosterImporter.Options(
            mode: partial ? .partial : .allOrNothing, scope: principal.regionLimit, actor: principal.actor)
        return (Array(buffer: buffer), options)
    }
}
