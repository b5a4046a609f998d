import Foundation
import Postgres
import Store

/// A command that talks to the database, so a failure to connect can say where it looked.
protocol DatabaseCommand {
    var database: DatabaseOptions { get }
}

/// A runtime failure a command reports as it is: one sentence, exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ sentence: String) { description = sentence }

    /// The one sentence shown for a runtime `error`, so an operator reads what went wrong and
    /// what to do, never a Swift type dump such as `PostgresError(code: …)`. `database` is
    /// where the command looked (host, port and database, never the password).
    static func sentence(for error: any Error, database: String?) -> String {
        switch error {
        case let failure as CommandFailure: failure.description
        case let error as StoreError: error.description
        case let error as IDNumberSealer.PepperProblem: error.description
        case let error as PostgresError: sentence(for: error, database: database)
        case let error as CocoaError: error.localizedDescription
        default: "the command failed: \(error.localizedDescription)"
        }
    }

    private static func sentence(for error: PostgresError, database: String?) -> String {
        let place = database.map { " at \($0)" } ?? ""
        switch error.code {
        case .invalidConnectionString:
            return "the database address is not usable: \(error.reason ?? "libpq could not parse it")"
        case .connectionFailed:
            return "cannot reach the database\(place): \(libpqCause(error.reason))"
        case .connectionClosed:
            return "the connection to the database\(place) broke while the command was running; run it again"
        case .poolAcquireTimeout, .cancelled:
            return "the database\(place) did not answer in time; check that it is not stalled and run it again"
        case .transactionRetriesExhausted:
            return "the database\(place) kept refusing the change because of concurrent work; run it again"
        case .server:
            return serverSentence(for: error, place: place)
        default:
            return "the database\(place) answered in a way the command cannot use (\(error.code))"
        }
    }

    private static func serverSentence(for error: PostgresError, place: String) -> String {
        switch error.sqlState?.rawValue {
        case "42P01", "42703", "42883":
            return "the database\(place) lacks part of the schema; run `charity-match migrate` first"
        case "57P01", "57P02", "57P03":
            return "the database\(place) is shutting down or starting up; run the command again when it is up"
        case "53100", "53200", "53300":
            return "the database\(place) is out of resources (disk, memory or connections)"
        case "42501":
            return "the database\(place) refused the change: the role has no privilege for it"
        case let state?:
            let object = error.constraintName ?? error.tableName
            return "the database\(place) refused the operation (SQLSTATE \(state)\(object.map { ", \($0)" } ?? ""))"
        case nil:
            return "the database\(place) refused the operation"
        }
    }

    /// libpq's message is several lines: `connection to server at "h", port 5432 failed:
    /// Connection refused` then a hint. The cause after the last "failed:" of the first line
    /// is what the operator needs; the address is already in the sentence.
    private static func libpqCause(_ reason: String?) -> String {
        guard let reason else { return "no reason given" }
        let firstLine = reason.split(whereSeparator: \.isNewline).first.map(String.init) ?? reason
        let cause = firstLine.components(separatedBy: "failed:").last ?? firstLine
        let trimmed = cause.replacingOccurrences(of: "FATAL:", with: "").trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? "no reason given" : trimmed
    }
}

extension DatabaseOptions {
    /// Host, port and database of the configured server, for messages; never the password.
    var placeForMessages: String? {
        guard let configuration = try? configuration() else { return nil }
        let host = configuration.value(of: "host").flatMap { $0.isEmpty ? nil : $0 } ?? "the default socket"
        let port = configuration.value(of: "port").flatMap { $0.isEmpty ? nil : ":\($0)" } ?? ""
        let name = configuration.value(of: "dbname").flatMap { $0.isEmpty ? nil : "/\($0)" } ?? ""
        return host + port + name
    }
}

extension ServeCommand: DatabaseCommand {}
extension MigrateCommand: DatabaseCommand {}
extension SeedCommand: DatabaseCommand {}
extension ImportCommand.Households: DatabaseCommand {}
extension ImportCommand.Needs: DatabaseCommand {}
extension MatchCommand: DatabaseCommand {}
extension ExportMatchesCommand: DatabaseCommand {}
extension TokenCommand.Create: DatabaseCommand {}
extension TokenCommand.Revoke: DatabaseCommand {}
extension UserCommand.SetPassword: DatabaseCommand {}
extension RehearseCommand: DatabaseCommand {}
extension BenchCommand.RoundTrips: DatabaseCommand {}
extension BenchCommand.Copy: DatabaseCommand {}
