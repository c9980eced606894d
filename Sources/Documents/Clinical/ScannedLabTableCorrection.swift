import Foundation

/// Lab tables read by OCR, corrected by what each column can hold: a unit column holds units (`bmol/L`, `8人L` and
/// `mmol/儿` are μmol/L, g/L and mmol/L misread), a reference range is two numbers joined by a dash
/// (`137.0.147.0`). Columns are told by their headers, as ``LabTableNormalizer`` tells them. Only tables of pages
/// that were read by OCR pass through here; a digital page's text is what it says.
struct ScannedLabTableCorrection {
    func correct(_ original: Table) -> Table {
        var table = original
        // Headings lose the specks an erased rule leaves at their edge (`”参考范围`), and a heading one character off
        // a lab heading (`结` for 结果) is that heading: without it its column has no role.
        let headerRows = table.rows.indices.prefix(table.headerRows)
        for rowIndex in headerRows {
            for cellIndex in table.rows[rowIndex].indices {
                let trimmed = StrayMarks.trimmed(table.rows[rowIndex][cellIndex].text)
                let text = rowIndex == headerRows.last ? LabHeadings.snap(trimmed) ?? trimmed : trimmed
                if text != table.rows[rowIndex][cellIndex].text { Self.replace(&table.rows[rowIndex][cellIndex], with: text) }
            }
        }
        guard let roles = LabTableNormalizer().roles(of: table.header) else { return original }
        let itemColumn = roles.firstIndex(of: .item), unitColumn = roles.firstIndex(of: .unit)
        let valueColumn = roles.firstIndex(of: .value), rangeColumn = roles.firstIndex(of: .range), flagColumn = roles.firstIndex(of: .flag)
        // The table's own way of printing flags (H/L or arrows), from the flags that did read.
        let usesLetterFlags = flagColumn.map { column in
            table.rows.dropFirst(table.headerRows).contains { row in
                column < row.count && ["H", "L"].contains(row[column].text.trimmingCharacters(in: .whitespaces).uppercased())
            }
        } ?? false
        for rowIndex in table.rows.indices.dropFirst(table.headerRows) {
            // Column positions of this row's cells (a spanning cell covers several).
            var starts: [Int] = []
            var column = 0
            for cell in table.rows[rowIndex] { starts.append(column); column += cell.columnSpan }
            func cell(atColumn wanted: Int?) -> Int? { wanted.flatMap { starts.firstIndex(of: $0) } }
            let item = cell(atColumn: itemColumn).map { table.rows[rowIndex][$0].text }
            for (cellIndex, start) in starts.enumerated() {
                guard start < roles.count, let role = roles[start] else { continue }
                let text = StrayMarks.trimmed(table.rows[rowIndex][cellIndex].text)
                var corrected: String? = switch role {
                case .item: LabItems.standard.snap(text)
                case .unit: LabUnits.snap(text, item: item)
                case .range: ReferenceRangeText.repair(text)
                case .value: NumberText.repair(text)
                default: nil
                }
                // A unit read into the value or range cell beside an empty unit cell (`170 8人L`) moves over.
                if role == .value || role == .range, let unitCell = cell(atColumn: unitColumn), table.rows[rowIndex][unitCell].text.isEmpty,
                   let (rest, unit) = LabUnits.split(corrected ?? text, item: item) {
                    Self.replace(&table.rows[rowIndex][unitCell], with: unit)
                    corrected = (role == .value ? NumberText.repair(rest) : ReferenceRangeText.repair(rest)) ?? rest
                }
                let final = corrected ?? text
                if final != table.rows[rowIndex][cellIndex].text { Self.replace(&table.rows[rowIndex][cellIndex], with: final) }
            }
            // A flag cell holding a mark no flag reads as (↑ read as `上`, `了`, `T`) is set by the row's own value and range.
            let text = { (column: Int?) in cell(atColumn: column).map { table.rows[rowIndex][$0].text } }
            if let flagCell = cell(atColumn: flagColumn),
               let flag = FlagText.repair(table.rows[rowIndex][flagCell].text, value: text(valueColumn), range: text(rangeColumn),
                                          letters: usesLetterFlags) {
                Self.replace(&table.rows[rowIndex][flagCell], with: flag)
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

/// The headings of lab table columns (项目, 结果, 单位, 参考范围, 提示, Result …), and the one a misread heading is.
enum LabHeadings {
    static let words: [String] = LabTableNormalizer.headerWords.flatMap(\.1).filter { $0.count >= 2 }

    /// The heading `text` was meant to be: the only one within one edit (one in five for longer English words),
    /// written with `text`'s capital; nil for a heading already containing one, or text close to none or to two.
    static func snap(_ text: String) -> String? {
        let key = text.lowercased().filter { !$0.isWhitespace }
        guard key.count >= 1, !words.contains(where: { key.contains($0) }) else { return nil }
        let close = Set(words.filter { word in
            abs(word.count - key.count) <= 1 && EditDistance.between(Array(key), Array(word)) { _, _ in 1 } <= Double(max(1, word.count / 5))
        })
        guard close.count == 1, let word = close.first else { return nil }
        return text.first?.isUppercase == true ? word.prefix(1).uppercased() + word.dropFirst() : word
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

    /// The listed item `text` (specks already trimmed) was meant to be: the closest name, when it is within one edit
    /// in five (at least one) and no other name is as close. An exact name, or anything not close to one, is nil.
    func snap(_ text: String) -> String? {
        let key = Array(Self.key(text))
        guard key.count >= 2, !keys.contains(key) else { return nil }
        var best: (index: Int, cost: Int)?, tied = false
        for (index, candidate) in keys.enumerated() where abs(candidate.count - key.count) <= max(1, candidate.count / 5) {
            let cost = Int(EditDistance.between(key, candidate) { _, _ in 1 })
            if cost < (best?.cost ?? .max) { best = (index, cost); tied = false } else if cost == best?.cost { tied = true }
        }
        guard let best, !tied, best.cost <= max(1, keys[best.index].count / 5) else { return nil }
        return names[best.index]
    }

}

/// Levenshtein distance between non-empty strings, a substitution of two different characters costing what
/// `substitution` says (insertions and deletions cost 1).
enum EditDistance {
    static func between(_ a: [Character], _ b: [Character], substitution: (Character, Character) -> Double) -> Double {
        var previous = (0...b.count).map(Double.init)
        for i in 1...a.count {
            var current = [Double(i)] + [Double](repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : substitution(a[i - 1], b[j - 1])
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
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
        // `l/` run together into one glyph (`bmoML`, `hmoyL` for μmol/L): the l read as it, the slash then missing.
        "Ml", "yl", "Vl", "Yl", "Nl",
    ]

    /// The known unit `text` most likely is, or nil when nothing is close (a number, or text too far from every
    /// unit, is left alone).
    static func snap(_ text: String, item: String?) -> String? {
        let compact = normalise(text)
        guard !compact.isEmpty, compact.count <= 12 else { return nil }
        if known.contains(compact) { return meant(compact, item: item) }
        // A number or a range in the unit column is a value out of place, not a unit misread.
        guard compact.contains(where: { !$0.isNumber && $0 != "." && $0 != "-" }) else { return nil }
        // Single characters are too easily anything (`册` for %, `使` for fL): left alone.
        guard compact.count >= 2 else { return nil }
        var best: (unit: String, cost: Double)?
        for unit in known where unit.count >= 2 {
            let cost = distance(Array(compact), Array(unit))
            if cost < (best?.cost ?? .infinity) { best = (unit, cost) }
        }
        guard let best, best.cost <= max(1.3, 0.4 * Double(best.unit.count)) else { return nil }
        return meant(best.unit, item: item)
    }

    /// `unit` as the row's item means it: μmol/L where m, n or p was read for μ.
    private static func meant(_ unit: String, item: String?) -> String {
        prefersMicro(unit, item: item) ? "μmol/L" : unit
    }

    /// Items Chinese reports give in μmol/L: there `mmol/L`, `nmol/L` or `pmol/L` is μ misread.
    static let micromolarItems = ["胆红素", "bil", "胆汁酸", "tba", "肌酐", "crea", "creatinine", "尿酸", "uric", "(ua)"]

    private static func prefersMicro(_ unit: String, item: String?) -> Bool {
        let key = (item ?? "").lowercased()
        if ["mmol/L", "nmol/L", "pmol/L"].contains(unit), micromolarItems.contains(where: { key.contains($0) }) { return true }
        guard unit == "pmol/L" else { return false }
        return !picomolarItems.contains { key.contains($0) }
    }

    /// `text` as a value and a unit read together (`170 8人L`, `10^12/儿4.30-5.80`): the rest and the unit, when one
    /// end of it, cut at a space or where digits meet letters, is a unit and the rest is a number or range.
    static func split(_ text: String, item: String?) -> (rest: String, unit: String)? {
        let parts = text.split(separator: " ").map(String.init)
        if parts.count == 2 {
            if let unit = snap(parts[1], item: item), NumberText.isNumberOrRange(parts[0]) { return (parts[0], unit) }
            if let unit = snap(parts[0], item: item), NumberText.isNumberOrRange(parts[1]) { return (parts[1], unit) }
        }
        // A unit glued in front of a range, cut where the unit's last letter meets the range's first digit.
        let characters = Array(text)
        for cut in 2..<max(2, characters.count) where characters[cut].isNumber && !characters[cut - 1].isNumber && characters[cut - 1] != "." {
            let head = String(characters[..<cut]), tail = String(characters[cut...])
            if NumberText.isNumberOrRange(tail), tail.contains("-"), let unit = snap(head, item: item), normalise(head).contains("/") {
                return (tail, unit)
            }
        }
        return nil
    }

    /// Spaces and stray marks out, full-width forms folded, and the Chinese glyphs the recogniser reads for `/L`.
    static func normalise(_ text: String) -> String {
        var s = text.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace }
        s = StrayMarks.trimming(StrayMarks.leading, from: s)
        for (from, to) in [("/儿", "/L"), ("儿", "/L"), ("人L", "/L"), ("人", "/"), ("µ", "μ"), ("×", ""), ("x10", "10"), ("*10", "10")] {
            s = s.replacingOccurrences(of: from, with: to)
        }
        // One Chinese glyph after Latin letters is how the Chinese model reads `/L` (`U作`, `8中`).
        if let last = s.unicodeScalars.last, last.isWide, s.unicodeScalars.dropLast().contains(where: { $0.properties.isAlphabetic && !$0.isWide })
            || s.unicodeScalars.dropLast().allSatisfy({ $0.value < 0x80 }) && s.unicodeScalars.count >= 2 {
            s = String(String.UnicodeScalarView(s.unicodeScalars.dropLast())) + "/L"
        }
        return s
    }

    /// Edit distance with cheap known confusions and case slips.
    static func distance(_ a: [Character], _ b: [Character]) -> Double {
        EditDistance.between(a, b) { x, y in x.lowercased() == y.lowercased() ? 0.3 : confusions.contains("\(x)\(y)") ? 0.5 : 1 }
    }
}

/// A reference range is `low-high` (or `<x`, `>x`, `≤x`): the dash is what OCR most often loses or turns into a dot,
/// and specks before it are read as `=` or `.`.
enum ReferenceRangeText {
    /// `137.0.147.0` → `137.0-147.0` when splitting at one dot gives two numbers with as many decimals each and the
    /// low end below the high one; anything else is left as read.
    static func repair(_ text: String) -> String? {
        let compact = text.filter { !$0.isWhitespace }
        // Specks before the range (`=. 2.11-2.52`): punctuation in front of a well-formed range goes.
        let body = String(compact.drop { !$0.isNumber && !"<>≤≥".contains($0) })
        if body != compact, body.count >= 3, NumberText.isNumberOrRange(body), compact.count - body.count <= 3 { return body }
        let dots = compact.indices.filter { compact[$0] == "." }
        guard compact.allSatisfy({ $0.isNumber || $0 == "." }), dots.count == 3 else { return nil }
        let middle = dots[1]
        let low = String(compact[..<middle]), high = String(compact[compact.index(after: middle)...])
        guard let a = Double(low), let b = Double(high), a < b,
              low.split(separator: ".").last?.count == high.split(separator: ".").last?.count else { return nil }
        return "\(low)-\(high)"
    }
}

/// A flag cell read as a mark that is no flag: an arrow (or H/L) when the row's value is outside its reference
/// range, and nothing when it is inside (the mark was a speck). Flags that read as flags, and rows whose value or
/// range is not a number, are left as read.
enum FlagText {
    static func repair(_ mark: String, value: String?, range: String?, letters: Bool) -> String? {
        let mark = mark.trimmingCharacters(in: .whitespaces)
        guard !mark.isEmpty, LabTableNormalizer.flag(mark) == nil,
              let number = value.flatMap({ LabValue($0).number }), let range = range.map(LabValue.range),
              range.low != nil || range.high != nil else { return nil }
        switch range.flag(for: number) {
        case "H": return letters ? "H" : "↑"
        case "L": return letters ? "L" : "↓"
        default: return ""
        }
    }
}

/// A result value: a number, with the letters OCR puts for digits and points set right when that makes it one.
enum NumberText {
    static let lookalikes: [Character: Character] = [":": ".", ",": ".", "O": "0", "o": "0", "l": "1", "I": "1", "|": "1", "S": "5", "B": "8"]

    static func isNumberOrRange(_ text: String) -> Bool {
        text.wholeMatch(of: /[<>≤≥]?\d+(\.\d+)?(-\d+(\.\d+)?)?/) != nil
    }

    /// `152:5` → 152.5, `1O.3` → 10.3: one or two look-alike characters in an otherwise numeric value. Anything
    /// else (a word, a qualitative result such as 阴性) is nil, left as read.
    static func repair(_ text: String) -> String? {
        guard !isNumberOrRange(text), text.count >= 2, text.contains(where: \.isNumber) else { return nil }
        let mapped = String(text.map { lookalikes[$0] ?? $0 })
        let changed = zip(text, mapped).filter { $0 != $1 }.count
        guard (1...2).contains(changed), isNumberOrRange(mapped) else { return nil }
        return mapped
    }
}
