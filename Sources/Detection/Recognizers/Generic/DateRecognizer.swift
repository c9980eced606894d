public import Core

/// Dates in numeric, Chinese and English month-name forms, validated against the calendar.
public struct DateRecognizer: Recognizer {
    public let name = "date"
    public let kinds: Set<EntityKind> = [.date]

    public init() {}

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        // Dates start at a run of digits or at a word (a month name); visit both lists in text order.
        var cursor = 0
        var d = 0, w = 0
        let digits = t.digitRunStarts, words = t.wordStarts
        while d < digits.count || w < words.count {
            let takeDigit = w >= words.count || (d < digits.count && digits[d] < words[w])
            let i = Int(takeDigit ? digits[d] : words[w])
            if takeDigit { d += 1 } else { w += 1 }
            guard i >= cursor, !CharClass.isAlnum(t[i - 1]) else { continue }
            if takeDigit && isNumberContinuation(t, before: i) { continue }
            if let match = DateParser.parse(t, at: i) {
                candidates.append(Candidate(
                    kind: .date, range: i..<match.end, score: match.score,
                    explanation: Explanation(recognizer: name, pattern: match.pattern, validation: "calendar: valid")))
                cursor = match.end
            }
        }
    }

    /// `4.0-10.0` or `1.2.2020`-like runs: a digit preceded by `digit.` or `digit-` continues a number.
    private func isNumberContinuation(_ t: ScanText, before i: Int) -> Bool {
        let p = t[i - 1]
        return (p == 0x2E || p == 0x2D || p == 0x2F) && CharClass.isDigit(t[i - 2])
    }
}
