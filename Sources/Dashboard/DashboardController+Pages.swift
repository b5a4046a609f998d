import Foundation
import Hummingbird
import Matching
import Store

extension DashboardController {
    /// The coordinator's overview: where needs stand, offer use, the resource-gap map, the
    /// weekly flow and satisfaction per charity, for the coordinator's region.
    @Sendable func overview(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.approveMatch) else { return Self.redirect(Self.homePath(session.principal.role)) }
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let scope = session.regionLimit
        let figures = try await figures.overview(within: scope)
        let text = { (key: String) in texts[key] ?? key }
        let utilisation =
            figures.capacityUnits > 0
            ? String(format: "%.0f%%", 100 * Double(figures.allocatedUnits) / Double(figures.capacityUnits)) : "–"
        let cards: [[String: String]] = [
            ["label": text("openNeeds"), "value": String(figures.openNeeds)],
            ["label": text("unmetNeeds"), "value": String(figures.unmetNeeds)],
            ["label": text("proposed"), "value": String(figures.matchesByStatus[.proposed] ?? 0)],
            ["label": text("approved"), "value": String(figures.matchesByStatus[.approved] ?? 0)],
            ["label": text("delivered"), "value": String(figures.matchesByStatus[.delivered] ?? 0)],
            ["label": text("utilisation"), "value": utilisation],
        ]
        var values: [String: Any] = ["cards": cards, "weeklyChart": weeklyChart(figures, texts)]
        if let gaps = gapTable(figures, language) { values["gaps"] = gaps }
        if !figures.charities.isEmpty {
            values["satisfactionChart"] = SVGChart.horizontalBars(
                labels: figures.charities.map(\.charityName),
                values: figures.charities.map { $0.satisfactionAverage ?? 0 }, maximum: 5,
                notes: figures.charities.map { charity in
                    let average = charity.satisfactionAverage.map { String(format: "%.2f", $0) } ?? "–"
                    return "\(average) (\(charity.satisfactionCount))"
                })
        }
        return render("overview", values, title: text("overview"), request, session)
    }

    /// The needs of the caller's region, newest first by id, a page at a time.
    @Sendable func needList(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.readNeeds) else { return Self.redirect(Self.homePath(session.principal.role)) }
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let scope = session.regionLimit
        let after = Self.cursor(request, "after")
        let page = try await needs.list(within: scope, page: PageRequest(after: after, limit: 50))
        let rows = page.items.map { need -> [String: Any] in
            [
                "cells": [
                    String(need.id), String(need.householdID), categoryName(need.categoryID, language),
                    "\(need.quantity) \(Self.unitName(need.unit, texts))", String(need.urgency),
                    need.isEmergency ? (texts["emergency"] ?? "") : "", need.neededBy ?? "",
                    texts[need.status.rawValue] ?? need.status.rawValue,
                ],
                "link": ["href": "/dashboard/needs/\(need.id)", "label": texts["candidates"] ?? ""],
            ]
        }
        let columns = ["#", "household", "category", "quantity", "urgency", "emergency", "neededBy", "status", ""]
            .map { texts[$0] ?? $0 }
        var values: [String: Any] = [
            "columns": columns, "rows": rows, "hasRows": !rows.isEmpty, "empty": texts["noNeeds"] ?? "",
        ]
        values["next"] = page.nextCursor.map { "/dashboard/needs?after=\($0)" }
        return render("table", values, title: texts["needs"] ?? "", request, session)
    }

    /// A charity's own offers with what is left of each.
    @Sendable func offerList(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.role == .charity, let charity = session.principal.charityID else {
            return Self.redirect(Self.homePath(session.principal.role))
        }
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let after = Self.cursor(request, "after")
        let page = try await offers.list(charity: charity, page: PageRequest(after: after, limit: 50))
        let rows = page.items.map { offer -> [String: Any] in
            [
                "cells": [
                    String(offer.id), offer.terms.title, categoryName(offer.categoryID, language),
                    "\(offer.terms.capacity) \(Self.unitName(offer.terms.unit, texts))", String(offer.allocated),
                    String(offer.remaining),
                    texts["offerStatus." + offer.status.rawValue] ?? offer.status.rawValue,
                ]
            ]
        }
        let columns = ["#", "title", "category", "capacity", "allocated", "remaining", "status"].map { texts[$0] ?? $0 }
        var values: [String: Any] = [
            "columns": columns, "rows": rows, "hasRows": !rows.isEmpty, "empty": texts["noOffers"] ?? "",
        ]
        values["next"] = page.nextCursor.map { "/dashboard/offers?after=\($0)" }
        return render("table", values, title: texts["offers"] ?? "", request, session)
    }

    func categoryName(_ id: Int64, _ language: DashboardLanguage) -> String {
        guard let names = categoryNames[id] else { return String(id) }
        return language == .chinese ? names.zh : names.en
    }

    /// Townships down, the categories with unmet needs across; each cell the units still
    /// wanted against the units offers able to reach that township still have, marked short
    /// or covered, and linked to the township's needs ledger in that category. Nil when
    /// nothing is unmet.
    private func gapTable(_ figures: OverviewFigures, _ language: DashboardLanguage) -> [String: Any]? {
        guard !figures.gaps.isEmpty else { return nil }
        var townships: [(code: String, name: String)] = []
        for cell in figures.gaps where !townships.contains(where: { $0.code == cell.townshipCode }) {
            townships.append((cell.townshipCode, cell.townshipName))
        }
        let categories = Set(figures.gaps.map(\.categoryID)).sorted {
            (categoryNames[$0]?.code ?? "") < (categoryNames[$1]?.code ?? "")
        }
        let header = categories.map { ["label": categoryName($0, language)] }
        let rows = townships.map { township -> [String: Any] in
            let cells = categories.map { category -> [String: Any] in
                let label = categoryName(category, language)
                guard
                    let cell = figures.gaps.first(where: {
                        $0.townshipCode == township.code && $0.categoryID == category
                    })
                else { return ["label": label, "empty": true] }
                return [
                    "label": label, "unmet": String(cell.unmetUnits), "supply": String(cell.supplyUnits),
                    "short": cell.supplyUnits < cell.unmetUnits, "needs": String(cell.unmetNeeds),
                    "href": Self.link(
                        "/dashboard/ledger", [("township", township.code), ("category", String(category))]),
                ]
            }
            return ["township": township.name, "cells": cells]
        }
        return ["header": header, "rows": rows]
    }

    private func weeklyChart(_ figures: OverviewFigures, _ texts: [String: String]) -> String {
        SVGChart.pairedBars(
            labels: figures.weeks.map { String($0.start.dropFirst(5)) }, first: figures.weeks.map(\.proposed),
            second: figures.weeks.map(\.delivered),
            legend: (texts["weeklyProposed"] ?? "", texts["weeklyDelivered"] ?? ""))
    }
}
