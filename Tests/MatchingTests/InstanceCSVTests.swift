import Matching
import Testing

@Suite("CSV instances: needs, offers, edges, households and assignment files")
struct InstanceCSVTests {
    /// Builds the files from text, one string per file, so each test reads like the files it feeds.
    private static func files(
        needs: String = "need_id,qty\n1,2\n2,1\n",
        offers: String = "offer_id,cap\n10,1\n20,5\n",
        edges: String = "need_id,offer_id,score\n1,10,0.900000\n1,20,0.500000\n2,10,0.800000\n",
        households: String? = nil
    ) -> InstanceCSV.Files {
        InstanceCSV.Files(
            needs: Array(needs.utf8), offers: Array(offers.utf8), edges: Array(edges.utf8),
            households: households.map { Array($0.utf8) })
    }

    private static func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    @Test func parsesAWellFormedInstance() throws {
        let problem = try InstanceCSV.parse(Self.files())
        #expect(problem.needIDs == [1, 2])
        #expect(problem.needQuantities == [2, 1])
        #expect(problem.offerIDs == [10, 20])
        #expect(problem.offerCapacities == [1, 5])
        #expect(problem.edgeStart == [0, 2, 3])
        #expect(problem.edgeOffers == [0, 1, 0])
        #expect(problem.edgeScores == [900_000, 500_000, 800_000])
        #expect(problem.householdIDs.isEmpty)
    }

    @Test func toleratesCRLFTrailingBlankLinesAndAByteOrderMark() throws {
        let plain = try InstanceCSV.parse(Self.files())
        let windows = try InstanceCSV.parse(
            Self.files(
                needs: "\u{FEFF}need_id,qty\r\n1,2\r\n2,1\r\n\r\n",
                offers: "offer_id,cap\r\n10,1\r\n20,5\r\n\r",
                edges: "need_id,offer_id,score\r\n1,10,0.900000\r\n1,20,0.500000\r\n2,10,0.800000\n\n\n"))
        #expect(windows == plain)
    }

    @Test func householdColumnAndFile() throws {
        let problem = try InstanceCSV.parse(
            Self.files(
                needs: "need_id,qty,household_id\n1,2,7\n2,1,\n", households: "household_id,cap\n7,1\n"))
        #expect(problem.householdIDs == [7])
        #expect(problem.householdCaps == [1])
        #expect(problem.needHouseholds == [0, -1])
    }

    @Test(arguments: [false, true])
    func roundTripsAGeneratedInstance(households: Bool) throws {
        let problem = InstanceGenerator.generate(.init(needs: 300, offers: 40, seed: 11, households: households))
        let files = InstanceCSV.render(problem)
        #expect((files.households != nil) == households)
        #expect(try InstanceCSV.parse(files) == problem)
    }

    @Test func roundTripsExtremeValues() throws {
        let problem = try TransportationProblem(
            needs: [.init(id: Int64.max, quantity: Int32.max, householdID: Int64.min), .init(id: -5, quantity: 1)],
            offers: [(id: 0, capacity: 0), (id: Int64.min, capacity: Int32.max)],
            households: [(id: Int64.min, cap: 0)],
            edges: [
                .init(needID: Int64.max, offerID: 0, scoreMicro: 0),
                .init(needID: -5, offerID: Int64.min, scoreMicro: 1_000_000),
                .init(needID: -5, offerID: 0, scoreMicro: 1),
            ])
        let files = InstanceCSV.render(problem)
        #expect(Self.text(files.edges)?.contains("-5,0,0.000001\n") == true)
        #expect(try InstanceCSV.parse(files) == problem)
    }

    @Test func rendersTheInstanceFiles() throws {
        let problem = try InstanceCSV.parse(
            Self.files(
                needs: "need_id,qty,household_id\n2,1,\n1,2,7\n", households: "household_id,cap\n7,1\n"))
        let files = InstanceCSV.render(problem)
        #expect(Self.text(files.needs) == "need_id,qty,household_id\n1,2,7\n2,1,\n")
        #expect(Self.text(files.offers) == "offer_id,cap\n10,1\n20,5\n")
        #expect(
            Self.text(files.edges) == "need_id,offer_id,score\n1,10,0.900000\n1,20,0.500000\n2,10,0.800000\n")
        #expect(Self.text(files.households) == "household_id,cap\n7,1\n")
    }

    @Test func rendersTheAssignmentInIDOrderWithoutUnusedPairs() throws {
        let problem = try InstanceCSV.parse(
            Self.files(
                needs: "need_id,qty\n2,1\n1,2\n",
                edges: "need_id,offer_id,score\n2,10,0.800000\n1,20,0.500000\n1,10,0.900000\n"))
        let assignment = GreedyAssigner.assign(problem)
        #expect(
            Self.text(InstanceCSV.render(assignment, of: problem))
                == "need_id,offer_id,units\n1,10,1\n1,20,1\n")
    }

    @Test(arguments: ["1.000000", "0.000000", "0.734512", "1.000000\r"])
    func acceptsSixDecimalScores(_ score: String) throws {
        let edges = "need_id,offer_id,score\n1,10,\(score)\n"
        #expect(try InstanceCSV.parse(Self.files(edges: edges)).edgeCount == 1)
    }

    @Test(arguments: [
        ("0.5", InstanceCSV.Reason.scoreNotSixDecimals(text: "0.5")),
        ("1.0000001", .scoreNotSixDecimals(text: "1.0000001")),
        ("1", .scoreNotSixDecimals(text: "1")),
        ("1.", .scoreNotSixDecimals(text: "1.")),
        ("-0.000001", .scoreOutOfRange(text: "-0.000001")),
        ("-0.000000", .scoreOutOfRange(text: "-0.000000")),
        ("1.000001", .scoreOutOfRange(text: "1.000001")),
        ("12345678901234567890.000000", .scoreOutOfRange(text: "12345678901234567890.000000")),
        ("abc", .malformedNumber(column: "score", text: "abc")),
        (".500000", .malformedNumber(column: "score", text: ".500000")),
        ("0.5e-1", .malformedNumber(column: "score", text: "0.5e-1")),
        (" 0.500000", .malformedNumber(column: "score", text: " 0.500000")),
        ("", .malformedNumber(column: "score", text: "")),
    ])
    func rejectsScoresNotWrittenWithSixDecimals(_ score: String, _ reason: InstanceCSV.Reason) {
        let edges = "need_id,offer_id,score\n1,10,0.900000\n1,20,\(score)\n"
        #expect(throws: InstanceCSV.ParseError(file: .edges, line: 3, reason: reason)) {
            try InstanceCSV.parse(Self.files(edges: edges))
        }
    }

    /// A broken instance and the error it must produce.
    struct BrokenInstance: Sendable, CustomTestStringConvertible {
        let files: InstanceCSV.Files
        let error: InstanceCSV.ParseError

        var testDescription: String { error.description }
    }

    private static func broken(
        _ file: InstanceCSV.FileName, line: Int, _ reason: InstanceCSV.Reason,
        needs: String = "need_id,qty\n1,2\n2,1\n", offers: String = "offer_id,cap\n10,1\n20,5\n",
        edges: String = "need_id,offer_id,score\n1,10,0.900000\n", households: String? = nil
    ) -> BrokenInstance {
        BrokenInstance(
            files: files(needs: needs, offers: offers, edges: edges, households: households),
            error: InstanceCSV.ParseError(file: file, line: line, reason: reason))
    }

    private static let householdNeeds = "need_id,qty,household_id\n1,2,7\n"

    /// Every kind of error, with the file and line a person has to open to fix it.
    static let brokenInstances = [
        broken(.needs, line: 1, .missingHeader(expected: "need_id,qty or need_id,qty,household_id"), needs: ""),
        broken(.offers, line: 1, .wrongHeader(expected: "offer_id,cap", found: "offer,cap"), offers: "offer,cap\n"),
        broken(.edges, line: 2, .wrongColumnCount(expected: 3, found: 2), edges: "need_id,offer_id,score\n1,10\n"),
        broken(.offers, line: 2, .wrongColumnCount(expected: 2, found: 3), offers: "offer_id,cap\n10,1,\n"),
        broken(.needs, line: 3, .emptyLine, needs: "need_id,qty\n1,2\n\n2,1\n"),
        broken(.needs, line: 3, .malformedNumber(column: "qty", text: "one"), needs: "need_id,qty\n1,2\n2,one\n"),
        broken(
            .needs, line: 3, .malformedNumber(column: "qty", text: "2147483648"),
            needs: "need_id,qty\n1,2\n2,2147483648\n"),
        broken(
            .offers, line: 2, .malformedNumber(column: "offer_id", text: "9223372036854775808"),
            offers: "offer_id,cap\n9223372036854775808,1\n"),
        broken(
            .edges, line: 2, .malformedNumber(column: "offer_id", text: "1x"),
            edges: "need_id,offer_id,score\n1,1x,0.100000\n"),
        broken(.needs, line: 3, .duplicateID(1), needs: "need_id,qty\n1,2\n1,1\n"),
        broken(.offers, line: 4, .duplicateID(10), offers: "offer_id,cap\n10,1\n20,5\n10,3\n"),
        broken(
            .households, line: 3, .duplicateID(7), needs: householdNeeds,
            households: "household_id,cap\n7,1\n7,2\n"),
        broken(.needs, line: 2, .quantityNotPositive, needs: "need_id,qty\n1,0\n"),
        broken(.offers, line: 3, .capacityNegative, offers: "offer_id,cap\n10,1\n20,-1\n"),
        broken(.households, line: 2, .capacityNegative, needs: householdNeeds, households: "household_id,cap\n7,-1\n"),
        broken(.edges, line: 3, .unknownNeed(3), edges: "need_id,offer_id,score\n1,10,0.100000\n3,10,0.100000\n"),
        broken(.edges, line: 3, .unknownOffer(30), edges: "need_id,offer_id,score\n1,10,0.100000\n1,30,0.100000\n"),
        broken(
            .edges, line: 4, .duplicatePair(needID: 1, offerID: 10),
            edges: "need_id,offer_id,score\n1,10,0.100000\n2,20,0.100000\n1,10,0.200000\n"),
        broken(
            .needs, line: 3, .unknownHousehold(8), needs: "need_id,qty,household_id\n1,2,7\n2,1,8\n",
            households: "household_id,cap\n7,1\n"),
        broken(.needs, line: 1, .householdColumnWithoutFile, needs: householdNeeds),
        broken(.households, line: 1, .householdFileWithoutColumn, households: "household_id,cap\n7,1\n"),
    ]

    @Test(arguments: brokenInstances)
    func reportsTheFileLineAndReason(_ instance: BrokenInstance) {
        #expect(throws: instance.error) { try InstanceCSV.parse(instance.files) }
    }

    @Test func describesErrorsForPeople() {
        let error = InstanceCSV.ParseError(file: .edges, line: 17, reason: .unknownNeed(42))
        #expect(error.description == "edges.csv line 17: need id 42 is not in needs.csv")
        let score = InstanceCSV.ParseError(file: .edges, line: 3, reason: .scoreNotSixDecimals(text: "0.5"))
        #expect(score.description == "edges.csv line 3: score \"0.5\" must have exactly 6 decimals, like 0.734512")
    }
}
