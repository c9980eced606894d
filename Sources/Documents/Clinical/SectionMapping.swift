import Foundation

/// Maps printed section headings to canonical clinical fields, driven by a table of variants
/// (`Resources/section-headings.tsv`, extensible with a site's own file in the same format).
public struct SectionMapping: Sendable {
    private var exact: [String: ClinicalField] = [:]
    /// Variants by decreasing length, for "the longest variant contained in the heading".
    private var byLength: [(variant: String, field: ClinicalField)] = []

    /// The built-in table.
    public static let standard: SectionMapping = {
        guard let url = Bundle.module.url(forResource: "section-headings", withExtension: "tsv"),
              let text = try? String(contentsOf: url, encoding: .utf8) else { return SectionMapping(tsv: "") }
        return SectionMapping(tsv: text)
    }()

    /// Reads `canonical<TAB>heading` lines; `#` starts a comment.
    public init(tsv: String) {
        add(tsv: tsv)
    }

    /// Adds (and overrides with) the lines of another table.
    public mutating func add(tsv: String) {
        for line in tsv.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = Self.normalize(String(parts[1]))
            guard !key.isEmpty else { continue }
            exact[key] = ClinicalField(String(parts[0]).trimmingCharacters(in: .whitespaces))
        }
        byLength = exact.map { ($0.key, $0.value) }.sorted { $0.variant.count > $1.variant.count || ($0.variant.count == $1.variant.count && $0.variant < $1.variant) }
    }

    /// The field of a heading: an exact variant, else the longest variant it contains (at least two characters,
    /// Latin variants as whole words), else `other`.
    public func field(for heading: String) -> ClinicalField {
        let key = Self.normalize(heading)
        if let field = exact[key] { return field }
        for (variant, field) in byLength where variant.count >= 2 && Self.contains(key, variant) { return field }
        return .other
    }

    /// The field only when the heading is exactly a known variant (run-in headings need that certainty).
    public func exactField(for heading: String) -> ClinicalField? { exact[Self.normalize(heading)] }

    private static func contains(_ key: String, _ variant: String) -> Bool {
        guard let range = key.range(of: variant) else { return false }
        guard variant.unicodeScalars.allSatisfy({ $0.isASCII }) else { return true }
        let before = range.lowerBound == key.startIndex ? nil : key[key.index(before: range.lowerBound)]
        let after = range.upperBound == key.endIndex ? nil : key[range.upperBound]
        return !(before?.isLetter ?? false) && !(after?.isLetter ?? false)
    }

    /// Lower case without enumerators (一、 (一) 1. 1.1 I.), brackets, colons, punctuation or spaces between CJK.
    public static func normalize(_ heading: String, keepingEnumerator: Bool = false) -> String {
        var scalars = Array(heading.lowercased().unicodeScalars)
        if !keepingEnumerator { scalars = Array(stripEnumerator(scalars)) }
        var result = String.UnicodeScalarView()
        for scalar in scalars {
            if scalar.properties.isWhitespace {
                if let last = result.last, last != " ", last.isASCII { result.append(" ") }
                continue
            }
            if "【】[]()（）:：.、，,;；\"'“”‘’*#".unicodeScalars.contains(scalar) { continue }
            if result.last == " ", !scalar.isASCII { result.removeLast() }
            result.append(scalar)
        }
        while result.last == " " { result.removeLast() }
        return String(result)
    }

    private static func stripEnumerator(_ scalars: [Unicode.Scalar]) -> ArraySlice<Unicode.Scalar> {
        var index = 0
        let numerals = "一二三四五六七八九十".unicodeScalars
        if index < scalars.count, scalars[index] == "(" || scalars[index] == "（" { index += 1 }
        let start = index
        while index < scalars.count, ("0"..."9").contains(scalars[index]) || numerals.contains(scalars[index])
            || (index > start && scalars[index] == ".") { index += 1 }
        if index > start, index < scalars.count, "、.．)）".unicodeScalars.contains(scalars[index]) || scalars[index] == " " {
            index += 1
            return scalars[index...]
        }
        if index > start, index < scalars.count, scalars[index - 1] == "." { return scalars[index...] }
        // Roman numerals: "I. ", "IV. "
        var roman = 0
        while roman < scalars.count, "ivx".unicodeScalars.contains(scalars[roman]) { roman += 1 }
        if roman > 0, roman + 1 < scalars.count, scalars[roman] == ".", scalars[roman + 1] == " " { return scalars[(roman + 2)...] }
        return scalars[0...]
    }
}
