import Foundation
import Matching
import Postgres

/// What a caseworker corrects about a registered household after a visit: who lives there,
/// the assistance it receives, its vulnerabilities and how to reach it. Nil keeps the stored
/// value; a blank text clears an optional one. The case number, the ID number and the
/// village are the roll's keys and are not changed here (a move is a transfer).
public struct HouseholdChanges: Sendable, Equatable {
    /// 1 to 99, and no fewer than the birth dates on file.
    public var members: Int?
    /// The members' birth dates, `yyyy-mm-dd`, past days, at most one per member; an empty
    /// list clears them. They decide which offers' age rules the household meets.
    public var memberBirthDates: [String]?
    /// Codes or their Chinese names, as in a roll file; an empty list clears them.
    public var assistanceStatuses: [String]?
    public var vulnerabilityFlags: [String]?
    /// The head of household (stored as `households.contact_name`).
    public var headName: String?
    public var contactPhone: String?
    public var address: String?
    /// Why: required when the assistance statuses change (动态管理 keeps the reason of every
    /// status that starts or ends), kept in the audit row; optional otherwise.
    public var reason: String?

    public init(
        members: Int? = nil, memberBirthDates: [String]? = nil, assistanceStatuses: [String]? = nil,
        vulnerabilityFlags: [String]? = nil, headName: String? = nil, contactPhone: String? = nil,
        address: String? = nil, reason: String? = nil
    ) {
        self.members = members
        self.memberBirthDates = memberBirthDates
        self.reason = reason
        self.assistanceStatuses = assistanceStatuses
        self.vulnerabilityFlags = vulnerabilityFlags
        self.headName = headName
        self.contactPhone = contactPhone
        self.address = address
    }

    /// The changes applied to `current`, checked by the roll's rules (codes, exclusive
    /// statuses, phone format, members against the birth dates on file).
    func applied(to current: HouseholdRecord, today: Int) throws(StoreError) -> HouseholdRecord {
        var next = current
        if let memberBirthDates {
            next.memberBirthDates = try memberBirthDates.map { text throws(StoreError) in
                guard let date = CivilDate(text.trimmingBlanks()), date.number <= today else {
                    throw .invalid(field: "member_birth_dates", reason: "\(text) is not a past date written yyyy-mm-dd")
                }
                return date.description
            }
        }
        if let members {
            guard (1...99).contains(members) else {
                throw .invalid(field: "members", reason: "must be a whole number from 1 to 99")
            }
            next.members = members
        }
        guard next.members >= next.memberBirthDates.count else {
            throw .invalid(
                field: memberBirthDates == nil ? "members" : "member_birth_dates",
                reason: "lists \(next.memberBirthDates.count) birth dates for \(next.members) member(s)")
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
    /// `household.update` with the fields changed (names only, never their values) and the
    /// reason. A status that ends takes its consequences in the same transaction
    /// (``HouseholdUpdate``): with no assistance status left the household's open needs are
    /// cancelled and all its live matches with them; otherwise the live matches whose offer
    /// asks for a status the household no longer holds are cancelled, and their needs wait
    /// for the next run. Either way reason code `status_ended`.
    public func update(
        household id: Int64, expectedVersion: Int, _ changes: HouseholdChanges, by principal: Principal
    ) async throws -> HouseholdUpdate {
        try principal.authorize(.changeHousehold)
        let scope = principal.regionLimit
        let reason = try optionalText(changes.reason, field: "reason", maxLength: 500, rule: .multiLine)
        let today = today()
        return try await client.withTransaction { connection in
            let current = try Self.lock(id, within: scope, on: connection)
            try checkVersion(expectedVersion, current: current.version, entity: .household, id: id)
            let next = try changes.applied(to: current, today: today)
            let changed = Self.changedFields(from: current, to: next)
            guard !changed.isEmpty else { return HouseholdUpdate(household: current) }
            let ended = Set(current.assistanceStatuses).subtracting(next.assistanceStatuses)
            if changed.contains("assistance_statuses"), reason == nil {
                throw StoreError.invalid(
                    field: "reason", reason: "is required when the assistance statuses change: say why")
            }
            let rows = try connection.query(
                """
                WITH h AS (
                    UPDATE households SET members = $2, assistance_statuses = $3::text[],
                           vulnerability_flags = $4::text[], contact_name = $5, contact_phone = $6, address = $7,
                           member_birth_dates = $8::date[], version = version + 1
                     WHERE id = $1 RETURNING *)
                SELECT \(HouseholdRecord.columns) FROM h
                """,
                [
                    id, next.members, next.assistanceStatuses.map(\.rawValue), next.vulnerabilityFlags.map(\.rawValue),
                    next.contactName, next.contactPhone, next.address, next.memberBirthDates,
                ])
            var outcome = HouseholdUpdate(household: try HouseholdRecord(row: rows[0]))
            if !ended.isEmpty {
                outcome.endedStatuses = AssistanceStatus.allCases.filter(ended.contains)
                try Self.applyStatusEnding(to: &outcome, on: connection, by: principal.actor)
            }
            try AuditTrail.record(
                on: connection, actor: principal.actor, action: "household.update", entityType: "household",
                entityID: String(id), reason: reason,
                details: HouseholdUpdateAudit(
                    fromVersion: current.version, fields: changed,
                    endedStatuses: outcome.endedStatuses.map(\.rawValue),
                    cancelledMatches: outcome.cancelledMatches, cancelledNeeds: outcome.cancelledNeeds))
            return outcome
        }
    }

    /// What an ended status does to the household's open needs and live matches.
    private static func applyStatusEnding(
        to outcome: inout HouseholdUpdate, on connection: PostgresConnection, by actor: Actor
    ) throws {
        let household = outcome.household
        if household.assistanceStatuses.isEmpty {
            outcome.cancelledMatches = try MatchRepository.cancelLiveMatches(
                ofHousehold: household.id, reasonCode: HouseholdUpdate.reasonCode, on: connection, by: actor)
            outcome.cancelledNeeds = try connection.query(
                """
                UPDATE needs SET status = 'cancelled', closed_at = now(), version = version + 1
                 WHERE household_id = $1 AND status IN ('open', 'matched')
                RETURNING id
                """, [household.id]
            ).map { try $0.decode(Int64.self, "id") }.sorted()
            for need in outcome.cancelledNeeds {
                try AuditTrail.record(
                    on: connection, actor: actor, action: "need.cancel", entityType: "need", entityID: String(need),
                    reason: HouseholdUpdate.reasonCode, details: ["household": household.id])
            }
        } else {
            let unfit = try connection.query(
                """
                SELECT m.id FROM matches m JOIN needs n ON n.id = m.need_id JOIN offers o ON o.id = m.offer_id
                 WHERE n.household_id = $1 AND m.status IN ('proposed', 'approved', 'accepted')
                   AND cardinality(o.eligible_statuses) > 0
                   AND NOT (o.eligible_statuses::text[] && $2::text[])
                 ORDER BY m.id
                """, [household.id, household.assistanceStatuses.map(\.rawValue)]
            ).map { try $0.decode(Int64.self, "id") }
            outcome.cancelledMatches = try MatchRepository.cancelLiveMatches(
                among: unfit, reasonCode: HouseholdUpdate.reasonCode, on: connection, by: actor)
        }
    }

    /// The fields whose values differ, by their roll column names.
    private static func changedFields(from old: HouseholdRecord, to new: HouseholdRecord) -> [String] {
        var fields: [String] = []
        if old.members != new.members { fields.append("members") }
        if old.memberBirthDates != new.memberBirthDates { fields.append("member_birth_dates") }
        if old.assistanceStatuses != new.assistanceStatuses { fields.append("assistance_statuses") }
        if old.vulnerabilityFlags != new.vulnerabilityFlags { fields.append("vulnerability_flags") }
        if old.contactName != new.contactName { fields.append("head_name") }
        if old.contactPhone != new.contactPhone { fields.append("contact_phone") }
        if old.address != new.address { fields.append("address") }
        return fields
    }
}

/// What a household's update did: the household as saved and, when an assistance status
/// ended (动态管理), the needs and live matches closed with it.
public struct HouseholdUpdate: Sendable, Equatable {
    /// The reason code on the needs and matches a status ending closes.
    public static let reasonCode = "status_ended"

    public var household: HouseholdRecord
    public var endedStatuses: [AssistanceStatus] = []
    public var cancelledMatches: [Int64] = []
    public var cancelledNeeds: [Int64] = []
}

/// What a household's update adds to its audit row: which fields, never what they hold.
private struct HouseholdUpdateAudit: Encodable {
    let fromVersion: Int
    let fields: [String]
    let endedStatuses: [String]
    let cancelledMatches: [Int64]
    let cancelledNeeds: [Int64]

    enum CodingKeys: String, CodingKey {
        case fromVersion = "from_version"
        case fields
        case endedStatuses = "ended_statuses"
        case cancelledMatches = "cancelled_matches"
        case cancelledNeeds = "cancelled_needs"
    }
}
