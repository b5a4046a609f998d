import Foundation
import Matching
import Postgres
import Store

/// Small helpers the repository tests share: a tiny seeded county, counts of audit rows,
/// and ready-made inputs that pass validation.
enum RepositoryFixtures {
    /// Enough for every repository test; seeding more would only slow the suite.
    static let smallPlan = SeededCounty.plan(households: 30)
    static let today = 2026_11_26
    static let countyScope = SeededCounty.county.scope
    /// A county next door, with nothing in it.
    static let elsewhere = RegionScope(prefix: "320509")

    static func with(_ label: String, _ body: (PostgresClient) async throws -> Void) async throws {
        try await SeededCounty.with(label, plan: smallPlan) { _, client in try await body(client) }
    }

    /// Rows of `audit_log` for one entity and action.
    static func audits(_ client: PostgresClient, _ action: String, _ entity: Int64) async throws -> Int {
        try await SeededCounty.count(
            client, "SELECT count(*) FROM audit_log WHERE action = $1 AND entity_id = $2", [action, String(entity)])
    }

    /// All rows of `audit_log`.
    static func allAudits(_ client: PostgresClient) async throws -> Int {
        try await SeededCounty.count(client, "SELECT count(*) FROM audit_log")
    }

    /// A valid 统一社会信用代码 differing by `serial` (0–9).
    static func creditCode(_ serial: Int) -> String {
        CreditCode.completing("51320508MA1ABCD\(serial)\(serial)")?.value ?? ""
    }

    /// A valid ID number differing by `serial` (100–999).
    static func idNumber(_ serial: Int) -> String {
        ResidentIDNumber.completing("32050819800101\(serial)", today: today)?.value ?? ""
    }

    /// Some village of the seeded county.
    static func village(_ client: PostgresClient) async throws -> String {
        try await client.query("SELECT min(code) AS code FROM regions WHERE level = 5")[0].decode(String.self, "code")
    }

    static func categoryID(_ client: PostgresClient, _ code: String) async throws -> Int64 {
        try await client.query("SELECT id FROM categories WHERE code = $1", [code])[0].decode(Int64.self, "id")
    }

    static func registration(_ serial: Int, region: String, consent: Bool = true) -> HouseholdRegistration {
        HouseholdRegistration(
            caseNumber: "T-\(serial)", idNumber: idNumber(serial), headName: "测试户\(serial)", regionCode: region,
            members: 3, assistanceStatuses: ["低保"], vulnerabilityFlags: ["disabled"], perCapitaIncome: "650.50",
            consentGivenAt: consent ? "2026-01-05" : nil, consentScope: consent ? "需求信息共享" : nil,
            memberBirthDates: ["1980-01-01"])
    }

    /// A new account of `role` in the seeded county (an administrator has none) acting over
    /// `scope`, as the Store sees it.
    static func principal(
        _ client: PostgresClient, _ role: UserRole, scope: RegionScope?, login: String
    ) async throws -> Principal {
        let user = try await UserRepository(client: client).create(
            login: login, name: "Person", role: role,
            regionCode: role == .admin ? nil : SeededCounty.county.digits, by: .system)
        return Principal(userID: user.id, tokenID: 0, role: role, regionScope: scope, charityID: nil)
    }
}
