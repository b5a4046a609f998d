import Testing

@testable import Dashboard

@Suite("Dashboard words")
struct DashboardTextTests {
    @Test func everyWordExistsInBothLanguagesAndIsNotEmpty() {
        let chinese = DashboardText.strings(.chinese)
        let english = DashboardText.strings(.english)
        #expect(Set(chinese.keys) == Set(english.keys))
        #expect(chinese.values.allSatisfy { !$0.isEmpty } && english.values.allSatisfy { !$0.isEmpty })
        for table in DashboardText.tables { #expect(Set(table.chinese.keys) == Set(table.english.keys)) }
    }
}

extension DashboardTextTests {
    @Test func aWordSharedByTwoGroupsOfPagesMeansTheSameInBoth() {
        for language in [\(chinese: [String: String], english: [String: String]).chinese, \.english] {
            var seen: [String: String] = [:]
            for table in DashboardText.tables {
                for (key, value) in table[keyPath: language] {
                    if let earlier = seen[key] { #expect(earlier == value, "\(key): \(earlier) ≠ \(value)") }
                    seen[key] = value
                }
            }
        }
    }
}
