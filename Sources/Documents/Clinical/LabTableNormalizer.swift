import Foundation

/// Turns lab tables into ``LabResult`` rows: columns are recognised from their headers (项目/Test, 结果/Result,
/// 单位/Unit, 参考范围/Reference range, 提示/Flag, 标本/Specimen, 代号/Code); values and ranges are parsed as
/// numbers where they read as numbers, and the flag is computed from the range where none is printed.
public struct LabTableNormalizer: Sendable {
    public init() {}

    enum Role: CaseIterable { case item, code, value, unit, range, flag, specimen }

    static let headerWords: [(Role, [String])] = [
        (.range, ["参考范围", "参考值", "参考区间", "参考", "范围", "reference", "ref", "range", "normal"]),
        (.flag, ["提示", "标志", "标记", "异常", "flag", "abn", "h/l", "indicator"]),
        (.unit, ["单位", "unit"]),
        (.specimen, ["标本", "样本", "specimen", "sample"]),
        (.code, ["代号", "缩写", "英文", "code", "abbr"]),
        (.value, ["结果", "测定值", "检测值", "数值", "result", "value"]),
        (.item, ["项目", "名称", "指标", "test", "item", "analyte", "parameter", "name", "examination"]),
    ]

    /// The role of each column, or nil when the table is not a lab table (it needs an item and a value column).
    func roles(of header: [String]) -> [Role?]? {
        var roles: [Role?] = header.map { cell in
            let key = cell.lowercased().filter { !$0.isWhitespace }
            return Self.headerWords.first { _, words in words.contains { key.contains($0) } }?.0
        }
        // The first "item"-like column wins; a second one (检查项目 and 项目 both) is left alone.
        for role in Role.allCases {
            let indices = roles.indices.filter { roles[$0] == role }
            for extra in indices.dropFirst() { roles[extra] = nil }
        }
        if !roles.contains(.item), roles.first ?? nil == nil, roles.contains(.value) { roles[0] = .item }
        guard roles.contains(.item), roles.contains(.value) else { return nil }
        return roles
    }

    public func results(of table: Table, page: Int) -> [LabResult] {
        guard let roles = roles(of: table.header) else { return [] }
        return table.bodyRows.compactMap { row in
            var cells: [Role: String] = [:]
            for (index, role) in roles.enumerated() {
                guard let role, index < row.count else { continue }
                cells[role] = row[index].trimmingCharacters(in: .whitespaces)
            }
            guard let printedItem = cells[.item], !printedItem.isEmpty, let value = cells[.value], !value.isEmpty else { return nil }
            return result(item: printedItem, value: value, cells: cells, page: page)
        }
    }

    private func result(item printedItem: String, value: String, cells: [Role: String], page: Int) -> LabResult {
        let (item, bracketCode) = Self.splitCode(printedItem)
        let quantity = LabValue(value)
        let range = cells[.range].flatMap { $0.isEmpty ? nil : LabValue.range($0) }
        var flag = cells[.flag].flatMap(Self.flag)
        var computed = false
        if flag == nil, let number = quantity.number, let outside = range?.flag(for: number) {
            flag = outside
            computed = true
        }
        let unit = cells[.unit].flatMap { $0.isEmpty ? nil : $0 }
        let code = cells[.code].flatMap { $0.isEmpty ? nil : $0 } ?? bracketCode
        return LabResult(item: item, code: code, value: value, numericValue: quantity.number, comparator: quantity.comparator,
                         unit: unit, referenceRange: range, flag: flag, flagComputed: computed,
                         specimen: cells[.specimen].flatMap { $0.isEmpty ? nil : $0 }, page: page)
    }

    /// `白细胞计数(WBC)` → (`白细胞计数`, `WBC`); brackets holding Chinese text stay part of the name.
    static func splitCode(_ text: String) -> (String, String?) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let last = trimmed.last, last == ")" || last == "）",
              let open = trimmed.lastIndex(where: { $0 == "(" || $0 == "（" }), open > trimmed.startIndex else { return (trimmed, nil) }
        let code = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        guard !code.isEmpty, code.unicodeScalars.allSatisfy({ $0.isASCII }) else { return (trimmed, nil) }
        return (String(trimmed[..<open]).trimmingCharacters(in: .whitespaces), code)
    }

    /// Printed flags: ↑ H 高 → H; ↓ L 低 → L; * A 阳性 异常 → A.
    static func flag(_ text: String) -> String? {
        let key = text.trimmingCharacters(in: .whitespaces).uppercased()
        guard !key.isEmpty else { return nil }
        if key.contains("↑") || key.hasPrefix("H") || key.contains("高") { return "H" }
        if key.contains("↓") || key.hasPrefix("L") || key.contains("低") { return "L" }
        if key.contains("*") || key == "A" || key.contains("异常") || key.contains("阳性") || key.contains("ABN") { return "A" }
        return nil
    }
}

/// A printed lab value: an optional comparator and a number (`<0.5`, `1.2e3`, `≥ 60`), or text (`阴性`).
struct LabValue {
    var comparator: String?
    var number: Double?

    init(_ text: String) {
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        for symbol in ["<=", ">=", "≤", "≥", "<", ">", "＜", "＞"] where rest.hasPrefix(symbol) {
            comparator = ["≤": "<=", "≥": ">=", "＜": "<", "＞": ">"][symbol] ?? symbol
            rest = rest.dropFirst(symbol.count)
            break
        }
        number = Self.number(String(rest).trimmingCharacters(in: .whitespaces))
    }

    /// A plain decimal, possibly signed, possibly with an exponent (`1.2e3`, `1.2E-3`); full-width digits allowed.
    static func number(_ text: String) -> Double? {
        let ascii = String(text.unicodeScalars.map { scalar -> Character in
            if (0xFF10...0xFF19).contains(scalar.value) { return Character(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!) }
            if scalar == "．" { return "." }
            return Character(scalar)
        })
        guard !ascii.isEmpty, ascii.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }), ascii.contains(where: \.isNumber) else { return nil }
        return Double(ascii)
    }

    /// `3.50-9.50`, `3.5～9.5`, `3.5 - 9.5`, `<5`, `≤10`, `>60`, `阴性`.
    static func range(_ text: String) -> ReferenceRange {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let bound = LabValue(trimmed)
        if let comparator = bound.comparator, let number = bound.number {
            return comparator.hasPrefix("<") ? ReferenceRange(high: number, text: trimmed) : ReferenceRange(low: number, text: trimmed)
        }
        for separator in ["～", "~", "—", "–", "-", "至", "to"] {
            // Skip a leading minus: the separator must have a number on its left.
            var searchStart = trimmed.startIndex
            if trimmed.hasPrefix("-") { searchStart = trimmed.index(after: searchStart) }
            guard let range = trimmed.range(of: separator, range: searchStart..<trimmed.endIndex) else { continue }
            let low = number(trimmed[..<range.lowerBound].trimmingCharacters(in: .whitespaces))
            let high = number(trimmed[range.upperBound...].trimmingCharacters(in: .whitespaces))
            if let low, let high { return ReferenceRange(low: low, high: high, text: trimmed) }
        }
        return ReferenceRange(text: trimmed)
    }
}
