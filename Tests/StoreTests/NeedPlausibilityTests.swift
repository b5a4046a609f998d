import Foundation
import Matching
import Postgres
import TestSupport
import Testing

@testable import Store

/// The Store's rules at the edge of what people type: plausible needs (units per kind,
/// bounds per unit and household size, a horizon for `needed_by`), the one list of reason
/// codes with a note for `other`, the text rule on every write, and CSV cells that a
/// spreadsheet cannot run.
@Suite("Plausibility and text rules")
struct NeedPlausibilityTests {
    private static func repository(_ client: PostgresClient) -> NeedRepository {
        NeedRepository(client: client, today: { RepositoryFixtures.today })
    }

    /// A household of `members` people (set so) with no open need in `category`.
    private static func household(
        _ client: PostgresClient, members: Int, without category: Int64
    ) async throws -> Int64 {
        let id = try await client.query(
            """
            SELECT min(h.id) AS id FROM households h
             WHERE NOT EXISTS (SELECT 1 FROM needs n WHERE n.household_id = h.id AND n.category_id = $1
                                 AND n.status IN ('open', 'matched'))
            """, [category])[0].decode(Int64.self, "id")
        try await client.query(
            "UPDATE households SET members = $2, member_birth_dates = member_birth_dates[1:$2] WHERE id = $1",
            [id, members])
        return id
    }

    @Test func theTableBoundsQuantitiesByUnitCategoryAndHouseholdSize() {
        let heating = NeedPlausibility.bound(category: "money.heating", unit: "yuan")
        #expect(heating?.maximum(members: 1) == 1_000 && heating?.maximum(members: 3) == 3_000)
        #expect(NeedPlausibility.bound(category: "money.medical", unit: "yuan")?.maximum(members: 4) == 300_000)
        #expect(NeedPlausibility.bound(category: "material.grain_oil", unit: "portion")?.maximum(members: 2) == 120)
        let grainInHours = NeedPlausibility.problems(
            category: "material.grain_oil", kind: .material, unit: "hour", quantity: 1, members: 1, neededBy: nil,
            today: 2026_11_26)
        #expect(grainInHours.map(\.field) == ["unit"])
        #expect(NeedPlausibility.latestNeededBy(today: 2026_11_26) == 2027_11_26)
        #expect(NeedPlausibility.latestNeededBy(today: 2028_02_29) == 2029_02_28)
        for kind in CategoryKind.allCases { #expect(!(NeedPlausibility.units[kind] ?? []).isEmpty) }
    }

    @Test func implausibleNeedsAreRefusedNamingTheField() async throws {
        try await RepositoryFixtures.with("plausible") { client in
            let needs = Self.repository(client)
            let heating = try await RepositoryFixtures.categoryID(client, "money.heating")
            let grain = try await RepositoryFixtures.categoryID(client, "material.grain_oil")
            let alone = try await Self.household(client, members: 1, without: heating)
            let before = try await RepositoryFixtures.allAudits(client)
            await #expect(
                throws: StoreError.invalid(
                    field: "quantity", reason: "at most 1000 yuan of money.heating for a household of 1 person")
            ) {
                _ = try await needs.record(
                    household: alone, category: heating, NeedDetails(quantity: 1_000_000), by: .system)
            }
            await #expect(
                throws: StoreError.invalid(
                    field: "unit", reason: "material.grain_oil is counted in portion, set, piece, box, not in hour")
            ) {
                _ = try await needs.record(
                    household: alone, category: grain, NeedDetails(quantity: 2, unit: "小时"), by: .system)
            }
            await #expect(throws: StoreError.invalid(field: "needed_by", reason: "must be within a year from today")) {
                _ = try await needs.record(
                    household: alone, category: grain, NeedDetails(quantity: 2, neededBy: "2099-01-01"), by: .system)
            }
            #expect(try await RepositoryFixtures.allAudits(client) == before, "nothing was written")
            let need = try await needs.record(
                household: alone, category: heating, NeedDetails(quantity: 1_000, neededBy: "2027-11-26"), by: .system)
            #expect(need.unit == "yuan" && need.quantity == 1_000)
            await #expect(throws: StoreError.self) {
                _ = try await needs.update(need: need.id, NeedDetails(quantity: 1_001), ifVersion: nil, by: .system)
            }
            await #expect(
                throws: StoreError.invalid(
                    field: "description",
                    reason:
                        "must not contain a control character other than tab and line breaks (U+001B at character 2)")
            ) {
                _ = try await needs.update(
                    need: need.id, NeedDetails(quantity: 900, description: "a\u{1B}b"), ifVersion: nil, by: .system)
            }
            let family = try await Self.household(client, members: 3, without: grain)
            let grainNeed = try await needs.record(
                household: family, category: grain, NeedDetails(quantity: 180, description: "一行\n二行"), by: .system)
            #expect(grainNeed.description == "一行\n二行")
        }
    }

    @Test func theNeedsImportAppliesTheSameRules() async throws {
        try await RepositoryFixtures.with("plausible-import") { client in
            let rows = try await client.query(
                """
                SELECT h.case_number FROM households h
                 WHERE NOT EXISTS (
                       SELECT 1 FROM needs n JOIN categories c ON c.id = n.category_id
                        WHERE n.household_id = h.id AND n.status IN ('open', 'matched')
                          AND c.code IN ('money.heating', 'material.grain_oil'))
                 ORDER BY h.id LIMIT 3
                """
            ).map { try $0.decode(String.self, "case_number") }
            try #require(rows.count == 3)
            try await client.query(
                "UPDATE households SET members = 1, member_birth_dates = member_birth_dates[1:1] WHERE case_number = ANY($1)",
                [rows])
            let csv = """
                case_number,category,quantity,unit,needed_by
                \(rows[0]),取暖费,1000000,,
                \(rows[1]),粮油,2,小时,
                \(rows[2]),粮油,2,,2099-01-01
                \(rows[2]),取暖费,800,,
                """
            let report = try await RosterImporter(client: client, logger: TestDatabase.logger).importNeeds(
                csv: Array(csv.utf8),
                options: .init(mode: .partial, today: RepositoryFixtures.today))
            #expect(report.imported == 1)
            #expect(report.problems.map { "\($0.line) \($0.column ?? "")" } == ["2 quantity", "3 unit", "4 needed_by"])
        }
    }

    @Test func reasonCodesComeFromOneListAndOtherNeedsANote() async throws {
        try await SeededCounty.with("reasons") { _, client in
            let (_, matches) = try await SeededCounty.offerWithProposals(capacity: 5, count: 3, client: client)
            let lifecycle = MatchRepository(client: client)
            await #expect(
                throws: StoreError.invalid(
                    field: "reason_code", reason: "must be one of: " + DecisionReasons.reject.joined(separator: ", "))
            ) {
                _ = try await lifecycle.apply(.reject, to: matches[0], by: .system, reasonCode: "capacity")
            }
            await #expect(throws: StoreError.invalid(field: "reason_code", reason: "is not given to approve a match")) {
                _ = try await lifecycle.apply(.approve, to: matches[0], by: .system, reasonCode: "not_eligible")
            }
            for note in [nil, "  "] {
                await #expect(
                    throws: StoreError.invalid(
                        field: "note", reason: "is required when the reason is other: say what it was")
                ) {
                    _ = try await lifecycle.apply(.reject, to: matches[0], by: .system, reasonCode: "other", note: note)
                }
            }
            let rejected = try await lifecycle.apply(
                .reject, to: matches[0], by: .system, reasonCode: "other", note: "户主已迁出本县")
            #expect(rejected.status == .rejected && rejected.note == "户主已迁出本县")
            _ = try await lifecycle.approve(match: matches[1], by: .system)
            let declined = try await lifecycle.apply(.decline, to: matches[1], by: .system, reasonCode: "no_capacity")
            #expect(declined.reasonCode == "no_capacity")
            let need = try #require(try await lifecycle.match(id: matches[2])).needID
            await #expect(
                throws: StoreError.invalid(
                    field: "note", reason: "is required when the reason is other: say what it was")
            ) {
                _ = try await Self.repository(client).cancel(need: need, by: .system, reason: "other")
            }
            let cancelled = try await Self.repository(client).cancel(
                need: need, by: .system, reason: "other", note: "重复登记")
            #expect(cancelled.status == .cancelled)
            #expect(
                Set(DecisionReasons.all)
                    == Set(DecisionReasons.reject + DecisionReasons.decline + DecisionReasons.cancel))
            #expect(DecisionReasons.reject.contains("no_capacity") && DecisionReasons.decline.contains("no_capacity"))
        }
    }

    @Test func exportedCellsNeverRunAsFormulasEvenAfterControlCharacters() async throws {
        for cell in ["=1+2", "\u{1B}=1+2", "  =1+2", "\u{202E}@SUM(A1)", "\u{7}\u{85}+1", "\t1", "\r-1", "-x"] {
            #expect(MatchExport.quoted(cell).hasPrefix("'") || MatchExport.quoted(cell).hasPrefix("\"'"), "\(cell)")
        }
        for cell in ["-5", "+3.5", "冬季食品包", "a=b", ""] {
            #expect(!MatchExport.quoted(cell).contains("'"), "\(cell)")
        }
        try await SeededCounty.with("export-formula") { _, client in
            let (offer, _) = try await SeededCounty.offerWithProposals(capacity: 5, count: 1, client: client)
            try await client.query("UPDATE offers SET title = $2 WHERE id = $1", [offer, "\u{1B}=1+2"])
            let csv = String(decoding: try await MatchExport(client: client).csv(.status(.proposed)), as: UTF8.self)
            #expect(csv.contains(",'\u{1B}=1+2,"))
            #expect(!csv.contains(",\u{1B}=1+2,"))
        }
    }
}

extension NeedPlausibilityTests {
    /// README.md's table and the contract's `NeedInput` state the bounds the Store applies.
    @Test func theDocumentsStateTheBoundsTable() throws {
        let readme = try String(
            contentsOf: RepositoryLayout.root.appendingPathComponent("README.md"), encoding: .utf8)
        let contract = try String(
            contentsOf: RepositoryLayout.root.appendingPathComponent("Sources/API/openapi.yaml"), encoding: .utf8)
        let rows = readme.split(separator: "\n").filter { $0.hasPrefix("| ") }
        let bounds = NeedPlausibility.categoryBounds.merging(NeedPlausibility.unitBounds) { first, _ in first }
        for (key, bound) in bounds.sorted(by: { $0.key < $1.key }) {
            let marker = key == "yuan" ? "| any other sum in `yuan`" : "| `\(key)`"
            let row = rows.first { $0.hasPrefix(marker) }
            let cells = row?.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
            let figures = cells.dropFirst().prefix(2).map { $0.replacingOccurrences(of: ",", with: "") }
            #expect(figures == [String(bound.perHousehold), String(bound.perMember)], "README row for \(key)")
            #expect(contract.contains("\(key) \(bound.perHousehold)+\(bound.perMember)"), "openapi.yaml for \(key)")
        }
    }
}
