/// How two pieces of text join when a line wraps: Chinese without a space, English with one, a hyphen at a line
/// end removed when the word goes on in lower case.
enum TextJoiner {
    static func separator(between left: String, and right: String) -> String {
        guard let last = left.unicodeScalars.last, let first = right.unicodeScalars.first else { return "" }
        if last.properties.isWhitespace || first.properties.isWhitespace { return "" }
        if isCJK(last) || isCJK(first) { return "" }
        return " "
    }

    /// Appends a wrapped line to a paragraph, repairing a hyphenated word.
    static func join(_ paragraph: String, _ next: String) -> String {
        guard !paragraph.isEmpty else { return next }
        let scalars = paragraph.unicodeScalars
        if scalars.last == "-", scalars.count >= 2,
           scalars[scalars.index(before: scalars.index(before: scalars.endIndex))].properties.isLowercase,
           next.unicodeScalars.first?.properties.isLowercase == true {
            return String(paragraph.dropLast()) + next
        }
        // "HDL-" + "C)": a hyphen ending a line otherwise joins without a space.
        if scalars.last == "-" { return paragraph + next }
        return paragraph + separator(between: paragraph, and: next) + next
    }

    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2E80...0x9FFF, 0xF900...0xFAFF, 0xFF00...0xFFEF, 0x20000...0x2FA1F: return true
        default: return false
        }
    }
}
