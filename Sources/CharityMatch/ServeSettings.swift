import API
import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The bounds `serve` runs within: open connections, how long a request may take to
/// arrive, and how long the database may take to answer. Each comes from its flag, else
/// its environment variable, else the default; a bad value names the setting.
struct ServeSettings {
    var limits: ConnectionLimits
    var statementTimeout: Duration
    var acquireTimeout: Duration
    /// False when the connection cap is the default, which may shrink to fit the open-file limit.
    var isConnectionCapExplicit: Bool

    init(_ command: ServeCommand) throws {
        isConnectionCapExplicit =
            command.maxConnections != nil || ProcessInfo.processInfo.environment["MAX_CONNECTIONS"] != nil
        let connections = try Self.setting(
            "--max-connections", "MAX_CONNECTIONS", flag: command.maxConnections.map(Double.init), default: 1_000,
            range: 1...100_000, whole: true)
        limits = ConnectionLimits(
            maxConnections: Int(connections),
            headerTimeout: try Self.seconds("--header-timeout", "HEADER_TIMEOUT", command.headerTimeout, 10),
            idleTimeout: try Self.seconds("--idle-timeout", "IDLE_TIMEOUT", command.idleTimeout, 60))
        statementTimeout = try Self.seconds("--statement-timeout", "STATEMENT_TIMEOUT", command.statementTimeout, 2)
        acquireTimeout = try Self.seconds("--acquire-timeout", "ACQUIRE_TIMEOUT", command.acquireTimeout, 2)
    }

    private static func seconds(
        _ flag: String, _ variable: String, _ value: Double?, _ fallback: Double
    ) throws
        -> Duration
    {
        let seconds = try setting(flag, variable, flag: value, default: fallback, range: 0.1...3_600, whole: false)
        return .milliseconds(Int64((seconds * 1_000).rounded()))
    }

    private static func setting(
        _ flag: String, _ variable: String, flag value: Double?, default fallback: Double,
        range: ClosedRange<Double>, whole: Bool
    ) throws -> Double {
        let kind = whole ? "a whole number" : "a number of seconds"
        let bounds =
            whole
            ? "\(Int(range.lowerBound)) and \(Int(range.upperBound))" : "\(range.lowerBound) and \(range.upperBound)"
        if let value {
            guard range.contains(value), !whole || value.rounded() == value else {
                throw ValidationError("\(flag) must be \(kind) between \(bounds), got \(value)")
            }
            return value
        }
        guard let text = ProcessInfo.processInfo.environment[variable], !text.isEmpty else { return fallback }
        guard let parsed = Double(text), range.contains(parsed), !whole || parsed.rounded() == parsed else {
            throw ValidationError("\(variable) must be \(kind) between \(bounds), got \(text)")
        }
        return parsed
    }
}

/// The process's open-file limit, which every connection (HTTP and database) counts against.
///
/// A server that runs out of descriptors cannot accept and spins on the failing accept, so
/// `serve` raises its soft limit as far as the hard limit allows, and keeps the connection
/// cap below it: a cap given explicitly that does not fit stops the server; the default
/// shrinks to fit.
enum OpenFileLimit {
    /// Descriptors kept for files, the listening socket, logs and libraries.
    static let reserve = 64

    /// The connection cap to serve with, after raising the limit as far as it goes.
    static func fit(_ settings: ServeSettings, databaseConnections: Int) throws -> Int {
        let wanted = settings.limits.maxConnections
        let available = raise(toHold: wanted + databaseConnections + reserve) - databaseConnections - reserve
        if available >= wanted { return wanted }
        guard !settings.isConnectionCapExplicit, available >= 16 else {
            throw ValidationError(
                "--max-connections \(wanted) needs \(wanted + databaseConnections + reserve) open files with the"
                    + " database pool, but the limit is \(available + databaseConnections + reserve) (ulimit -n);"
                    + " lower it or raise the limit")
        }
        return available
    }

    /// Raises the soft limit towards `needed` (at most the hard limit); returns the new soft limit.
    private static func raise(toHold needed: Int) -> Int {
        #if canImport(Glibc)
            let resource = Int32(RLIMIT_NOFILE.rawValue)
        #else
            let resource = RLIMIT_NOFILE
        #endif
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return needed }
        if limit.rlim_cur < rlim_t(needed) {
            limit.rlim_cur = min(rlim_t(needed), limit.rlim_max)
            _ = setrlimit(resource, &limit)
            _ = getrlimit(resource, &limit)
        }
        return Int(clamping: limit.rlim_cur)
    }
}
