import CLibPQ

/// Where and how to connect: any libpq connection string (`host=… dbname=…`) or URL
/// (`postgres://` or `postgresql://`, multi-host, `sslmode`, `connect_timeout`,
/// `target_session_attrs`, …), plus keyword overrides.
///
/// libpq itself interprets the string, so every option it knows passes through unchanged;
/// the overrides let a caller (a test, say) aim the same server at another database without
/// editing the string.
public struct ConnectionConfiguration: Sendable {
    /// The connection string or URL as given.
    public var connectionString: String
    /// Keywords that win over the string, such as `["dbname": "other"]`.
    public var overrides: [String: String]
    /// Used as `fallback_application_name`, so an explicit `application_name` still wins.
    public var defaultApplicationName: String

    /// Checks the string with libpq's own parser, so a typo fails at start-up with a clear
    /// message rather than at the first query.
    public init(
        _ connectionString: String,
        overrides: [String: String] = [:],
        defaultApplicationName: String = "charity-match"
    ) throws(PostgresError) {
        self.connectionString = connectionString
        self.overrides = overrides
        self.defaultApplicationName = defaultApplicationName
        _ = try Self.parse(connectionString)
    }

    /// A copy aimed at another database of the same server.
    public func with(database: String) -> ConnectionConfiguration {
        var copy = self
        copy.overrides["dbname"] = database
        return copy
    }

    /// The value libpq resolves for one keyword (for example `dbname` or `host`), taking
    /// overrides into account; `nil` when it is not set.
    public func value(of keyword: String) -> String? {
        if let override = overrides[keyword] { return override }
        return (try? Self.parse(connectionString))?[keyword]
    }

    /// The password the string carries, used only to scrub it from libpq messages.
    var password: String? { value(of: "password").flatMap { $0.isEmpty ? nil : $0 } }

    /// Keyword/value pairs for `PQconnectdbParams` with `expand_dbname = 1`: the first
    /// `dbname` entry is the whole string, later entries override it.
    var connectParameters: [(String, String)] {
        var pairs = [("dbname", connectionString), ("fallback_application_name", defaultApplicationName)]
        for key in overrides.keys.sorted() {
            if let value = overrides[key] { pairs.append((key, value)) }
        }
        return pairs
    }

    static func parse(_ connectionString: String) throws(PostgresError) -> [String: String] {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            let message = errorMessage.map { String(cString: $0) } ?? "out of memory"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(
                code: .invalidConnectionString,
                reason: "the connection string could not be parsed: \(Self.redactQuoted(message))"
            )
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                values[String(cString: keyword)] = String(cString: value)
            }
            option += 1
        }
        return values
    }

    /// libpq quotes the offending fragment of a bad string; that fragment may be a
    /// password, so every quoted part is replaced.
    static func redactQuoted(_ message: String) -> String {
        var result = ""
        var inQuote = false
        for character in message.trimmingWhitespace() {
            if character == "\"" {
                result.append(inQuote ? "\"" : "\"…")
                inQuote.toggle()
            } else if !inQuote {
                result.append(character)
            }
        }
        return result
    }
}

extension String {
    func trimmingWhitespace() -> Substring {
        let start = firstIndex { !$0.isWhitespace } ?? endIndex
        let end = lastIndex { !$0.isWhitespace }.map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
