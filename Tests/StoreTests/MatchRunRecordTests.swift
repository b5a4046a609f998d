import Foundation
import Matching
import Postgres
import Store
import TestSupport
import Testing

@Suite("Matching run records")
struct MatchRunRecordTests {
    private static let now = SeededCounty.asOf.addingTimeInterval(12 * 3600)

    @Test func aStoredRunReadsBackAsItsReportSaid() async throws {
        try await SeededCounty.with("runrecord") { _, client in
            let runs = MatchingRuns(client: client)
            let (report, _) = try await runs.run(MatchingRunRequest(region: SeededCounty.county, now: Self.now))
            let id = try #require(report.runID)
            let record = try #require(try await runs.run(id: id, within: nil))
            #expect(record.id == id && record.region == report.region)
            #expect(record.status == .completed && !record.dryRun)
            #expect(record.policyName == report.policyName && record.policyVersion == report.policyVersion)
            #expect(record.weights == WeightPolicy.standard.weights)
            #expect(record.householdCap == 3 && record.householdCapScope == "kind" && record.lookBackDays == 90)
            #expect(record.needs == report.needs && record.offers == report.offers && record.edges == report.edges)
            #expect(record.matches == report.matches && record.units == report.units)
            #expect(record.objectiveMicro == report.objectiveMicro && record.solver == report.solver)
            #expect(record.inputFingerprint == report.inputFingerprint)
            #expect(record.seconds?.persist == report.seconds.persist)
            #expect(record.startedBy == nil)
            let finished = try #require(record.finishedAt)
            #expect(finished >= record.startedAt)
        }
    }

    @Test func runsAreListedNewestFirstWithinTheCallersRegionOnly() async throws {
        try await SeededCounty.with("runlist") { _, client in
            let runs = MatchingRuns(client: client)
            let township = try #require(RegionCode("320508001000"))
            let otherTownship = try #require(RegionCode("320508002000"))
            var ids: [Int64] = []
            for region in [township, SeededCounty.county, SeededCounty.county] {
                let (report, _) = try await runs.run(MatchingRunRequest(region: region, now: Self.now))
                ids.append(try #require(report.runID))
            }
            var listed: [Int64] = []
            var cursor: Int64?
            var pages = 0
            repeat {
                let page = try await runs.runs(
                    within: SeededCounty.county.scope, page: PageRequest(after: cursor, limit: 2))
                listed += page.items.map(\.id)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil
            #expect(listed == ids.reversed() && pages == 2)
            #expect(try await runs.runs(within: nil, page: PageRequest()).items.map(\.id) == ids.reversed())
            // A township's coordinator sees the township's run, not the county's.
            #expect(try await runs.runs(within: township.scope, page: PageRequest()).items.map(\.id) == [ids[0]])
            #expect(try await runs.runs(within: otherTownship.scope, page: PageRequest()).items.isEmpty)
            #expect(try await runs.run(id: ids[1], within: township.scope) == nil)
            #expect(try await runs.run(id: ids[0], within: township.scope)?.region == township.digits)
            #expect(try await runs.run(id: ids[0], within: SeededCounty.county.scope)?.id == ids[0])
            #expect(try await runs.run(id: ids[0], within: otherTownship.scope) == nil)
            #expect(try await runs.run(id: ids[1], within: try #require(RepositoryFixtures.elsewhere)) == nil)
            #expect(try await runs.run(id: 9_999_999, within: nil) == nil)
            await #expect(throws: StoreError.invalid(field: "limit", reason: "must be between 1 and 500")) {
                _ = try await runs.runs(within: nil, page: PageRequest(limit: 0))
            }
        }
    }
}
