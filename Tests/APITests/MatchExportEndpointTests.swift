import Foundation
import HTTPTypes
import Testing

@testable import API

@Suite("The matches CSV over /v1")
struct MatchExportEndpointTests {
    /// Spreadsheets on Chinese Windows read a file as GBK unless it starts with a BOM; the
    /// pages show China time, so the file does too; the header is English unless asked.
    @Test func theExportHasABOMChinaTimesAndTheHeaderInTheLanguageAsked() async throws {
        try await APIFixture.with("export_csv") { fixture in
            try await fixture.test { api in
                let run = try await api.call(
                    .post, "/v1/match-runs", as: .coordinator, json: #"{"region":"\#(APIFixture.county)000000"}"#)
                guard case .integer(let runID)? = run["run_id"] else {
                    Issue.record("the run has no id: \(run.text)")
                    return
                }
                let english = try await api.call(.get, "/v1/exports/matches.csv?run_id=\(runID)", as: .coordinator)
                #expect(english.status == .ok)
                #expect(Array(english.body.prefix(3)) == [0xEF, 0xBB, 0xBF])
                let lines = String(decoding: english.body.dropFirst(3), as: UTF8.self).split(separator: "\n")
                #expect(lines.first?.hasPrefix("match_id,run_id,status,") == true)
                let matches = try await fixture.scalar(
                    Int.self, "SELECT count(*)::int FROM matches WHERE run_id = $1", [runID])
                #expect(matches > 0 && lines.count == matches + 1)
                #expect(lines.dropFirst().allSatisfy { $0.contains("+08:00") })
                let chinese = try await api.call(
                    .get, "/v1/exports/matches.csv?run_id=\(runID)&lang=zh-CN", as: .coordinator)
                #expect(String(decoding: chinese.body.dropFirst(3), as: UTF8.self).hasPrefix("匹配编号,运行编号,状态,"))
                let unknown = try await api.call(
                    .get, "/v1/exports/matches.csv?run_id=\(runID)&lang=fr", as: .coordinator)
                #expect(unknown.status == .badRequest)
            }
        }
    }
}
