import Matching
import Testing

@Suite("Check codes from the reference vectors")
struct CheckCodeTests {
    @Test(arguments: ["11010519491231002X", "360426199101010071", "513101198201130014", "11010519491231002x"])
    func validIDNumbers(_ text: String) throws {
        let number = try ResidentIDNumber(text, today: 2026_11_26)
        #expect(number.value == text.uppercased())
        #expect(number.masked.count == 18)
        #expect(number.masked.hasSuffix(String(text.uppercased().suffix(4))))
    }

    @Test(arguments: [
        ("110105194912310021", ResidentIDNumber.Problem.checkCharacter),
        ("440524188001010015", .checkCharacter),
        ("11010519491331002X", .birthDate),
        ("1101051949123100", .length),
        ("11010520991231002X", .birthDate),
        ("1101051949123100AX", .characters),
    ])
    func invalidIDNumbers(_ text: String, _ problem: ResidentIDNumber.Problem) {
        #expect(throws: problem) { try ResidentIDNumber(text, today: 2026_11_26) }
    }

    @Test func maskedForm() throws {
        #expect(try ResidentIDNumber("11010519491231002X", today: 2026_11_26).masked == "110***********002X")
    }

    @Test(arguments: ["91110000600037341L", "91350100M000100Y43", "91350211M0000XUF4R"])
    func validCreditCodes(_ text: String) throws {
        #expect(try CreditCode(text).value == text)
    }

    @Test(arguments: [
        ("91350100M000100Y4Z", CreditCode.Problem.character(position: 18)),
        ("91110000600037341I", .character(position: 18)),
        ("91350211M0000XUF46", .checkCharacter),
        ("9135", .length),
    ])
    func invalidCreditCodes(_ text: String, _ problem: CreditCode.Problem) {
        #expect(throws: problem) { try CreditCode(text) }
    }

    @Test func regionLevelsAndScopes() throws {
        let community = try #require(RegionCode("320508019044"))
        #expect(community.level == .village)
        let township = try #require(community.ancestor(at: .township))
        #expect(township.digits == "320508019000")
        #expect(township.contains(community))
        #expect(try #require(RegionCode("320500000000")).level == .prefecture)
        #expect(try #require(RegionCode("320000000000")).contains(community))

        let town = try #require(RegionCode("110105100000"))
        let neighbour = try #require(RegionCode("110105101001"))
        #expect(!town.contains(neighbour))
        #expect(town.scopePrefix == "110105100")

        #expect(try #require(RegionCode("441900003000")).level == .township)
        for bad in ["32050801904", "3205080190441", "00050801904A", "000000000000", "320008019044", "320508000044"] {
            #expect(RegionCode(bad) == nil)
        }
    }
}
