import Foundation
import Postgres

/// Where a need is: open → matched (covered by live matches) → fulfilled, or cancelled or
/// expired.
public enum NeedStatus: String, Sendable, Codable, CaseIterable {
    case open, matched, fulfilled, cancelled, expired
}

/// A need as stored.
public struct NeedRecord: Sendable, Equatable, Codable {
    public var id: Int64
    public var householdID: Int64
    public var categoryID: Int64
    public var quantity: Int
    public var unit: String
    /// Units delivered so far.
    public var fulfilledQuantity: Int
    /// 1 (can wait) to 5 (most urgent).
    public var urgency: Int
    /// 急难.
    public var isEmergency: Bool
    /// `yyyy-mm-dd`.
    public var neededBy: String?
    public var description: String?
    public var status: NeedStatus
    public var recordedAt: Date
    public var recordedBy: Int64?
    public var closedAt: Date?
    public var version: Int
    public var updatedAt: Date

    static let columns = """
        n.id, n.household_id, n.category_id, n.quantity, n.unit, n.fulfilled_quantity, n.urgency, n.emergency,
        n.needed_by::text AS needed_by, n.description, n.status, n.recorded_at, n.recorded_by, n.closed_at,
        n.version, n.updated_at
        """

    init(row: PostgresRow) throws {
        id = try row.decode(Int64.self, "id")
        householdID = try row.decode(Int64.self, "household_id")
        categoryID = try row.decode(Int64.self, "category_id")
        quantity = try row.decode(Int.self, "quantity")
        unit = try row.decode(String.self, "unit")
        fulfilledQuantity = try row.decode(Int.self, "fulfilled_quantity")
        urgency = Int(try row.decode(Int32.self, "urgency"))
        isEmergency = try row.decode(Bool.self, "emergency")
        neededBy = try row.decode(String?.self, "needed_by")
        description = try row.decode(String?.self, "description")
        status = try row.decodeCode(NeedStatus.self, "status")
        recordedAt = try row.decode(Date.self, "recorded_at")
        recordedBy = try row.decode(Int64?.self, "recorded_by")
        closedAt = try row.decode(Date?.self, "closed_at")
        version = try row.decode(Int.self, "version")
        updatedAt = try row.decode(Date.self, "updated_at")
    }
}

/// What a caseworker says about a need, when recording it and when correcting it.
public struct NeedDetails: Sendable, Equatable, Codable {
    /// Whole units, at least 1.
    public var quantity: Int
    /// A unit code (or its Chinese word); nil means the category's default unit.
    public var unit: String?
    /// 1 (can wait) to 5 (most urgent).
    public var urgency: Int
    public var isEmergency: Bool
    /// `yyyy-mm-dd`, today or later.
    public var neededBy: String?
    public var description: String?

    public init(
        quantity: Int, unit: String? = nil, urgency: Int = 3, isEmergency: Bool = false, neededBy: String? = nil,
        description: String? = nil
    ) {
        self.quantity = quantity
        self.unit = unit
        self.urgency = urgency
        self.isEmergency = isEmergency
        self.neededBy = neededBy
        self.description = description
    }

    /// The details with the unit resolved against `category`, checked by the needs roll's
    /// rules and ``NeedPlausibility`` for a household of `members`; each failure names its
    /// field.
    func validated(category: CategoryRecord, members: Int, today: Int) throws(StoreError) -> NeedDetails {
        guard category.level == 2 else {
            throw .invalid(field: "category_id", reason: "\(category.code) is a group of categories; name one of them")
        }
        guard quantity >= 1 else { throw .invalid(field: "quantity", reason: "must be a whole number of at least 1") }
        guard (1...5).contains(urgency) else {
            throw .invalid(field: "urgency", reason: "must be a whole number from 1 to 5")
        }
        var valid = self
        if let text = unit?.trimmingBlanks(), !text.isEmpty {
            guard let code = NeedRoster.units[text.lowercased()] else {
                throw .invalid(
                    field: "unit", reason: "unknown unit \(text); use portion, set, piece, box, yuan, hour or session")
            }
            valid.unit = code
        } else {
            guard let unit = category.defaultUnit else {
                throw .invalid(field: "unit", reason: "is required: \(category.code) has no default unit")
            }
            valid.unit = unit
        }
        var neededByDate: Int?
        if let text = neededBy {
            guard let date = CivilDate(text), date.number >= today else {
                throw .invalid(field: "needed_by", reason: "must be today or a later date written yyyy-mm-dd")
            }
            valid.neededBy = date.description
            neededByDate = date.number
        }
        let implausible = NeedPlausibility.problems(
            category: category.code, kind: category.kind, unit: valid.unit ?? "", quantity: quantity,
            members: members, neededBy: neededByDate, today: today)
        if let first = implausible.first { throw .invalid(field: first.field, reason: first.reason) }
        valid.description = try optionalText(description, field: "description", rule: .multiLine)
        return valid
    }
}
