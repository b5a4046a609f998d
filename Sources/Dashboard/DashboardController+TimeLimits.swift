import Foundation
import Hummingbird
import Store

/// 限时办理 for coordinators: what is overdue per township (also on the overview) and the
/// days each stage may take in their region, set on one form. The same Store calls as
/// `/v1/overdue` and `/v1/time-limits`.
extension DashboardController {
    func addTimeLimitRoutes(to group: RouterGroup<Context>) {
        group.get("time-limits", use: timeLimitsPage)
        group.post("time-limits", use: setTimeLimits)
    }

    /// Townships down, the four stages across, each cell what is past its limit there now;
    /// nil when nothing is overdue.
    func overdueTable(_ session: DashboardSession, _ texts: [String: String]) async throws -> [String: Any]? {
        let counts = try await store.timeLimits.overdue(by: session.principal)
        guard !counts.isEmpty else { return nil }
        let names = try await regions.names(of: Set(counts.map(\.township)))
        let townships = Array(Set(counts.map(\.township))).sorted()
        let rows = townships.map { township -> [String: Any] in
            let cells = CaseStage.allCases.map { stage -> [String: String] in
                let count = counts.first { $0.township == township && $0.stage == stage }?.count ?? 0
                return ["label": texts["stage." + stage.rawValue] ?? stage.rawValue, "count": String(count)]
            }
            return ["township": names[township] ?? township, "code": township, "cells": cells]
        }
        return [
            "header": CaseStage.allCases.map { ["label": texts["stage." + $0.rawValue] ?? $0.rawValue] },
            "rows": rows, "total": String(counts.map(\.count).reduce(0, +)),
        ]
    }

    @Sendable func timeLimitsPage(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.setTimeLimits) else { return Self.redirect(Self.homePath(session.principal.role)) }
        return try await limitsPage(errors: [:], request, session, status: .ok)
    }

    /// Saves every stage whose days changed; a bad number is refused next to its field (422)
    /// and nothing is saved.
    @Sendable func setTimeLimits(_ request: Request, context: Context) async throws -> Response {
        guard let session = try await session(request) else { return Self.redirect("/dashboard/sign-in") }
        guard session.principal.may(.setTimeLimits) else { return Self.redirect(Self.homePath(session.principal.role)) }
        guard let form = try await form(request, session) else { return try refusedForm(request, session) }
        let current = try await store.timeLimits.limits(by: session.principal)
        var wanted: [(CaseStage, Int)] = []
        var errors: [String: String] = [:]
        for stage in CaseStage.allCases {
            let text = (form[stage.rawValue] ?? "").trimmingCharacters(in: .whitespaces)
            guard let days = Int(text), (1...365).contains(days) else {
                errors[stage.rawValue] = "error.stageDays"
                continue
            }
            if days != current[stage] { wanted.append((stage, days)) }
        }
        guard errors.isEmpty else {
            return try await limitsPage(errors: errors, request, session, status: .unprocessableContent)
        }
        for (stage, days) in wanted {
            try await store.timeLimits.set(stage, days: days, region: nil, by: session.principal)
        }
        return Self.redirect("/dashboard/time-limits", notice: "timeLimitsSaved", String(wanted.count))
    }

    private func limitsPage(
        errors: [String: String], _ request: Request, _ session: DashboardSession, status: HTTPResponse.Status
    ) async throws -> Response {
        let texts = DashboardText.strings(Self.language(request))
        let limits = try await store.timeLimits.limits(by: session.principal)
        let stages = CaseStage.allCases.map { stage -> [String: Any] in
            var row: [String: Any] = [
                "code": stage.rawValue, "label": texts["stage." + stage.rawValue] ?? stage.rawValue,
                "hint": texts["stageHint." + stage.rawValue] ?? "", "days": String(limits[stage] ?? 0),
            ]
            if let error = errors[stage.rawValue] { row["error"] = texts[error] ?? error }
            return row
        }
        var values: [String: Any] = ["stages": stages, "hasErrors": !errors.isEmpty]
        if let overdue = try await overdueTable(session, texts) { values["overdue"] = overdue }
        return render("time-limits", values, title: texts["timeLimits"] ?? "", request, session, status: status)
    }
}
