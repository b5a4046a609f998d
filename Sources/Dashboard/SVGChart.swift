import Foundation

/// The dashboard's charts, drawn by the server as inline SVG: no script, no external
/// library, readable without JavaScript and printable.
enum SVGChart {
    /// Paired bars per period (such as proposed and delivered per week), on a y axis with
    /// gridlines, each bar labelled with its value.
    static func pairedBars(labels: [String], first: [Int], second: [Int], legend: (String, String)) -> String {
        let group = 52, chartHeight = 160, top = 34, bottom = 40, left = 48
        let width = left + group * labels.count + 8
        let largest = niceCeiling(max(1, (first + second).max() ?? 1))
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(width) \(top + chartHeight + bottom)" \
            width="\(width)" height="\(top + chartHeight + bottom)" role="img">
            <rect x="\(left)" y="4" width="10" height="10" class="bar-a"/><text x="\(left + 14)" y="13" class="axis">\(escape(legend.0))</text>
            <rect x="\(left + 110)" y="4" width="10" height="10" class="bar-b"/><text x="\(left + 124)" y="13" class="axis">\(escape(legend.1))</text>
            """
        for tick in 0...4 {
            let value = largest * tick / 4
            let y = top + chartHeight - chartHeight * tick / 4
            svg += "<line x1=\"\(left - 4)\" x2=\"\(width - 4)\" y1=\"\(y)\" y2=\"\(y)\" class=\"grid\"/>"
            svg += "<text x=\"\(left - 8)\" y=\"\(y + 4)\" text-anchor=\"end\" class=\"axis\">\(value)</text>"
        }
        for (index, label) in labels.enumerated() {
            let x = left + 4 + index * group
            for (offset, value, style) in [(0, first[index], "bar-a"), (22, second[index], "bar-b")] {
                let height = Int(Double(chartHeight) * Double(value) / Double(largest))
                svg +=
                    "<rect x=\"\(x + offset)\" y=\"\(top + chartHeight - height)\" width=\"20\" height=\"\(height)\" "
                svg += "class=\"\(style)\"><title>\(escape(label)): \(value)</title></rect>"
                svg += "<text x=\"\(x + offset + 10)\" y=\"\(top + chartHeight - height - 3)\" text-anchor=\"middle\" "
                svg += "class=\"value\">\(value)</text>"
            }
            svg += "<text x=\"\(x + 21)\" y=\"\(top + chartHeight + 16)\" text-anchor=\"middle\" class=\"axis\">"
            svg += "\(escape(label))</text>"
        }
        return svg + "</svg>"
    }

    /// The smallest of 1, 2, 5 × 10ⁿ (or 4 × that, so quarter ticks stay whole) at or above `value`.
    static func niceCeiling(_ value: Int) -> Int {
        var step = 1
        while true {
            for factor in [1, 2, 5] where step * factor * 4 >= value { return step * factor * 4 }
            step *= 10
        }
    }

    /// Horizontal bars on a fixed scale (such as satisfaction out of 5), with the scale's
    /// whole numbers marked below and each bar's value at its end.
    static func horizontalBars(labels: [String], values: [Double], maximum: Double, notes: [String]) -> String {
        let row = 26, labelWidth = 200, barWidth = 250, noteWidth = 110
        let height = row * labels.count + 30
        let width = labelWidth + barWidth + noteWidth
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 \(width) \(height)" \
            width="\(width)" height="\(height)" role="img">
            """
        let ticks = Int(maximum.rounded(.down))
        for tick in 0...max(1, ticks) {
            let x = labelWidth + Int(Double(barWidth) * Double(tick) / maximum)
            svg += "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"4\" y2=\"\(height - 22)\" class=\"grid\"/>"
            svg += "<text x=\"\(x)\" y=\"\(height - 8)\" text-anchor=\"middle\" class=\"axis\">\(tick)</text>"
        }
        for (index, label) in labels.enumerated() {
            let y = 4 + index * row
            let width = Int(Double(barWidth) * min(1, max(0, values[index] / maximum)))
            svg += "<text x=\"\(labelWidth - 8)\" y=\"\(y + 16)\" text-anchor=\"end\" class=\"axis\">"
            svg += "<title>\(escape(label))</title>\(escape(shortened(label, to: 14)))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 4)\" width=\"\(width)\" height=\"16\" class=\"bar-a\"/>"
            svg +=
                "<text x=\"\(labelWidth + barWidth + 8)\" y=\"\(y + 16)\" class=\"value\">\(escape(notes[index]))</text>"
        }
        return svg + "</svg>"
    }

    /// `text` cut to `count` characters with an ellipsis, the whole of it kept in a title.
    static func shortened(_ text: String, to count: Int) -> String {
        text.count <= count ? text : String(text.prefix(count - 1)) + "…"
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
