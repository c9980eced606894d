public import Core

/// Dates in numeric, Chinese and English month-name forms, validated against the calendar.
public struct DateRecognizer: Recognizer {
    public let name = "date"
    public let kinds: Set<EntityKind> = [.date]

    public init() {}

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        var i = 0
        let n = t.count
        while i < n {
            let c = t.chars[i]
            let startsToken = CharClass.isDigit(c) ? !CharClass.isAlnum(t[i - 1]) && !isNumberContinuation(t, before: i)
                : CharClass.isLetter(c) && !CharClass.isLetter(t[i - 1])
            if startsToken, let match = DateParser.parse(t, at: i) {
                candidates.append(Candidate(
                    kind: .date, range: i..<match.end, score: match.score,
                    explanation: Explanation(recognizer: name, pattern: match.pattern, validation: "calendar: valid")))
                i = match.end
                continue
            }
            if CharClass.isAlnum(c) {
                while i < n, CharClass.isAlnum(t.chars[i]) { i += 1 }
            } else {
                i += 1
            }
        }
    }

    /// `4.0-10.0` or `1.2.2020`-like runs: a digit preceded by `digit.` or `digit-` continues a number.
    private func isNumberContinuation(_ t: ScanText, before i: Int) -> Bool {
        let p = t[i - 1]
        return (p == 0x2E || p == 0x2D || p == 0x2F) && CharClass.isDigit(t[i - 2])
    }
}
