import Foundation
import Matching
import Postgres

/// What a caseworker corrects about a registered household after a visit: who lives there,
/// the assistance it receives, its vulnerabilities and how to reach it. Nil keeps the stored
/// value; a blank text clears an optional one. The case number, the ID number and the
/// village are the roll's keys and are not changed here.
public struct HouseholdChanges: Sendable, Equatable {
    /// 1 to 99, and no fewer than the birth dates on file.
    public var members: Int?
    /// Codes or their Chinese names, as in a roll file; an empty list clears them.
    public var assistanceStatuses: [String]?
    public var vulnerabilityFlags: [String]?
    /// The head of household (stored as `households.contact_name`).
    public var headName: String?
    public var contactPhone: String?
    public var address: String?

    public init(
        members: Int? = nil, assistanceStatuses: [String]? = nil, vulnerabilityFlags: [String]? = nil,
        headName: String? = nil, contactPhone: String? = nil, address: String? = nil
    ) {
        self.members = members
        self.assistanceStatuses = assistanceStatuses
        self.vulnerabilityFlags = vulnerabilityFlags
        self.headName = headName
        self.contactPhone = contactPhone
        self.address = address
    }

    /// The changes applied to `current`, checked by the roll's rules (codes, exclusive
    /// statuses, phone format, members against the birth dates on file).
    func applied(to current: HouseholdRecord) throws(StoreError) -> HouseholdRecord {
        var next = current
        if let members {
            guard (1...99).contains(members) else {
                throw .invalid(field: "members", reason: "must be a whole number from 1 to 99")
            }
            guard members >= current.memberBirthDates.count else {
                throw .invalid(
                    field: "members", reason: "is fewer than the \(current.memberBirthDates.count) birth dates on file")
            }
            next.members = members
        }
        typealias Column = HouseholdRoster.Column
        var problems: [RowProblem] = []
        let fields = SubmittedFields<Column>(values: [
            .assistanceStatuses: (assistanceStatuses ?? []).joined(separator: ";"),
            .vulnerabilityFlags: (vulnerabilityFlags ?? []).joined(separator: ";"),
        ])
        if assistanceStatuses != nil {
            let statuses: [AssistanceStatus] = HouseholdRoster.codes(
                fields, .assistanceStatuses, names: HouseholdRoster.statusNames, problems: &problems)
            if problems.isEmpty, statuses.filter({ [.dibao, .tekun, .dibaoEdge].contains($0) }).count > 1 {
                throw .invalid(
                    field: "assistance_statuses",
                    reason: "低保 (dibao), 特困 (tekun) and 低保边缘 (dibao_edge) exclude each other")
            }
            next.assistanceStatuses = statuses
        }
        if vulnerabilityFlags != nil {
            next.vulnerabilityFlags = HouseholdRoster.codes(
                fields, .vulnerabilityFlags, names: HouseholdRoster.flagNames, problems: &problems)
        }
        if let problem = problems.first {
            throw .invalid(field: problem.column ?? "household", reason: problem.reason)
        }
        if let headName { next.contactName = try optionalText(headName, field: "head_name", maxLength: 100) }
        if let contactPhone {
            let phone = try optionalText(contactPhone, field: "contact_phone", maxLength: 40)
            if let phone, !HouseholdRoster.isPhoneNumber(phone) {
                throw .invalid(
                    field: "contact_phone", reason: "is not a phone number (digits, spaces, +, -, parentheses)")
            }
            next.contactPhone = phone
        }
        if let address {
            next.address = try optionalText(address, field: "address", maxLength: 500, rule: .multiLine)
        }
        return next
    }
}

extension HouseholdRepository {
    /// Applies `changes` to the household if it is still at `expectedVersion`, so a save
    /// made from a page read before someone else's save is refused with
    /// ``StoreError/versionMismatch(entity:id:current:)`` instead of undoing theirs. The
    /// caller must be allowed ``Action/changeHousehold``; a household outside their region
    /// is ``StoreError/notFound(entity:id:)`` exactly like a missing one. Audited as
    /// `household.update` with the fields changed (names only, never their values).
    public func update(
        household id: Int64, expectedVersion: Int, _ changes: HouseholdChanges, by principal: Principal
    ) async throws -> HouseholdRecord {
        try principal.authorize(.changeHousehold)
        let scope = principal.regionLimit
        return try await client.withTransaction { connection in
            let current = try Self.lock(id, within: scope, on: connection)
            try checkVersion(expectedVersion, current: current.version, entity: .household, id: id)
            let next = try changes.applied(to: current)
            let changed = Self.changedFields(from: current, to: next)
            guard !changed.isEmpty else { return current }
            let rows = try connection.query(
                """
                WITH h AS (
                    UPDATE households SET members = $2, assistance_statuses = $3::text[],
                           vulnerability_flags = $4::text[], contact_name = $5, contact_phone = $6, address = $7,
                           version = version + 1
                     WHERE id = $1 RETURNING *)
                SELECT \(HouseholdRecord.columns) FROM h
                """,
                [
                    id, next.members, next.assistanceStatuses.map(\.rawValue), next.vulnerabilityFlags.map(\.rawValue),
                    next.contactName, next.contactPhone, next.address,
                ])
            try AuditTrail.record(
                on: connection, actor: principal.actor, action: "household.update", entityType: "household",
                entityID: String(id), details: HouseholdUpdateAudit(fromVersion: current.version, fields: changed))
            return try HouseholdRecord(row: rows[0])
        }
    }

    /// The fields whose values differ, by their roll column names.
    private static func changedFields(from old: HouseholdRecord, to new: HouseholdRecord) -> [String] {
        var fields: [String] = []
        if old.members != new.members { fields.append("members") }
        if old.assistanceStatuses != new.assistanceStatuses { fields.append("assistance_statuses") }
        if old.vulnerabilityFlags != new.vulnerabilityFlags { fields.append("vulnerability_flags") }
        if old.contactName != new.contactName { fields.append("head_name") }
        if old.contactPhone != new.contactPhone { fields.append("contact_phone") }
        if old.address != new.address { fields.append("address") }
        return fields
    }
}

/// What a household's update adds to its audit row: which fields, never what they hold.
private struct HouseholdUpdateAudit: Encodable {
    let fromVersion: Int
    let fields: [String]

    enum CodingKeys: String, CodingKey {
        case fromVersion = "from_version"
        case fields
    }
}
