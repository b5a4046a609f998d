import Foundation
import Matching

/// A score drawn as what it is made of: each factor's weighted contribution side by side,
/// so a caseworker sees at a glance why one offer ranks above another.
extension SVGChart {
    /// One colour per factor, the same on every bar and in the legend.
    static let factorColours: [ScoreFactor: String] = [
        .urgency: "#b42318", .vulnerability: "#dd6b20", .proximity: "#2563eb", .waitingTime: "#7c3aed",
        .categoryFit: "#15803d", .reliability: "#0891b2", .fairness: "#ca8a04", .deadlineFit: "#db2777",
    ]

    /// The bar's length for a score of 1; contributions are shares of it.
    static let breakdownWidth = 240

    /// The breakdown as one stacked bar on a 0–1 scale; each segment's tooltip names the
    /// factor, its value, its weight and its contribution. `names` are the factors' words.
    static func breakdownBar(_ breakdown: ScoreBreakdown, names: [ScoreFactor: String]) -> String {
        let width = breakdownWidth, height = 14
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart breakdown" viewBox="0 0 \(width) \(height)" \
            width="\(width)" height="\(height)" role="img">\
            <title>\(escape(String(format: "%.3f", breakdown.score)))</title>\
            <rect x="0" y="0" width="\(width)" height="\(height)" class="track"/>
            """
        var x = 0.0
        for term in breakdown.terms where term.contributionMicro > 0 {
            let segment = Double(width) * Double(term.contributionMicro) / 1_000_000
            let name = names[term.factor] ?? term.factor.rawValue
            let detail =
                name + ": "
                + String(
                    format: "%.2f × %.2f = %.3f", term.value, term.weight, Double(term.contributionMicro) / 1_000_000)
            svg += "<rect x=\"\(String(format: "%.2f", x))\" y=\"0\" width=\"\(String(format: "%.2f", segment))\" "
            svg += "height=\"\(height)\" fill=\"\(factorColours[term.factor] ?? "#616e7c")\">"
            svg += "<title>\(escape(detail))</title></rect>"
            x += segment
        }
        return svg + "</svg>"
    }

    /// The legend for the bars: a swatch and a name per factor, in the breakdown's order.
    static func breakdownLegend(names: [ScoreFactor: String]) -> String {
        let column = 150, row = 20, perRow = 4
        let rows = (ScoreFactor.allCases.count + perRow - 1) / perRow
        let width = column * perRow, height = row * rows
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart legend" viewBox="0 0 \(width) \(height)" \
            width="\(width)" height="\(height)" role="img">
            """
        for (index, factor) in ScoreFactor.allCases.enumerated() {
            let x = (index % perRow) * column, y = (index / perRow) * row
            svg +=
                "<rect x=\"\(x)\" y=\"\(y + 4)\" width=\"12\" height=\"12\" fill=\"\(factorColours[factor] ?? "")\"/>"
            svg += "<text x=\"\(x + 18)\" y=\"\(y + 15)\" class=\"axis\">"
            svg += "\(escape(names[factor] ?? factor.rawValue))</text>"
        }
        return svg + "</svg>"
    }
}
