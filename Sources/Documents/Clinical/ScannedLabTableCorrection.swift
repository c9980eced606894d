import Foundation

/// Lab tables read by OCR, corrected by what each column can hold: a unit column holds units (`bmol/L`, `8人L` and
/// `mmol/儿` are μmol/L, g/L and mmol/L misread), a reference range is two numbers joined by a dash
/// (`137.0.147.0`). Columns are told by their headers, as ``LabTableNormalizer`` tells them. Only tables of pages
/// that were read by OCR pass through here; a digital page's text is what it says.
struct ScannedLabTableCorrection {
    func correct(_ table: Table) -> Table {
        guard let roles = LabTableNormalizer().roles(of: table.header) else { return table }
        var table = table
        let itemColumn = roles.firstIndex(of: .item)
        for rowIndex in table.rows.indices.dropFirst(table.headerRows) {
            var column = 0
            for cellIndex in table.rows[rowIndex].indices {
                defer { column += table.rows[rowIndex][cellIndex].columnSpan }
                guard column < roles.count, let role = roles[column] else { continue }
                let text = table.rows[rowIndex][cellIndex].text
                let item = itemColumn.flatMap { table.rows[rowIndex].indices.contains($0) ? table.rows[rowIndex][$0].text : nil }
                let corrected: String? = switch role {
                case .item: LabItems.standard.snap(text)
                case .unit: LabUnits.snap(text, item: item)
                case .range: ReferenceRangeText.repair(text)
                default: nil
                }
                if let corrected, corrected != text { Self.replace(&table.rows[rowIndex][cellIndex], with: corrected) }
            }
        }
        return table
    }

    /// A cell's text replaced; a single span follows it (without per-character edges, which no longer apply).
    static func replace(_ cell: inout Cell, with text: String) {
        cell.text = text
        if cell.spans.count == 1 {
            cell.spans[0].text = text
            cell.spans[0].characterEdges = nil
        }
    }
}

/// The lab items reports print (`Resources/lab-items.txt`), and the one a misread name is closest to:
/// `总胆红素(TBIU)` is 总胆红素(TBIL), `肌栈(CREA)` 肌酐(CREA), `Hemoglobin Alc` Hemoglobin A1c.
struct LabItems: Sendable {
    let names: [String]
    private let keys: [[Character]]

    init(names: [String]) {
        self.names = names
        keys = names.map { Array(Self.key($0)) }
    }

    static let standard: LabItems = {
        guard let url = Bundle.module.url(forResource: "lab-items", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return LabItems(names: []) }
        return LabItems(names: text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }()

    /// Compared without spaces, in NFKC (full-width brackets are ASCII ones), case-folded.
    static func key(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace }.lowercased()
    }

    /// The listed item `text` was meant to be: the closest name, when it is within one edit in five (at least one)
    /// and no other name is as close. An exact name, or anything not close to one, is nil (left as read).
    func snap(_ text: String) -> String? {
        let key = Array(Self.key(StrayMarks.trimmingTrailing(StrayMarks.trimmingLeading(text))))
        guard key.count >= 2, !keys.contains(key) else { return nil }
        var best: (index: Int, cost: Int)?, tied = false
        for (index, candidate) in keys.enumerated() where abs(candidate.count - key.count) <= max(1, candidate.count / 5) {
            let cost = Self.distance(key, candidate)
            if cost < (best?.cost ?? .max) { best = (index, cost); tied = false } else if cost == best?.cost { tied = true }
        }
        guard let best, !tied, best.cost <= max(1, keys[best.index].count / 5) else { return nil }
        return names[best.index]
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// The units lab reports print, and the nearest of them to a unit OCR misread.
enum LabUnits {
    /// Most common first: a tie goes to the earlier unit.
    static let known = [
        "mmol/L", "μmol/L", "U/L", "g/L", "%", "10^9/L", "mg/L", "s", "fL", "pg", "10^12/L", "ng/mL", "pg/mL", "nmol/L",
        "pmol/L", "IU/L", "mIU/L", "μIU/mL", "mIU/mL", "IU/mL", "U/mL", "kU/L", "mU/L", "μg/L", "ng/L", "μg/mL", "mg/mL",
        "g/dL", "mg/dL", "μg/dL", "ng/dL", "mEq/L", "mOsm/kg", "mmHg", "mm/h", "mL/min", "10^6/L", "cells/μL", "/HP", "/LP",
        "copies/mL", "S/CO", "COI", "AU/mL", "g/24h", "mg/24h", "mmol/24h", "INR", "ratio",
    ]

    /// Items whose concentrations are picomolar (thyroid hormones, PTH, insulin, C-peptide, B12): elsewhere a `p`
    /// before `mol` is a misread μ.
    static let picomolarItems = ["ft3", "ft4", "t3", "t4", "游离", "甲状", "pth", "甲状旁腺", "胰岛素", "ins", "c肽", "c-p", "b12", "acth", "促肾上腺"]

    /// Pairs (misread, meant) the recogniser confuses; each costs half a substitution.
    static let confusions: Set<String> = [
        "pμ", "bμ", "hμ", "uμ", "yμ", "nμ", "I/", "l/", "1/", "|/", "7/", "IL", "lL", "1L", "|L", "8g", "&g", "eg", "qg", "9g",
        "A^", "0O", "O0", "5s", "Ss", "mn", "nm",
    ]

    /// The known unit `text` most likely is, or nil when nothing is close (a number, or text too far from every
    /// unit, is left alone).
    static func snap(_ text: String, item: String?) -> String? {
        let compact = normalise(text)
        guard !compact.isEmpty, compact.count <= 12 else { return nil }
        if known.contains(compact) { return prefersMicro(compact, item: item) ? compact.replacingOccurrences(of: "pmol", with: "μmol") : compact }
        // A number or a range in the unit column is a value out of place, not a unit misread.
        guard compact.contains(where: { !$0.isNumber && $0 != "." && $0 != "-" }) else { return nil }
        // Single characters are too easily anything (`册` for %, `使` for fL): left alone.
        guard compact.count >= 2 else { return nil }
        var best: (unit: String, cost: Double)?
        for unit in known where unit.count >= 2 {
            let cost = distance(Array(compact), Array(unit))
            if cost < (best?.cost ?? .infinity) { best = (unit, cost) }
        }
        guard let best, best.cost <= max(1, 0.34 * Double(best.unit.count)) else { return nil }
        return prefersMicro(best.unit, item: item) ? best.unit.replacingOccurrences(of: "pmol", with: "μmol") : best.unit
    }

    private static func prefersMicro(_ unit: String, item: String?) -> Bool {
        guard unit == "pmol/L" else { return false }
        let key = (item ?? "").lowercased()
        return !picomolarItems.contains { key.contains($0) }
    }

    /// Spaces and stray marks out, full-width forms folded, and the Chinese glyphs the recogniser reads for `/L`.
    static func normalise(_ text: String) -> String {
        var s = text.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace }
        s = s.trimmingCharacters(in: CharacterSet(charactersIn: "”“\"'‘’《》，。、,;；|!！·`"))
        for (from, to) in [("/儿", "/L"), ("儿", "/L"), ("人L", "/L"), ("人", "/"), ("µ", "μ"), ("×", ""), ("x10", "10"), ("*10", "10")] {
            s = s.replacingOccurrences(of: from, with: to)
        }
        return s
    }

    /// Levenshtein distance (`a` and `b` not empty) with cheap known confusions and case slips.
    static func distance(_ a: [Character], _ b: [Character]) -> Double {
        var previous = (0...b.count).map(Double.init)
        for i in 1...a.count {
            var current = [Double(i)] + [Double](repeating: 0, count: b.count)
            for j in 1...b.count {
                let (x, y) = (a[i - 1], b[j - 1])
                let substitution = x == y ? 0 : x.lowercased() == y.lowercased() ? 0.3 : confusions.contains("\(x)\(y)") ? 0.5 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution)
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// A reference range is `low-high` (or `<x`, `>x`, `≤x`): the dash is what OCR most often loses or turns into a dot.
enum ReferenceRangeText {
    /// `137.0.147.0` → `137.0-147.0` when splitting at one dot gives two numbers with as many decimals each and the
    /// low end below the high one; anything else is left as read.
    static func repair(_ text: String) -> String? {
        let compact = text.filter { !$0.isWhitespace }
        let dots = compact.indices.filter { compact[$0] == "." }
        guard compact.allSatisfy({ $0.isNumber || $0 == "." }), dots.count == 3 else { return nil }
        let middle = dots[1]
        let low = String(compact[..<middle]), high = String(compact[compact.index(after: middle)...])
        guard let a = Double(low), let b = Double(high), a < b,
              low.split(separator: ".").last?.count == high.split(separator: ".").last?.count else { return nil }
        return "\(low)-\(high)"
    }
}
