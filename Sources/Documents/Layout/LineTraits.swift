import Foundation

/// What a single line looks like, independent of its neighbours.
enum LineTraits {
    static let colons: Set<Unicode.Scalar> = [":", "："]

    /// `key：value` — a label of up to 12 characters followed by a colon and more text.
    static func isKeyValue(_ text: String) -> Bool {
        guard let colon = text.unicodeScalars.firstIndex(where: { colons.contains($0) }) else { return false }
        let label = text.unicodeScalars[..<colon]
        return !label.isEmpty && label.count <= 16 && text.unicodeScalars.distance(from: colon, to: text.unicodeScalars.endIndex) > 1
    }

    /// A line made of several `key：value` segments (a field grid row such as 姓名：张三  性别：男).
    static func isFieldGridRow(_ line: VisualLine) -> Bool {
        let fields = line.segments.filter { isKeyValue($0.text) || $0.text.unicodeScalars.last.map { colons.contains($0) } == true }
        return fields.count * 2 >= line.segments.count && !fields.isEmpty
    }

    static let sentenceEnds: Set<Unicode.Scalar> = ["。", ".", "；", ";", "，", ",", "！", "!", "？", "?", "、"]

    static func endsSentence(_ text: String) -> Bool {
        text.unicodeScalars.last.map { sentenceEnds.contains($0) } ?? false
    }

    /// 1. 1、 1) (1) （1） ① • - * followed by text: a list item. Returns the marker's length in scalars.
    static func listMarkerLength(_ text: String) -> Int? {
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.first else { return nil }
        if ["•", "·", "●", "○", "▪", "-", "*", "–"].contains(first) {
            return scalars.count > 1 && scalars[1].properties.isWhitespace ? 2 : (first == "•" || first == "●" ? 1 : nil)
        }
        if ("①"..."⑳").contains(first) { return 1 }
        var index = 0
        let opening = first == "(" || first == "（"
        if opening { index += 1 }
        let digitsStart = index
        while index < scalars.count, ("0"..."9").contains(scalars[index]) { index += 1 }
        guard index > digitsStart, index - digitsStart <= 2, index < scalars.count else { return nil }
        let closing = scalars[index]
        if opening {
            guard closing == ")" || closing == "）" else { return nil }
        } else {
            guard closing == "." || closing == "、" || closing == ")" || closing == "）" else { return nil }
            // "1.5 mg" and "2.3" are numbers, not markers.
            if closing == ".", index + 1 < scalars.count, ("0"..."9").contains(scalars[index + 1]) { return nil }
        }
        index += 1
        guard index < scalars.count else { return nil }
        while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        return index
    }

    /// 图1 / 表 2 / Figure 3 / Fig. 4 / Table 5 at the start of a line.
    static func isCaption(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        for prefix in ["图", "表", "Figure", "Fig.", "Fig", "Table", "FIGURE", "TABLE"] where trimmed.hasPrefix(prefix) {
            let rest = trimmed.dropFirst(prefix.count).drop { $0 == " " }
            if let first = rest.unicodeScalars.first, ("0"..."9").contains(first) || first == "-" { return true }
        }
        return false
    }

    /// A formula-like line: an equals sign with mathematical operators or functions around it.
    static func isFormula(_ text: String) -> Bool {
        guard text.contains("=") else { return false }
        let markers = ["×", "÷", "ln(", "log(", "√", "^", "Σ", "∑", " * ", " / ", "exp("]
        return markers.contains { text.contains($0) }
    }

    /// Enumerated heading shapes: 一、 (一) （一） 【…】 I. 1.1
    static func hasHeadingEnumerator(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        if first == "【" || first == "[" { return text.contains("】") || text.contains("]") }
        let chineseNumerals: Set<Unicode.Scalar> = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
        let scalars = Array(text.unicodeScalars)
        var index = scalars.first == "(" || scalars.first == "（" ? 1 : 0
        let start = index
        while index < scalars.count, chineseNumerals.contains(scalars[index]) { index += 1 }
        if index > start, index < scalars.count {
            return ["、", ".", "．", ")", "）"].contains(scalars[index])
        }
        return false
    }
}

