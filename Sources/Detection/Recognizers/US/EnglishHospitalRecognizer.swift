public import Core

/// English facility names: capitalised words before `Hospital`, `Medical Center`, `Clinic`, …
/// (`St. Kevin's Medical Center`, `University of Ohio Medical Center`), and `Mercy Hospital of X`.
public struct EnglishHospitalRecognizer: Recognizer {
    public let name = "en-hospital"
    public let kinds: Set<EntityKind> = [.hospital]

    /// Keywords ending a facility name (their first letters, H M C I S, pre-filter the scan).
    static let keywords: [[UInt32]] = [
        "Hospital", "Medical Center", "Medical Centre", "Clinic", "Health Center", "Health Centre", "Health System",
        "Infirmary", "Cancer Center", "Surgery Center", "Heart Institute", "Children's Hospital",
    ].map { [UInt32](literal: $0) }
    static let joiners = WordSet(["of", "the", "and", "&", "St.", "Saint"])
    static let notPartOfName = WordSet([
        "The", "From", "To", "At", "In", "Nephrology", "Cardiology", "Radiology", "Neurology", "Oncology", "Pulmonology",
        "Geriatrics", "Surgery", "Department", "Endocrinology", "Gastroenterology", "Medicine", "Emergency", "Visit",
        "Seen", "Transferred", "Admitted", "Discharged", "Our", "Your", "Their", "His", "Her", "Dr.", "Dr", "Mr.", "Mrs.", "Ms.",
    ])

    public init() {}

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        var cursor = 0
        for wordStart in t.wordStarts {
            let i = Int(wordStart)
            let c = t.chars[i]
            guard i >= cursor, c == 0x48 || c == 0x4D || c == 0x43 || c == 0x49 || c == 0x53,
                  let keyword = Self.keywords.first(where: { t.hasPrefix($0, at: i) }),
                  !CharClass.isLetter(t[i + keyword.count]) else { continue }
            let keywordEnd = i + keyword.count
            let start = nameStart(t, before: i)
            var end = keywordEnd
            if let ofEnd = ofPlace(t, at: keywordEnd) { end = ofEnd }
            if start < i || end > keywordEnd {
                candidates.append(Candidate(
                    kind: .hospital, range: start..<end, score: 0.85,
                    explanation: Explanation(recognizer: name, pattern: "capitalised name + " + t.string(i..<keywordEnd))))
            }
            cursor = end
        }
    }

    /// Walks back over capitalised words, `St.`, possessives and `of`, at most six tokens.
    private func nameStart(_ t: ScanText, before keyword: Int) -> Int {
        var start = keyword
        var tokens = 0
        var p = keyword
        while tokens < 6, t[p - 1] == 0x20 {
            var s = p - 1
            while s > 0, CharClass.isLetter(t[s - 1]) || t[s - 1] == 0x27 || t[s - 1] == 0x2E || t[s - 1] == 0x2D || t[s - 1] == 0x26 { s -= 1 }
            guard s < p - 1 else { break }
            if Self.notPartOfName.contains(t, s..<(p - 1)) { break }
            let capitalised = CharClass.isUpper(t[s])
            guard capitalised || Self.joiners.contains(t, s..<(p - 1)) else { break }
            tokens += 1
            p = s
            if capitalised { start = s }
        }
        return start
    }

    /// ` of Barbarafurt` after the keyword.
    private func ofPlace(_ t: ScanText, at p: Int) -> Int? {
        guard t.hasPrefix([UInt32](literal: " of "), at: p), CharClass.isUpper(t[p + 4]) else { return nil }
        var i = p + 4
        var end = i
        var words = 0
        while words < 3, CharClass.isUpper(t[i]) {
            var j = i
            while CharClass.isLetter(t[j]) || t[j] == 0x27 { j += 1 }
            end = j
            words += 1
            guard t[j] == 0x20, CharClass.isUpper(t[j + 1]) else { break }
            i = j + 1
        }
        return words > 0 ? end : nil
    }
}
