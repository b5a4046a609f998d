// The byte-level reader and writer behind InstanceCSV: numbers parsed and formatted by hand,
// because instances reach tens of millions of rows.

extension UInt8 {
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let comma = UInt8(ascii: ",")
    static let minus = UInt8(ascii: "-")
    static let period = UInt8(ascii: ".")
    static let zero = UInt8(ascii: "0")
}

extension InstanceCSV {
    /// Appends CSV rows as bytes, formatting numbers by hand into a small scratch chunk that is
    /// flushed into the array: a 35M-edge export must not build a String (or grow an array byte by
    /// byte) per field.
    final class CSVWriter {
        private static let chunkSize = 1 << 16
        /// Room kept free before each field: a sign, 19 digits and a separator fit with margin.
        private static let fieldRoom = 32

        private var output: [UInt8] = []
        private let chunk = UnsafeMutablePointer<UInt8>.allocate(capacity: CSVWriter.chunkSize)
        private var used = 0

        /// `rows` sizes the array: about 24 bytes per row, the width of an edge line.
        init(header: String, rows: Int) {
            output.reserveCapacity(header.utf8.count + 1 + rows * 24)
            output.append(contentsOf: header.utf8)
            output.append(.newline)
        }

        deinit { chunk.deallocate() }

        /// Everything written.
        func finished() -> [UInt8] {
            flush()
            return output
        }

        func byte(_ value: UInt8) {
            if used + Self.fieldRoom > Self.chunkSize { flush() }
            chunk[used] = value
            used += 1
        }

        func integer(_ value: Int64, then separator: UInt8?) {
            if used + Self.fieldRoom > Self.chunkSize { flush() }
            if value < 0 {
                chunk[used] = .minus
                used += 1
            }
            var magnitude = value.magnitude
            var digits = 1
            var bound: UInt64 = 10
            while digits < 19, magnitude >= bound {
                digits += 1
                bound *= 10
            }
            if magnitude >= bound { digits += 1 }
            for position in stride(from: used + digits - 1, through: used, by: -1) {
                chunk[position] = .zero + UInt8(magnitude % 10)
                magnitude /= 10
            }
            used += digits
            if let separator {
                chunk[used] = separator
                used += 1
            }
        }

        /// `micro` millionths (0 … 1,000,000) as `d.dddddd`, then the end of the line.
        func score(_ micro: Int64) {
            if used + Self.fieldRoom > Self.chunkSize { flush() }
            chunk[used] = .zero + UInt8(micro / 1_000_000)
            chunk[used + 1] = .period
            var fraction = micro % 1_000_000
            for position in stride(from: used + 7, through: used + 2, by: -1) {
                chunk[position] = .zero + UInt8(fraction % 10)
                fraction /= 10
            }
            chunk[used + 8] = .newline
            used += 9
        }

        private func flush() {
            output.append(contentsOf: UnsafeBufferPointer(start: chunk, count: used))
            used = 0
        }
    }

    /// Walks one file's bytes line by line: the fast path of parsing, with no String per line.
    /// Errors carry the file and the current line number.
    struct LineReader {
        /// A line's bounds without its terminator, and where its first two commas are (`end` when absent).
        struct Line {
            let start: Int
            let end: Int
            let firstComma: Int
            let secondComma: Int

            func field(_ column: Int) -> Range<Int> {
                switch column {
                case 0: start..<firstComma
                case 1: min(firstComma + 1, end)..<secondComma
                default: min(secondComma + 1, end)..<end
                }
            }
        }

        let bytes: UnsafeBufferPointer<UInt8>
        let file: InstanceCSV.FileName
        private var lineNumber = 0
        private var offset = 0

        init(bytes: UnsafeBufferPointer<UInt8>, file: InstanceCSV.FileName) {
            self.bytes = bytes
            self.file = file
        }

        /// Reads line 1 and returns which of the accepted headers it is (a UTF-8 byte-order mark is skipped).
        mutating func header(accepting accepted: [String]) throws(InstanceCSV.ParseError) -> String {
            let expected = accepted.joined(separator: " or ")
            guard let (line, _) = scanLine() else {
                throw InstanceCSV.ParseError(file: file, line: 1, reason: .missingHeader(expected: expected))
            }
            var start = line.start
            if line.end - start >= 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF {
                start += 3
            }
            let found = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<line.end]), as: UTF8.self)
            guard let header = accepted.first(where: { $0 == found }) else {
                throw error(.wrongHeader(expected: expected, found: String(found.prefix(80))))
            }
            return header
        }

        /// The next data line, checked to have `columns` fields; nil when only blank lines remain.
        mutating func next(columns: Int) throws(InstanceCSV.ParseError) -> Line? {
            guard let (line, commas) = scanLine() else { return nil }
            if line.start == line.end {
                guard bytes[offset...].allSatisfy({ $0 == .newline || $0 == .carriageReturn }) else {
                    throw error(.emptyLine)
                }
                offset = bytes.count
                return nil
            }
            guard commas + 1 == columns else { throw error(.wrongColumnCount(expected: columns, found: commas + 1)) }
            return line
        }

        /// How many lines are left, to size the edge array once.
        func remainingLineCount() -> Int {
            guard offset < bytes.count else { return 0 }
            var count = 0
            for position in offset..<bytes.count where bytes[position] == .newline { count += 1 }
            return bytes[bytes.count - 1] == .newline ? count : count + 1
        }

        func integer(_ field: Range<Int>, column: String) throws(InstanceCSV.ParseError) -> Int64 {
            var position = field.lowerBound
            let negative = position < field.upperBound && bytes[position] == .minus
            if negative { position += 1 }
            guard position < field.upperBound, field.upperBound - position <= 19 else {
                throw malformed(field, column: column)
            }
            var magnitude: UInt64 = 0
            while position < field.upperBound {
                let digit = bytes[position] &- .zero
                guard digit < 10 else { throw malformed(field, column: column) }
                magnitude = magnitude * 10 + UInt64(digit)
                position += 1
            }
            let limit = negative ? Int64.min.magnitude : UInt64(Int64.max)
            guard magnitude <= limit else { throw malformed(field, column: column) }
            return negative ? Int64(truncatingIfNeeded: 0 &- magnitude) : Int64(magnitude)
        }

        func int32(_ field: Range<Int>, column: String) throws(InstanceCSV.ParseError) -> Int32 {
            guard let value = Int32(exactly: try integer(field, column: column)) else {
                throw malformed(field, column: column)
            }
            return value
        }

        /// A score written `d.dddddd` as millionths, exactly: the decimal text is never a Double.
        /// Any sign is out of range, even on zero.
        func scoreMicro(_ field: Range<Int>) throws(InstanceCSV.ParseError) -> Int64 {
            var position = field.lowerBound
            let negative = position < field.upperBound && bytes[position] == .minus
            if negative { position += 1 }
            var whole: Int64 = 0
            var wholeDigits = 0
            while position < field.upperBound, bytes[position] &- .zero < 10 {
                whole = min(whole * 10 + Int64(bytes[position] &- .zero), 10)
                wholeDigits += 1
                position += 1
            }
            var fraction: Int64 = 0
            var fractionDigits = 0
            let hasPeriod = position < field.upperBound && bytes[position] == .period
            if hasPeriod { position += 1 }
            while position < field.upperBound, bytes[position] &- .zero < 10 {
                if fractionDigits < 6 { fraction = fraction * 10 + Int64(bytes[position] &- .zero) }
                fractionDigits += 1
                position += 1
            }
            guard position == field.upperBound, wholeDigits > 0, hasPeriod || fractionDigits == 0 else {
                throw error(.malformedNumber(column: "score", text: text(field)))
            }
            guard fractionDigits == 6 else { throw error(.scoreNotSixDecimals(text: text(field))) }
            let micro = whole * 1_000_000 + fraction
            guard !negative, micro <= TransportationProblem.maximumScore else {
                throw error(.scoreOutOfRange(text: text(field)))
            }
            return micro
        }

        private func text(_ field: Range<Int>) -> String {
            String(String(decoding: UnsafeBufferPointer(rebasing: bytes[field]), as: UTF8.self).prefix(40))
        }

        private func malformed(_ field: Range<Int>, column: String) -> InstanceCSV.ParseError {
            error(.malformedNumber(column: column, text: text(field)))
        }

        private func error(_ reason: InstanceCSV.Reason) -> InstanceCSV.ParseError {
            InstanceCSV.ParseError(file: file, line: lineNumber, reason: reason)
        }

        /// Advances past the next line; nil at the end of the bytes.
        private mutating func scanLine() -> (line: Line, commas: Int)? {
            guard offset < bytes.count else { return nil }
            lineNumber += 1
            let start = offset
            var position = offset
            var commas = 0
            var firstComma = -1
            var secondComma = -1
            while position < bytes.count {
                let byte = bytes[position]
                if byte == .newline { break }
                if byte == .comma {
                    if commas == 0 { firstComma = position } else if commas == 1 { secondComma = position }
                    commas += 1
                }
                position += 1
            }
            offset = min(position + 1, bytes.count)
            let end = position > start && bytes[position - 1] == .carriageReturn ? position - 1 : position
            let line = Line(
                start: start, end: end,
                firstComma: firstComma < 0 ? end : firstComma, secondComma: secondComma < 0 ? end : secondComma)
            return (line, commas)
        }
    }
}
