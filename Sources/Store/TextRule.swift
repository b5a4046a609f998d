/// Which characters free text may hold, defined once for every door text comes in by: the
/// API's contract names a rule per string field (`format: single-line` or `multi-line`),
/// its schema validator applies it, and the Store applies it again on every write, so the
/// dashboard and the command line meet the same rule.
///
/// Control characters are refused because they are never typed on purpose: NUL cannot be
/// stored by PostgreSQL at all, ESC and the C1 controls drive terminals, and both hide
/// text from the person reading a list. Bidirectional overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069) are refused because they make a name read differently from how it is
/// stored. The left-to-right and right-to-left marks (U+200E, U+200F) are allowed: they
/// reorder nothing beyond the neutral characters next to them, and mixed Uyghur (Arabic
/// script) and Chinese text needs them.
public enum TextRule: String, Sendable, CaseIterable {
    /// Names, titles, codes, phone numbers, reasons: one line, no control character at all.
    case singleLine = "single-line"
    /// Descriptions, notes, comments, addresses: tab, line feed and carriage return allowed.
    case multiLine = "multi-line"

    /// Why `text` breaks the rule, naming the first character at fault by code point and
    /// position (never quoting the text), or nil when it conforms.
    public func violation(in text: String) -> String? {
        for (offset, scalar) in text.unicodeScalars.enumerated() where !allows(scalar) {
            let code = String(scalar.value, radix: 16, uppercase: true)
            let padded = String(repeating: "0", count: max(0, 4 - code.count)) + code
            let what = Self.isBidiControl(scalar) ? "a bidirectional override" : "a control character"
            let lines = self == .multiLine ? " other than tab and line breaks" : ""
            return "must not contain \(what)\(lines) (U+\(padded) at character \(offset + 1))"
        }
        return nil
    }

    /// Whether the rule lets `scalar` through.
    public func allows(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: self == .multiLine
        case 0x00...0x1F, 0x7F...0x9F: false
        case 0x2028, 0x2029: self == .multiLine
        default: !Self.isBidiControl(scalar)
        }
    }

    private static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }
}
