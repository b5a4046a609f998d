import Foundation
import Hummingbird
import Matching
import Store

extension DashboardController {
    /// The coordinator's overview: where needs stand, offer use, the resource-gap map, what is
    /// past its time limit per township, the weekly flow and satisfaction per charity, for the
    /// coordinator's region.
    @Sendable func overview(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.approveMatch) else { return Self.redirect(Self.homePath(session.principal.role)) }
        let language = Self.language(request)
        let texts = DashboardText.strings(language)
        let scope = session.regionLimit
        // What is overdue is counted on another connection while the figures are read.
        async let overdue = overdueTable(session, texts)
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
        if let overdue = try await overdue { values["overdue"] = overdue }
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
