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
