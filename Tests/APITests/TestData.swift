import Foundation

/// Inputs the API tests build requests from.
enum TestData {
    /// A valid 公民身份号码 for `serial` (GB 11643 check character computed here), born
    /// 1950-01-01 in 320508.
    static func idNumber(serial: Int) -> String {
        let body = "32050819500101" + String(format: "%03d", serial % 1000)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body.compactMap { $0.wholeNumberValue }, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let check = Array("10X98765432")[sum % 11]
        return body + String(check)
    }

    /// A JSON object literal from pairs whose values are already JSON text.
    static func object(_ fields: KeyValuePairs<String, String>) -> String {
        "{" + fields.map { "\"\($0.key)\":\($0.value)" }.joined(separator: ",") + "}"
    }

    static func quoted(_ text: String) -> String { "\"\(text)\"" }

    static let offerBody = object([
        "category": quoted("material.food"), "title": quoted("冬季食品包"), "capacity": "40",
        "service_region_prefixes": "[\"320508\"]", "eligible_statuses": "[\"dibao\",\"tekun\"]",
    ])

    static func householdBody(region: String, serial: Int, consent: Bool = true) -> String {
        var fields: [(String, String)] = [
            ("case_number", quoted("API-\(serial)")), ("id_number", quoted(idNumber(serial: serial))),
            ("head_name", quoted("测试户主\(serial)")), ("region_code", quoted(region)), ("members", "2"),
            ("assistance_statuses", "[\"dibao\"]"), ("contact_phone", quoted("0512-6500 \(serial)")),
            ("address", quoted("测试路\(serial)号")),
        ]
        if consent {
            fields += [("consent_given_at", quoted("2026-11-01")), ("consent_scope", quoted("物资对接"))]
        }
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }
}
