/// A PostgreSQL type OID; the values below are fixed by the server's catalog.
public struct PostgresType: Sendable, Hashable {
    public let oid: UInt32

    public init(oid: UInt32) { self.oid = oid }

    /// Lets the server infer the type from context, as it does for a quoted literal.
    public static let unspecified = PostgresType(oid: 0)
    public static let bool = PostgresType(oid: 16)
    public static let bytea = PostgresType(oid: 17)
    public static let char = PostgresType(oid: 18)
    public static let name = PostgresType(oid: 19)
    public static let int8 = PostgresType(oid: 20)
    public static let int2 = PostgresType(oid: 21)
    public static let int4 = PostgresType(oid: 23)
    public static let text = PostgresType(oid: 25)
    public static let json = PostgresType(oid: 114)
    public static let float4 = PostgresType(oid: 700)
    public static let float8 = PostgresType(oid: 701)
    public static let unknown = PostgresType(oid: 705)
    public static let nameArray = PostgresType(oid: 1003)
    public static let int2Array = PostgresType(oid: 1005)
    public static let int4Array = PostgresType(oid: 1007)
    public static let textArray = PostgresType(oid: 1009)
    public static let bpcharArray = PostgresType(oid: 1014)
    public static let varcharArray = PostgresType(oid: 1015)
    public static let int8Array = PostgresType(oid: 1016)
    public static let bpchar = PostgresType(oid: 1042)
    public static let varchar = PostgresType(oid: 1043)
    public static let date = PostgresType(oid: 1082)
    public static let timestamp = PostgresType(oid: 1114)
    public static let timestamptz = PostgresType(oid: 1184)
    public static let numeric = PostgresType(oid: 1700)
    public static let uuid = PostgresType(oid: 2950)
    public static let jsonb = PostgresType(oid: 3802)

    static let integers: Set<PostgresType> = [.int2, .int4, .int8]
    static let texts: Set<PostgresType> = [.text, .varchar, .bpchar, .name, .char, .unknown]
}

/// A Swift value that can be sent as a `$n` parameter, in PostgreSQL's text format.
public protocol PostgresEncodable: Sendable {
    /// The type the parameter is declared as; `.unspecified` lets the server infer it.
    static var postgresType: PostgresType { get }
    /// The value in PostgreSQL's text input format.
    func postgresText() throws(PostgresError) -> String
}

/// A Swift value that can be read from a column in PostgreSQL's text output format.
public protocol PostgresDecodable: Sendable {
    /// Whether a column of `type` can hold this Swift type; a mismatch is reported with the
    /// column's name instead of a garbled value.
    static func accepts(_ type: PostgresType) -> Bool
    /// Parses the column's text; throws when it is malformed.
    init(postgresText bytes: UnsafeRawBufferPointer, type: PostgresType) throws(PostgresError)
}

extension PostgresError {
    static func malformed(_ what: String) -> PostgresError {
        PostgresError(code: .decoding, reason: "malformed \(what)")
    }
}
