import Foundation
import Matching
import Postgres

/// Turns the constraint violations a write can still meet after its own validation (a
/// concurrent insert of the same key, a row deleted meanwhile, a value only the database
/// checks) into the ``StoreError`` the caller can act on; `errors` maps constraint names.
/// Any other failure passes through unchanged, and SQL text never reaches the caller.
func mappingViolations<T>(_ errors: [String: StoreError], _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as PostgresError {
        guard let name = error.constraintName, let mapped = errors[name] else { throw error }
        throw mapped
    }
}

/// Checks an `If-Match` style version against the stored one.
func checkVersion(_ expected: Int?, current: Int, entity: EntityKind, id: Int64) throws(StoreError) {
    if let expected, expected != current {
        throw .versionMismatch(entity: entity, id: String(id), current: current)
    }
}

/// A trimmed non-empty text, or ``StoreError/invalid(field:reason:)`` naming `field`;
/// its characters must pass `rule` (one line unless said otherwise).
func requiredText(
    _ text: String, field: String, maxLength: Int = 200, rule: TextRule = .singleLine
) throws(StoreError) -> String {
    guard let trimmed = try optionalText(text, field: field, maxLength: maxLength, rule: rule) else {
        throw .invalid(field: field, reason: "is required")
    }
    return trimmed
}

/// A trimmed text or nil when blank; too long, or characters `rule` refuses, is
/// ``StoreError/invalid(field:reason:)``.
func optionalText(
    _ text: String?, field: String, maxLength: Int = 2000, rule: TextRule = .singleLine
) throws(StoreError) -> String? {
    guard let text else { return nil }
    if let violation = rule.violation(in: text) { throw .invalid(field: field, reason: violation) }
    let trimmed = text.trimmingBlanks()
    guard trimmed.count <= maxLength else {
        throw .invalid(field: field, reason: "is longer than \(maxLength) characters")
    }
    return trimmed.isEmpty ? nil : trimmed
}

extension PostgresRow {
    /// A point from a latitude and a longitude column, nil when they are NULL (the schema
    /// keeps the two NULL together).
    func decodePoint(latitude: String, longitude: String) throws -> GeoPoint? {
        guard let lat = try decode(Double?.self, latitude), let lon = try decode(Double?.self, longitude) else {
            return nil
        }
        return GeoPoint(latitude: lat, longitude: lon)
    }
}
