import Foundation
import HTTPTypes
import Hummingbird
import Store

extension DashboardController {
    /// The entity types the trail records, for the filter's choices.
    static var auditEntityTypes: [String] {
        [
            "match", "match_run", "need", "household", "aid_record", "charity", "offer", "weight_policy", "region",
            "user", "api_token", "import_file",
        ]
    }

    /// Actions a coordinator looks for most, offered as suggestions; any dotted prefix works.
    static var auditActions: [String] {
        [
            "match", "match.approve", "match.reject", "match.cancel", "match.expire", "match_run.complete",
            "charity.suspend", "weight_policy.publish", "need.record", "household.consent_withdraw",
        ]
    }

    func addAuditRoutes(to group: RouterGroup<Context>) {
        group.get("audit", use: coordinatorPage { [self] in try await auditPage($0, $1) })
    }

    /// The decision trail, newest first. A coordinator reads the rows about the region's
    /// households, needs, matches, aid and runs, every weight policy change, and their own
    /// other actions (see ``ScopedAuditLog``); an admin reads everything.
    func auditPage(_ request: Request, _ session: DashboardSession) async throws -> Response {
        let texts = DashboardText.strings(Self.language(request))
        let action = Self.parameter(request, "action")
        let entity = Self.parameter(request, "entity")
        let from = Self.parameter(request, "from")
        let until = Self.parameter(request, "until")
        var errors: [String: String] = [:]
        var filter = AuditFilter(actionPrefix: action)
        if let entity {
            if Self.auditEntityTypes.contains(entity) {
                filter.entityType = entity
            } else {
                errors["entity"] = texts["invalid.entity"] ?? ""
            }
        }
        if let from {
            filter.from = Self.day(from)
            if filter.from == nil { errors["from"] = texts["invalid.date"] ?? "" }
        }
        if let until {
            filter.until = Self.day(until).map { $0.addingTimeInterval(24 * 3600) }
            if filter.until == nil { errors["until"] = texts["invalid.date"] ?? "" }
        }
        let query: [(String, String?)] = [("action", action), ("entity", entity), ("from", from), ("until", until)]
        var values: [String: Any] = [
            "action": action ?? "", "from": from ?? "", "until": until ?? "",
            "entities": Self.auditEntityTypes.map {
                ["value": $0, "label": texts["entity." + $0] ?? $0, "selected": $0 == entity] as [String: Any]
            },
            "actions": Self.auditActions,
        ]
        if session.regionLimit != nil { values["scopeNote"] = texts["auditScope"] ?? "" }
        var page: Page<AuditLine, Int64>?
        if errors.isEmpty {
            do {
                page = try await coordination.audit.list(
                    filter, within: session.regionLimit, reader: session.principal.userID,
                    page: PageRequest(after: Self.cursor(request, "after"), limit: 50))
            } catch let error as StoreError {
                guard case .invalid(let field, let reason) = error else { throw error }
                errors[field] = Self.fieldMessage(field, reason, texts)
            }
        }
        values["errors"] = errors
        let rows = (page?.items ?? []).map { auditRow($0, texts) }
        values["rows"] = rows
        values["hasRows"] = !rows.isEmpty
        values["empty"] = texts[errors.isEmpty ? "noAudit" : "fixFilters"] ?? ""
        values["next"] = page?.nextCursor.map { Self.link("/dashboard/audit", query + [("after", String($0))]) }
        if Self.cursor(request, "after") != nil { values["first"] = Self.link("/dashboard/audit", query) }
        return coordinatorResponse(
            "audit", values, titleKey: "audit", request, session,
            status: errors.isEmpty ? .ok : .unprocessableContent)
    }

    /// One row of the trail as a sentence: who (by name) did what to which subject, with the
    /// reason in words and the note as written.
    private func auditRow(_ line: AuditLine, _ texts: [String: String]) -> [String: String] {
        let entry = line.entry
        let who = line.actorName ?? line.actorLogin ?? (texts["system"] ?? "")
        let role = line.actorRole.map { texts["role." + $0.rawValue] ?? $0.rawValue }
        let subject = "\(texts["entity." + entry.entityType] ?? entry.entityType) #\(entry.entityID)"
        let template = texts["act." + entry.action] ?? texts["act.other"] ?? ""
        var row = [
            "at": Self.timeText(entry.at),
            "sentence": Self.filled(
                template,
                [
                    "who": role.map { Self.filled(texts["whoWithRole"] ?? "{who}", ["who": who, "role": $0]) } ?? who,
                    "subject": subject, "action": entry.action,
                ]),
            "reason": entry.reason.map { texts["reason." + $0] ?? $0 } ?? "",
        ]
        if case .string(let note)? = entry.details["note"] { row["note"] = note }
        return row
    }

    /// The start of the day a `yyyy-mm-dd` field names, in China time; nil for anything else.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, let year = parts[0], let month = parts[1], let day = parts[2],
            (1900...2999).contains(year)
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = chinaTime
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar) else { return nil }
        return calendar.date(from: components)
    }
}
