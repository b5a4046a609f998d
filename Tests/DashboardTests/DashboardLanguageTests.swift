import Dashboard
import Testing

@Suite("Dashboard language")
struct DashboardLanguageTests {
    @Test(
        arguments: [
            (nil, nil, DashboardLanguage.chinese),
            (nil, "en-US,en;q=0.9", .english),
            (nil, "fr-FR, en;q=0.5, zh-CN;q=0.8", .chinese),
            (nil, "de-DE", .chinese),
            (nil, "en;q=0, zh-TW", .chinese),
            ("en", "zh-CN", .english),
            ("zh-CN", "en-GB", .chinese),
            ("klingon", "en-GB", .english),
        ] as [(String?, String?, DashboardLanguage)])
    func negotiation(_ explicit: String?, _ header: String?, _ expected: DashboardLanguage) {
        #expect(DashboardLanguage.negotiate(explicit: explicit, acceptLanguage: header) == expected)
    }
}
