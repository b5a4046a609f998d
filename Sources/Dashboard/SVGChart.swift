import Foundation

/// The dashboard's charts, drawn by the server as inline SVG: no script, no external
/// library, readable without JavaScript and printable.
enum SVGChart {
    /// A heat table: rows × columns, each cell shaded by its value against the largest.
    static func heatTable(rows: [String], columns: [String], values: [[Int]]) -> String {
        let cell = 34, labelWidth = 150, headerHeight = 120
        // Column labels lean right at 55°, so the last ones reach past the last column.
        let width = labelWidth + cell * columns.count + 120
        let height = headerHeight + cell * rows.count + 10
        let largest = max(1, values.flatMap { $0 }.max() ?? 1)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(width) \(height)" \
            width="\(width)" height="\(height)" role="img">
            """
        for (index, column) in columns.enumerated() {
            let x = labelWidth + index * cell + cell / 2
            svg += "<text x=\"\(x)\" y=\"\(headerHeight - 6)\" transform=\"rotate(-55 \(x) \(headerHeight - 6))\" "
            svg += "class=\"axis\">\(escape(column))</text>"
        }
        for (row, label) in rows.enumerated() {
            let y = headerHeight + row * cell
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"end\" class=\"axis\">"
            svg += "\(escape(label))</text>"
            for (column, value) in values[row].enumerated() {
                let share = Double(value) / Double(largest)
                let x = labelWidth + column * cell
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" rx=\"3\" "
                svg +=
                    "fill=\"\(heat(share))\"><title>\(escape(label)) · \(escape(columns[column])): \(value)</title></rect>"
                if value > 0 {
                    svg += "<text x=\"\(x + cell / 2 - 1)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"middle\" "
                    svg += "class=\"\(share > 0.55 ? "value light" : "value")\">\(value)</text>"
                }
            }
        }
        return svg + "</svg>"
    }

    /// Paired bars per period (such as proposed and delivered per week).
    static func pairedBars(labels: [String], first: [Int], second: [Int], legend: (String, String)) -> String {
        let group = 44, chartHeight = 160, top = 24, bottom = 40
        let width = 40 + group * labels.count
        let largest = max(1, (first + second).max() ?? 1)
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(width) \(top + chartHeight + bottom)" \
            width="\(width)" height="\(top + chartHeight + bottom)" role="img">
            <rect x="40" y="4" width="10" height="10" class="bar-a"/><text x="54" y="13" class="axis">\(escape(legend.0))</text>
            <rect x="140" y="4" width="10" height="10" class="bar-b"/><text x="154" y="13" class="axis">\(escape(legend.1))</text>
            """
        for (index, label) in labels.enumerated() {
            let x = 40 + index * group
            for (offset, value, style) in [(0, first[index], "bar-a"), (18, second[index], "bar-b")] {
                let height = Int(Double(chartHeight) * Double(value) / Double(largest))
                svg +=
                    "<rect x=\"\(x + offset)\" y=\"\(top + chartHeight - height)\" width=\"16\" height=\"\(height)\" "
                svg += "class=\"\(style)\"><title>\(escape(label)): \(value)</title></rect>"
            }
            svg += "<text x=\"\(x + 17)\" y=\"\(top + chartHeight + 16)\" text-anchor=\"middle\" class=\"axis\">"
            svg += "\(escape(label))</text>"
        }
        return svg + "</svg>"
    }

    /// Horizontal bars on a fixed scale (such as satisfaction out of 5).
    static func horizontalBars(labels: [String], values: [Double], maximum: Double, notes: [String]) -> String {
        let row = 26, labelWidth = 220, barWidth = 240
        let height = row * labels.count + 8
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(labelWidth + barWidth + 200) \(height)" \
            width="\(labelWidth + barWidth + 200)" height="\(height)" role="img">
            """
        for (index, label) in labels.enumerated() {
            let y = 4 + index * row
            let width = Int(Double(barWidth) * min(1, max(0, values[index] / maximum)))
            svg +=
                "<text x=\"\(labelWidth - 8)\" y=\"\(y + 16)\" text-anchor=\"end\" class=\"axis\">\(escape(label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(barWidth)\" height=\"16\" class=\"track\"/>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(width)\" height=\"16\" class=\"bar-a\"/>"
            svg +=
                "<text x=\"\(labelWidth + barWidth + 8)\" y=\"\(y + 16)\" class=\"axis\">\(escape(notes[index]))</text>"
        }
        return svg + "</svg>"
    }

    /// Light yellow to deep red as the share grows; empty cells stay pale grey.
    static func heat(_ share: Double) -> String {
        guard share > 0 else { return "#f1f3f5" }
        let hue = 48 - 48 * share, lightness = 88 - 48 * share
        return "hsl(\(Int(hue)), 85%, \(Int(lightness))%)"
    }

    /// Text safe inside SVG and HTML: names come from the database.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
