import Foundation
import Matching

extension SVGChart {
    /// One colour per score factor, in ``ScoreFactor/allCases`` order; distinct enough side
    /// by side and in print.
    static let factorColours: [ScoreFactor: String] = [
        .urgency: "#c0392b", .vulnerability: "#e67e22", .proximity: "#2e86c1", .waitingTime: "#8e44ad",
        .categoryFit: "#27ae60", .reliability: "#16a085", .fairness: "#d4ac0d", .deadlineFit: "#7f8c8d",
    ]

    /// A score as one stacked bar: each factor's contribution a segment of its colour, the
    /// full width standing for a score of 1. Each segment's `<title>` gives the factor's
    /// value, weight and contribution, so the reason for a score is a hover away.
    static func breakdownBar(_ breakdown: ScoreBreakdown, labels: [ScoreFactor: String]) -> String {
        let width = 180, height = 14
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart breakdown" viewBox="0 0 \(width) \(height)" \
            width="\(width)" height="\(height)" role="img">
            <rect x="0" y="0" width="\(width)" height="\(height)" class="track"/>
            """
        var x = 0.0
        for term in breakdown.terms where term.contributionMicro > 0 {
            let share = Double(term.contributionMicro) / 1_000_000 * Double(width)
            let label = labels[term.factor] ?? term.factor.rawValue
            svg += "<rect x=\"\(format(x))\" y=\"0\" width=\"\(format(share))\" height=\"\(height)\" "
            svg += "fill=\"\(factorColours[term.factor] ?? "#999")\"><title>\(escape(label)): "
            svg += "\(format(term.value)) × \(format(term.weight)) = \(format(contribution(term)))</title></rect>"
            x += share
        }
        return svg + "</svg>"
    }

    /// The colours of ``breakdownBar(_:labels:)`` with their factors' names, four a line.
    static func breakdownLegend(labels: [ScoreFactor: String]) -> String {
        let column = 150, row = 20
        let lines = (ScoreFactor.allCases.count + 3) / 4
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart legend" viewBox="0 0 \(column * 4) \(row * lines)" \
            width="\(column * 4)" height="\(row * lines)" role="img">
            """
        for (index, factor) in ScoreFactor.allCases.enumerated() {
            let x = (index % 4) * column, y = (index / 4) * row
            svg += "<rect x=\"\(x)\" y=\"\(y + 4)\" width=\"12\" height=\"12\" "
            svg += "fill=\"\(factorColours[factor] ?? "#999")\"/>"
            svg += "<text x=\"\(x + 18)\" y=\"\(y + 15)\" class=\"axis\">"
            svg += "\(escape(labels[factor] ?? factor.rawValue))</text>"
        }
        return svg + "</svg>"
    }

    /// A term's contribution to the score, as a number in [0, 1].
    static func contribution(_ term: ScoreBreakdown.Term) -> Double {
        Double(term.contributionMicro) / 1_000_000
    }

    /// Three decimals, enough to tell factors apart and short enough to read.
    static func format(_ number: Double) -> String {
        String(format: "%.3f", number)
    }
}
