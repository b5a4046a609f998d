/// Splits RFC 4180 CSV into records, keeping the physical line every record and every
/// field starts on, so a problem can be reported where a person will look for it.
///
/// Roll exports are CSV as spreadsheets write it: a UTF-8 byte order mark, CRLF line
/// ends, fields quoted when they hold a comma, a quote or a line break. A quoted field may
/// span lines, which is why line numbers are counted here and not by splitting on `\n`.
/// The reader is strict: a quote inside an unquoted field, text after a closing quote, an
/// unclosed quote or bytes that are not UTF-8 make the file unreadable, because a guess
/// would silently shift values into the wrong columns.
public enum CSVReader {
    /// One record: its fields, and the 1-based physical line each field starts on.
    public struct Record: Sendable, Equatable {
        /// The line the record starts on.
        public var line: Int
        /// The fields, unquoted, exactly as written (no trimming).
        public var fields: [String]
        /// The line each field starts on; differs from ``line`` after a quoted line break.
        public var fieldLines: [Int]

        public init(line: Int, fields: [String], fieldLines: [Int]) {
            self.line = line
            self.fields = fields
            self.fieldLines = fieldLines
        }
    }

    /// Why the file cannot be read at all, and the line where that became clear.
    public struct Malformed: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var reason: String

        public var description: String { "line \(line): \(reason)" }
    }

    private static let quote = UInt8(ascii: "\"")
    private static let comma = UInt8(ascii: ",")
    private static let lineFeed = UInt8(ascii: "\n")
    private static let carriageReturn = UInt8(ascii: "\r")

    /// The records of `bytes`. A final line break does not start an empty record; a CR LF
    /// pair, a lone LF and a lone CR each end one line.
    public static func records(in bytes: [UInt8]) throws(Malformed) -> [Record] {
        var index = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var records: [Record] = []
        var record = Record(line: 1, fields: [], fieldLines: [])
        var field: [UInt8] = []
        var fieldLine = 1
        var atFieldStart = true

        func finishField() throws(Malformed) {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw Malformed(
                    line: fieldLine, reason: "the file is not UTF-8 text (save it as CSV UTF-8; GBK is not accepted)")
            }
            record.fields.append(text)
            record.fieldLines.append(fieldLine)
            field.removeAll(keepingCapacity: true)
        }

        while index < bytes.count {
            let byte = bytes[index]
            if atFieldStart {
                fieldLine = line
                if record.fields.isEmpty { record.line = line }
                atFieldStart = false
                if byte == quote {
                    index = try readQuoted(bytes, from: index + 1, into: &field, line: &line)
                    continue
                }
            }
            switch byte {
            case comma:
                try finishField()
                atFieldStart = true
                index += 1
            case lineFeed, carriageReturn:
                try finishField()
                records.append(record)
                record = Record(line: line + 1, fields: [], fieldLines: [])
                atFieldStart = true
                index += byte == carriageReturn && index + 1 < bytes.count && bytes[index + 1] == lineFeed ? 2 : 1
                line += 1
            case quote:
                throw Malformed(
                    line: line, reason: "a quote inside an unquoted field; quote the whole field and double the quote")
            default:
                field.append(byte)
                index += 1
            }
        }
        // Text after the last line break is a record; a comma right before the end leaves
        // one more empty field.
        if !atFieldStart || !record.fields.isEmpty {
            if atFieldStart { fieldLine = line }
            try finishField()
            records.append(record)
        }
        return records
    }

    /// Reads a quoted field's content after its opening quote; returns the index after the
    /// closing quote, which must be followed by a comma, a line break or the end.
    private static func readQuoted(
        _ bytes: [UInt8],
        from start: Int,
        into field: inout [UInt8],
        line: inout Int
    ) throws(Malformed) -> Int {
        let openedOn = line
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == quote {
                if index + 1 < bytes.count, bytes[index + 1] == quote {
                    field.append(quote)
                    index += 2
                    continue
                }
                let next = index + 1
                guard next == bytes.count || [comma, lineFeed, carriageReturn].contains(bytes[next]) else {
                    throw Malformed(line: line, reason: "text after the closing quote of a field")
                }
                return next
            }
            if byte == lineFeed
                || (byte == carriageReturn && (index + 1 == bytes.count || bytes[index + 1] != lineFeed))
            {
                line += 1
            }
            field.append(byte)
            index += 1
        }
        throw Malformed(line: openedOn, reason: "a quoted field starts here and is never closed")
    }
}
