import CLibPQ

/// Owns one `PGresult`. Results are immutable once received, so reading them from any
/// thread is safe.
final class PostgresResult: @unchecked Sendable {
    enum ErrorField: UInt8 {
        case sqlState = 0x43  // 'C'
        case message = 0x4D  // 'M'
        case context = 0x57  // 'W'
        case schema = 0x73  // 's'
        case table = 0x74  // 't'
        case column = 0x63  // 'c'
        case constraint = 0x6E  // 'n'
    }

    let raw: OpaquePointer

    init(_ raw: OpaquePointer) { self.raw = raw }

    deinit { PQclear(raw) }

    func errorField(_ field: ErrorField) -> String? {
        PQresultErrorField(raw, Int32(field.rawValue)).map { String(cString: $0) }
    }
}

/// All rows of one statement, read lazily from libpq's buffer.
public struct PostgresRows: Sendable, RandomAccessCollection {
    let result: PostgresResult
    /// The column names in order.
    public let columnNames: [String]
    private let columnIndex: [String: Int]
    private let types: [PostgresType]

    init(result: PostgresResult) {
        self.result = result
        let count = Int(PQnfields(result.raw))
        let names = (0..<count).map { String(cString: PQfname(result.raw, Int32($0))) }
        columnNames = names
        var index: [String: Int] = [:]
        for (position, name) in names.enumerated() where index[name] == nil { index[name] = position }
        columnIndex = index
        types = (0..<count).map { PostgresType(oid: PQftype(result.raw, Int32($0))) }
        endIndex = Int(PQntuples(result.raw))
    }

    public var startIndex: Int { 0 }
    public let endIndex: Int

    public subscript(position: Int) -> PostgresRow { PostgresRow(rows: self, index: position) }

    /// Rows inserted, updated, deleted, copied or selected, as the command tag says.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(result.raw))) ?? 0 }

    func column(named name: String) throws(PostgresError) -> Int {
        guard let position = columnIndex[name] else {
            throw PostgresError(code: .decoding, reason: "no column named \(name) in the result")
        }
        return position
    }

    func type(of column: Int) -> PostgresType { types[column] }
}

/// One row; decode its columns by name or position into Swift values.
public struct PostgresRow: Sendable {
    let rows: PostgresRows
    let index: Int

    /// The value of `column`; throws when it is NULL or does not fit `T`.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, _ column: String) throws(PostgresError) -> T {
        try decode(type, at: rows.column(named: column))
    }

    /// The value of `column`, or `nil` for SQL NULL.
    public func decode<T: PostgresDecodable>(_ type: T?.Type = T?.self, _ column: String) throws(PostgresError) -> T? {
        try decode(type, at: rows.column(named: column))
    }

    /// The value at a 0-based column position; throws when it is NULL or does not fit `T`.
    public func decode<T: PostgresDecodable>(_ type: T.Type = T.self, at column: Int) throws(PostgresError) -> T {
        guard let value = try decode(T?.self, at: column) else {
            throw decodingError(T.self, column: column, reason: "is NULL")
        }
        return value
    }

    /// The value at a 0-based column position, or `nil` for SQL NULL.
    public func decode<T: PostgresDecodable>(_ type: T?.Type = T?.self, at column: Int) throws(PostgresError) -> T? {
        guard column >= 0, column < rows.columnNames.count else {
            throw PostgresError(code: .decoding, reason: "no column at position \(column) in the result")
        }
        let raw = rows.result.raw
        if PQgetisnull(raw, Int32(index), Int32(column)) == 1 { return nil }
        let columnType = rows.type(of: column)
        guard T.accepts(columnType) else {
            throw decodingError(T.self, column: column, reason: "has type oid \(columnType.oid)")
        }
        let length = Int(PQgetlength(raw, Int32(index), Int32(column)))
        guard let value = PQgetvalue(raw, Int32(index), Int32(column)) else {
            throw decodingError(T.self, column: column, reason: "has no value")
        }
        let bytes = UnsafeRawBufferPointer(start: value, count: length)
        do {
            return try T(postgresText: bytes, type: columnType)
        } catch {
            throw decodingError(T.self, column: column, reason: "is not a valid \(T.self)")
        }
    }

    /// A `json` or `jsonb` column decoded into a `Decodable` value.
    public func decodeJSON<T: Codable & Sendable>(_ type: T.Type = T.self, _ column: String) throws(PostgresError) -> T
    {
        try decode(PostgresJSON<T>.self, column).value
    }

    private func decodingError(_ type: Any.Type, column: Int, reason: String) -> PostgresError {
        var error = PostgresError(
            code: .decoding,
            reason: "column \(rows.columnNames[column]) \(reason); expected \(type)"
        )
        error.columnName = rows.columnNames[column]
        return error
    }
}
