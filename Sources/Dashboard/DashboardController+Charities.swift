import Foundation
import HTTPTypes
import Hummingbird
import Matching
import Store

extension DashboardController {
    func addCharitiesRoutes(to group: RouterGroup<Context>) {
        group.get(
            "charities",
            use: coordinatorPage { [self] request, session in
                try await charitiesPage(request, session, after: Self.cursor(request, "after"))
            })
        group.post("charities/suspend", use: coordinatorPage { [self] in try await suspendCharity($0, $1) })
    }

    /// Suspends a charity at work in the caller's region, with the reason the Store requires
    /// (it is shown to the charity and kept in the audit trail). A charity outside the region
    /// is not offered here and is refused like a missing one.
    func suspendCharity(_ request: Request, _ session: DashboardSession) async throws -> Response {
        guard let form = try await form(request, session) else { return try refusedForm(request, session) }
        let texts = DashboardText.strings(Self.language(request))
        let after = form["after"].flatMap { Int64($0) }
        guard let id = form["charity"].flatMap({ Int64($0) }),
            let charity = try await coordination.regionalCharities.charity(id: id, within: session.regionLimit)
        else {
            let flash: [String: Any] = [
                "ok": false,
                "text": Self.refusal(.notFound(entity: .charity, id: form["charity"] ?? ""), texts),
            ]
            return try await charitiesPage(request, session, after: after, flash: flash, status: .notFound)
        }
        do {
            let record = try await charities.suspend(
                charity: charity.id, by: session.principal, reason: form["reason"] ?? "")
            let flash: [String: Any] = [
                "ok": true, "text": Self.filled(texts["suspendedCharity"] ?? "", ["name": record.name]),
            ]
            return try await charitiesPage(request, session, after: after, flash: flash)
        } catch let error as StoreError {
            if case .invalid(let field, let reason) = error {
                return try await charitiesPage(
                    request, session, after: after,
                    fieldError: (charity.id, field, Self.fieldMessage(field, reason, texts)),
                    status: .unprocessableContent)
            }
            let flash: [String: Any] = ["ok": false, "text": Self.refusal(error, texts)]
            return try await charitiesPage(request, session, after: after, flash: flash, status: .conflict)
        }
    }

    /// The charities at work in the caller's region with their record of service (counted
    /// over all their work, since reliability belongs to the organisation), a page at a time.
    func charitiesPage(
        _ request: Request, _ session: DashboardSession, after: Int64?, flash: [String: Any]? = nil,
        fieldError: (charity: Int64, field: String, message: String)? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let texts = DashboardText.strings(Self.language(request))
        let page = try await coordination.regionalCharities.list(
            within: session.regionLimit, page: PageRequest(after: after, limit: 25))
        var rows: [[String: Any]] = []
        for charity in page.items {
            let standing = try await charities.standing(of: charity.id)
            let suspensions = try await charities.suspensions(of: charity.id, within: session.regionLimit)
            // A coordinator's suspension over their whole region reads as the charity's state here.
            let here = suspensions.first { session.regionLimit?.prefix.hasPrefix($0.region) ?? false }
            let active = charity.status == .active && here == nil
            var row: [String: Any] = [
                "id": String(charity.id), "name": charity.name,
                "status": here == nil ? Self.standingText(charity, texts) : texts["charity.suspended"] ?? "",
                "active": active, "delivered": String(standing.deliveredMatches),
                "deliveredUnits": String(standing.deliveredUnits), "declined": String(standing.declinedMatches),
                "satisfaction": standing.satisfactionAverage.map { String(format: "%.2f", $0) } ?? "–",
                "ratings": String(standing.satisfactionCount), "openOffers": String(standing.openOffers),
                "confirmed": String(standing.confirmedMatches),
            ]
            if standing.complaints.total > 0 {
                row["complaints"] = "\(standing.complaints.open)/\(standing.complaints.total)"
            }
            row["statusReason"] = here?.reason ?? charity.statusReason
            let inside = suspensions.filter { $0.region != here?.region }.map(\.region)
            if !inside.isEmpty {
                row["suspendedInside"] = Self.filled(
                    texts["suspendedInside"] ?? "", ["regions": inside.joined(separator: ", ")])
            }
            if let fieldError, fieldError.charity == charity.id {
                row["errors"] = [fieldError.field: fieldError.message]
            }
            rows.append(row)
        }
        var values: [String: Any] = [
            "csrf": session.csrfToken, "rows": rows, "hasRows": !rows.isEmpty,
            "empty": texts[after == nil ? "noCharities" : "noMoreCharities"] ?? "",
        ]
        values["after"] = after.map { String($0) }
        values["flash"] = flash
        values["next"] = page.nextCursor.map { "/dashboard/charities?after=\($0)" }
        if after != nil { values["first"] = "/dashboard/charities" }
        return coordinatorResponse("charities", values, titleKey: "charities", request, session, status: status)
    }

    /// The charity's status in words; a ban says how long it lasts, and a ban without an end
    /// says it is permanent rather than leaving the reader to guess.
    static func standingText(_ charity: CharityRecord, _ texts: [String: String]) -> String {
        if charity.isBannedPermanently { return texts["charity.bannedPermanently"] ?? "" }
        if charity.status == .banned, let until = charity.bannedUntil {
            return filled(texts["charity.bannedUntil"] ?? "", ["until": timeText(until)])
        }
        return texts["charity." + charity.status.rawValue] ?? charity.status.rawValue
    }
}
