/// The CSV form of an assignment instance and of its answer, so anyone can check the engine
/// with an independent solver (see DESIGN.md, "Matching"):
///
/// - `needs.csv`: `need_id,qty`, or `need_id,qty,household_id` when a household cap applies
///   (an empty `household_id` means that need has no cap);
/// - `offers.csv`: `offer_id,cap`;
/// - `edges.csv`: `need_id,offer_id,score`, the score with exactly 6 decimals (`0.734512`);
/// - `households.csv`: `household_id,cap`, present exactly when `needs.csv` has the third column;
/// - `assignment.csv`: `need_id,offer_id,units`, one row per pair with units ≥ 1.
///
/// Pure: it works on bytes, the caller reads and writes the files. Parsing scans the bytes
/// directly (no String per line, no Double), because a 1M-need instance has ~35M edge lines.
/// Every error names the file, the 1-based line and the reason, so a person can fix the file.
public enum InstanceCSV {
    /// The raw bytes of an instance's files, as read from (or to be written to) a directory.
    public struct Files: Sendable, Equatable {
        public var needs: [UInt8]
        public var offers: [UInt8]
        public var edges: [UInt8]
        /// Nil when the instance has no household cap (no `households.csv`).
        public var households: [UInt8]?

        public init(needs: [UInt8], offers: [UInt8], edges: [UInt8], households: [UInt8]? = nil) {
            self.needs = needs
            self.offers = offers
            self.edges = edges
            self.households = households
        }
    }

    /// The files of an instance directory, by the names the format fixes.
    public enum FileName: String, Sendable, CaseIterable {
        case needs = "needs.csv"
        case offers = "offers.csv"
        case edges = "edges.csv"
        case households = "households.csv"
    }

    /// Where a file is wrong and why: what `solve` prints before exiting with code 2.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var file: FileName
        /// 1-based; the header is line 1.
        public var line: Int
        public var reason: Reason

        public init(file: FileName, line: Int, reason: Reason) {
            self.file = file
            self.line = line
            self.reason = reason
        }

        public var description: String { "\(file.rawValue) line \(line): \(reason)" }
    }

    /// Why a line is rejected.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        case missingHeader(expected: String)
        case wrongHeader(expected: String, found: String)
        case wrongColumnCount(expected: Int, found: Int)
        case emptyLine
        case malformedNumber(column: String, text: String)
        case scoreNotSixDecimals(text: String)
        case scoreOutOfRange(text: String)
        case duplicateID(Int64)
        case duplicatePair(needID: Int64, offerID: Int64)
        case unknownNeed(Int64)
        case unknownOffer(Int64)
        case unknownHousehold(Int64)
        case quantityNotPositive
        case capacityNegative
        case householdColumnWithoutFile
        case householdFileWithoutColumn

        public var description: String {
            switch self {
            case .missingHeader(let expected): "the file is empty; expected the header \(expected)"
            case .wrongHeader(let expected, let found): "the header must be \(expected), found \"\(found)\""
            case .wrongColumnCount(let expected, let found): "expected \(expected) columns, found \(found)"
            case .emptyLine: "empty line (only trailing blank lines are allowed)"
            case .malformedNumber(let column, let text): "\(column) \"\(text)\" is not a valid number"
            case .scoreNotSixDecimals(let text): "score \"\(text)\" must have exactly 6 decimals, like 0.734512"
            case .scoreOutOfRange(let text): "score \"\(text)\" is outside 0.000000 … 1.000000"
            case .duplicateID(let id): "id \(id) appears more than once"
            case .duplicatePair(let need, let offer): "the pair need \(need), offer \(offer) appears more than once"
            case .unknownNeed(let id): "need id \(id) is not in needs.csv"
            case .unknownOffer(let id): "offer id \(id) is not in offers.csv"
            case .unknownHousehold(let id): "household id \(id) is not in households.csv"
            case .quantityNotPositive: "qty must be at least 1"
            case .capacityNegative: "cap must be at least 0"
            case .householdColumnWithoutFile: "needs.csv has a household_id column but households.csv is missing"
            case .householdFileWithoutColumn: "households.csv is present but needs.csv has no household_id column"
            }
        }
    }

    private static let needsHeader = "need_id,qty"
    private static let needsWithHouseholdHeader = "need_id,qty,household_id"
    private static let offersHeader = "offer_id,cap"
    private static let edgesHeader = "need_id,offer_id,score"
    private static let householdsHeader = "household_id,cap"
    private static let assignmentHeader = "need_id,offer_id,units"

    // MARK: Parsing

    /// Reads and validates an instance. `files` is consumed so the edge bytes (the bulk of the
    /// input) can be released before the canonical instance is built.
    public static func parse(_ files: consuming Files) throws(ParseError) -> TransportationProblem {
        let (needs, hasHouseholdColumn) = try parseNeeds(files.needs)
        switch (hasHouseholdColumn, files.households) {
        case (true, nil): throw ParseError(file: .needs, line: 1, reason: .householdColumnWithoutFile)
        case (false, .some): throw ParseError(file: .households, line: 1, reason: .householdFileWithoutColumn)
        default: break
        }
        let households = try files.households.map { bytes throws(ParseError) in
            try parsePairs(bytes, file: .households, header: householdsHeader, columns: ("household_id", "cap"))
                .map { (id: $0.id, cap: $0.amount) }
        }
        let offers = try parsePairs(files.offers, file: .offers, header: offersHeader, columns: ("offer_id", "cap"))
            .map { (id: $0.id, capacity: $0.amount) }
        let edges = try parseEdges(files.edges)
        files.edges = []
        do {
            return try TransportationProblem(needs: needs, offers: offers, households: households ?? [], edges: edges)
        } catch {
            throw located(error)
        }
    }

    private static func parseNeeds(
        _ bytes: [UInt8]
    ) throws(ParseError) -> (needs: [TransportationProblem.NeedInput], hasHouseholdColumn: Bool) {
        try bytes.withUnsafeBufferPointer { buffer throws(ParseError) in
            var reader = LineReader(bytes: buffer, file: .needs)
            let header = try reader.header(accepting: [needsHeader, needsWithHouseholdHeader])
            let columns = header == needsHeader ? 2 : 3
            var needs: [TransportationProblem.NeedInput] = []
            while let line = try reader.next(columns: columns) {
                let id = try reader.integer(line.field(0), column: "need_id")
                let quantity = try reader.int32(line.field(1), column: "qty")
                var household: Int64?
                if columns == 3, !line.field(2).isEmpty {
                    household = try reader.integer(line.field(2), column: "household_id")
                }
                needs.append(.init(id: id, quantity: quantity, householdID: household))
            }
            return (needs, columns == 3)
        }
    }

    /// The `id,amount` shape shared by offers and households.
    private static func parsePairs(
        _ bytes: [UInt8], file: FileName, header: String, columns: (id: String, amount: String)
    ) throws(ParseError) -> [(id: Int64, amount: Int32)] {
        try bytes.withUnsafeBufferPointer { buffer throws(ParseError) in
            var reader = LineReader(bytes: buffer, file: file)
            _ = try reader.header(accepting: [header])
            var rows: [(id: Int64, amount: Int32)] = []
            while let line = try reader.next(columns: 2) {
                rows.append(
                    (
                        try reader.integer(line.field(0), column: columns.id),
                        try reader.int32(line.field(1), column: columns.amount)
                    ))
            }
            return rows
        }
    }

    private static func parseEdges(_ bytes: [UInt8]) throws(ParseError) -> [TransportationProblem.Edge] {
        try bytes.withUnsafeBufferPointer { buffer throws(ParseError) in
            var reader = LineReader(bytes: buffer, file: .edges)
            _ = try reader.header(accepting: [edgesHeader])
            var edges: [TransportationProblem.Edge] = []
            edges.reserveCapacity(reader.remainingLineCount())
            while let line = try reader.next(columns: 3) {
                edges.append(
                    .init(
                        needID: try reader.integer(line.field(0), column: "need_id"),
                        offerID: try reader.integer(line.field(1), column: "offer_id"),
                        scoreMicro: try reader.scoreMicro(line.field(2))))
            }
            return edges
        }
    }

    /// Turns the instance's index-based complaint into the file and line it came from: data
    /// rows start on line 2 and blank lines are only allowed at the end, so row i is line i + 2.
    private static func located(_ problem: TransportationProblem.Problem) -> ParseError {
        let (file, index, reason): (FileName, Int, Reason) =
            switch problem {
            case .duplicateNeed(let index, let id): (.needs, index, .duplicateID(id))
            case .duplicateOffer(let index, let id): (.offers, index, .duplicateID(id))
            case .duplicateHousehold(let index, let id): (.households, index, .duplicateID(id))
            case .quantityNotPositive(let index, _): (.needs, index, .quantityNotPositive)
            case .capacityNegative(let index, _): (.offers, index, .capacityNegative)
            case .householdCapNegative(let index, _): (.households, index, .capacityNegative)
            case .unknownHousehold(let index, let id): (.needs, index, .unknownHousehold(id))
            case .unknownNeed(let index, let id): (.edges, index, .unknownNeed(id))
            case .unknownOffer(let index, let id): (.edges, index, .unknownOffer(id))
            case .duplicatePair(let index, let need, let offer):
                (.edges, index, .duplicatePair(needID: need, offerID: offer))
            case .scoreOutOfRange(let index, let score): (.edges, index, .scoreOutOfRange(text: String(score)))
            }
        return ParseError(file: file, line: index + 2, reason: reason)
    }
}

// MARK: Rendering

extension InstanceCSV {
    /// The assignment as `assignment.csv`: one row per pair with units ≥ 1, ordered by need id
    /// then offer id (the instance's canonical edge order), so equal answers give equal files.
    public static func render(_ assignment: Assignment, of problem: TransportationProblem) -> [UInt8] {
        let used = assignment.units.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        let writer = CSVWriter(header: assignmentHeader, rows: used)
        for need in 0..<problem.needCount {
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1]) {
                guard assignment.units[edge] > 0 else { continue }
                writer.integer(problem.needIDs[need], then: .comma)
                writer.integer(problem.offerIDs[Int(problem.edgeOffers[edge])], then: .comma)
                writer.integer(Int64(assignment.units[edge]), then: .newline)
            }
        }
        return writer.finished()
    }

    /// The instance as its files (what a matching run exports): scores with 6 decimals, and
    /// the household column and file only when the instance has a household cap.
    public static func render(_ problem: TransportationProblem) -> Files {
        let hasHouseholds = !problem.householdIDs.isEmpty
        let needs = CSVWriter(header: hasHouseholds ? needsWithHouseholdHeader : needsHeader, rows: problem.needCount)
        for need in 0..<problem.needCount {
            needs.integer(problem.needIDs[need], then: .comma)
            guard hasHouseholds else {
                needs.integer(Int64(problem.needQuantities[need]), then: .newline)
                continue
            }
            needs.integer(Int64(problem.needQuantities[need]), then: .comma)
            let household = Int(problem.needHouseholds[need])
            if household >= 0 { needs.integer(problem.householdIDs[household], then: nil) }
            needs.byte(.newline)
        }
        let offers = CSVWriter(header: offersHeader, rows: problem.offerCount)
        for offer in 0..<problem.offerCount {
            offers.integer(problem.offerIDs[offer], then: .comma)
            offers.integer(Int64(problem.offerCapacities[offer]), then: .newline)
        }
        let edges = CSVWriter(header: edgesHeader, rows: problem.edgeCount)
        for need in 0..<problem.needCount {
            for edge in Int(problem.edgeStart[need])..<Int(problem.edgeStart[need + 1]) {
                edges.integer(problem.needIDs[need], then: .comma)
                edges.integer(problem.offerIDs[Int(problem.edgeOffers[edge])], then: .comma)
                edges.score(problem.edgeScores[edge])
            }
        }
        var households: [UInt8]?
        if hasHouseholds {
            let writer = CSVWriter(header: householdsHeader, rows: problem.householdIDs.count)
            for household in 0..<problem.householdIDs.count {
                writer.integer(problem.householdIDs[household], then: .comma)
                writer.integer(Int64(problem.householdCaps[household]), then: .newline)
            }
            households = writer.finished()
        }
        return Files(
            needs: needs.finished(), offers: offers.finished(), edges: edges.finished(), households: households)
    }
}
