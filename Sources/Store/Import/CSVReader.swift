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
        var records: [Record] = []
        var stream = Stream()
        try stream.read(bytes) { records.append($0) }
        try stream.finish { records.append($0) }
        return records
    }

    /// The same reader fed a file piece by piece, handing over each record as soon as it
    /// ends, so a file of any size is read in the memory of one record. Pieces may split a
    /// record, a CR LF pair or a UTF-8 character anywhere.
    public struct Stream: Sendable {
        private enum State: Sendable {
            case fieldStart, unquoted, quoted
            /// A quote inside a quoted field: a second quote, or the field's end.
            case quoteInQuoted
            /// A record ended with CR; an LF right after belongs to it.
            case afterCarriageReturn
        }

        private var state = State.fieldStart
        private var line = 1
        private var record = Record(line: 1, fields: [], fieldLines: [])
        private var field: [UInt8] = []
        private var fieldLine = 1
        private var quoteOpenedOn = 1
        /// The last byte inside a quoted field was CR, so an LF after it is not another line.
        private var quotedCarriageReturn = false
        private var byteOrderMark: [UInt8] = []
        private var pastByteOrderMark = false

        public init() {}

        /// Reads the next piece of the file, calling `emit` for each record it completes.
        public mutating func read(
            _ bytes: some Sequence<UInt8>, emit: (Record) -> Void
        ) throws(Malformed) {
            for byte in bytes {
                if !pastByteOrderMark {
                    byteOrderMark.append(byte)
                    if [0xEF, 0xBB, 0xBF].starts(with: byteOrderMark) {
                        if byteOrderMark.count == 3 { pastByteOrderMark = true }
                        continue
                    }
                    pastByteOrderMark = true
                    let pending = byteOrderMark
                    byteOrderMark = []
                    for held in pending { try consume(held, emit: emit) }
                    continue
                }
                try consume(byte, emit: emit)
            }
        }

        /// Ends the file: text after the last line break is a record, and a quote still open
        /// is an error.
        public mutating func finish(emit: (Record) -> Void) throws(Malformed) {
            if !pastByteOrderMark {
                pastByteOrderMark = true
                let pending = byteOrderMark
                byteOrderMark = []
                for held in pending { try consume(held, emit: emit) }
            }
            switch state {
            case .quoted:
                throw Malformed(line: quoteOpenedOn, reason: "a quoted field starts here and is never closed")
            case .unquoted, .quoteInQuoted:
                try finishField()
                emit(record)
            case .fieldStart:
                // A comma right before the end leaves one more empty field.
                if !record.fields.isEmpty {
                    fieldLine = line
                    try finishField()
                    emit(record)
                }
            case .afterCarriageReturn:
                break
            }
            state = .fieldStart
        }

        private mutating func consume(_ byte: UInt8, emit: (Record) -> Void) throws(Malformed) {
            switch state {
            case .afterCarriageReturn:
                state = .fieldStart
                if byte == lineFeed { return }
                try consume(byte, emit: emit)
            case .fieldStart:
                fieldLine = line
                if record.fields.isEmpty { record.line = line }
                if byte == quote {
                    quoteOpenedOn = line
                    quotedCarriageReturn = false
                    state = .quoted
                } else {
                    state = .unquoted
                    try consumeUnquoted(byte, emit: emit)
                }
            case .unquoted:
                try consumeUnquoted(byte, emit: emit)
            case .quoted:
                if byte == quote {
                    state = .quoteInQuoted
                    return
                }
                if byte == carriageReturn || (byte == lineFeed && !quotedCarriageReturn) { line += 1 }
                quotedCarriageReturn = byte == carriageReturn
                field.append(byte)
            case .quoteInQuoted:
                if byte == quote {
                    field.append(quote)
                    quotedCarriageReturn = false
                    state = .quoted
                } else if byte == comma || byte == lineFeed || byte == carriageReturn {
                    try consumeUnquoted(byte, emit: emit)
                } else {
                    throw Malformed(line: line, reason: "text after the closing quote of a field")
                }
            }
        }

        private mutating func consumeUnquoted(_ byte: UInt8, emit: (Record) -> Void) throws(Malformed) {
            switch byte {
            case comma:
                try finishField()
                state = .fieldStart
            case lineFeed, carriageReturn:
                try finishField()
                emit(record)
                line += 1
                record = Record(line: line, fields: [], fieldLines: [])
                state = byte == carriageReturn ? .afterCarriageReturn : .fieldStart
            case quote:
                throw Malformed(
                    line: line, reason: "a quote inside an unquoted field; quote the whole field and double the quote")
            default:
                state = .unquoted
                field.append(byte)
            }
        }

        private mutating func finishField() throws(Malformed) {
            guard let text = String(validating: field, as: UTF8.self) else {
                throw Malformed(
                    line: fieldLine, reason: "the file is not UTF-8 text (save it as CSV UTF-8; GBK is not accepted)")
            }
            record.fields.append(text)
            record.fieldLines.append(fieldLine)
            field.removeAll(keepingCapacity: true)
        }
    }
}
