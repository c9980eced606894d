public import Core

/// Values announced by a field label in any layout forms use: `住院号：X`, `【姓  名】X`,
/// `MRN X`, `Medical Record Number:X`, and a label cell whose value sits in the same column
/// on the next row.
///
/// Labels are matched by one Aho–Corasick pass over the text with spaces removed and ASCII
/// lower-cased, so OCR's stray spaces inside labels do not hide them.
public struct LabelValueRecognizer: Recognizer {
    public let name = "field-label"
    public let kinds: Set<EntityKind>
    let labels: [FieldLabel]
    let automaton: AhoCorasick<Int>

    let usesStandardLabels: Bool

    public init(labels: [FieldLabel] = FieldLabels.standard) {
        self.labels = labels
        kinds = Set(labels.map { $0.kind })
        usesStandardLabels = labels == FieldLabels.standard
        automaton = AhoCorasick(usesStandardLabels ? [] : labels.enumerated().map { ($0.element.key, $0.offset) })
    }

    struct Hit {
        var range: Range<Int>
        var label: Int
    }

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        let hits = findLabels(t)
        let labelStarts = HashSet64(hits.map { UInt64($0.range.lowerBound) + 1 })
        for hit in hits {
            let label = labels[hit.label]
            let (p, separated) = skipSeparators(t, from: hit.range.upperBound)
            let endsCell = CharClass.isNewline(t[p]) || p >= t.count || labelStarts.contains(UInt64(p) + 1)
                || (t[hit.range.upperBound] == 0x20 && t[hit.range.upperBound + 1] == 0x20) || t[hit.range.upperBound] == 0x09
            var value = endsCell && (CharClass.isNewline(t[p]) || p >= t.count || labelStarts.contains(UInt64(p) + 1)) ? nil : read(label, t, at: p, separated: separated)
            // The cell below, unless it is a field label itself (a form whose values were removed).
            if value == nil, endsCell, let cell = cellBelow(t, label: hit.range), !labelStarts.contains(UInt64(cell.lowerBound) + 1),
               let below = read(label, t, at: cell.lowerBound, separated: true), below.range.upperBound <= cell.upperBound {
                value = below
            }
            guard let value else { continue }
            candidates.append(Candidate(
                kind: label.kind, range: value.range, score: value.score,
                explanation: Explanation(recognizer: name, pattern: "label value", validation: value.validation,
                                         contextWords: [label.text])))
        }
        if usesStandardLabels { numberLabels(t, known: Set(hits.map(\.range.upperBound)), into: &candidates) }
    }

    /// `X号：value` where X is no label this recognizer knows — typically a label OCR misread (检查号 read as
    /// 全查号) — with an identifier-shaped value (six or more characters, five or more digits): a record number.
    /// Scored low, as a label-less guess should be; bed, serial, model and lot numbers are left alone.
    private func numberLabels(_ t: ScanText, known: Set<Int>, into candidates: inout [Candidate]) {
        let excluded: Set<UInt32> = Set("床序型批页".unicodeScalars.map(\.value))
        for i in 1..<max(1, t.count) where t[i] == 0x53F7 && !known.contains(i + 1) {
            guard CharClass.isHan(t[i - 1]), !excluded.contains(t[i - 1]) else { continue }
            var p = i + 1
            guard CharClass.isFieldColon(t[p]) else { continue }
            p += 1
            while CharClass.isSpace(t[p]) { p += 1 }
            guard let value = ValueReader.identifier(t, at: p), value.count >= 6,
                  value.filter({ CharClass.isDigit(t[$0]) }).count >= 5 else { continue }
            candidates.append(Candidate(
                kind: .medicalRecordNumber, range: value, score: 0.6,
                explanation: Explanation(recognizer: name, pattern: "unknown 号 label value", contextWords: [t.string((i - 1)..<(i + 1))])))
        }
    }

    /// Label hits, longest label per end position, with word boundaries for Latin labels.
    func findLabels(_ t: ScanText) -> [Hit] {
        let all = usesStandardLabels ? t.dictionary[.label].map { Hit(range: $0.range, label: $0.index) } : ownLabelHits(t)
        var byEnd: [Hit] = []
        for hit in all {
            let first = t[hit.range.lowerBound], last = t[hit.range.upperBound - 1]
            if CharClass.isLetter(first), CharClass.isAlnum(t[hit.range.lowerBound - 1]) { continue }
            if CharClass.isLetter(last), CharClass.isLower(t[hit.range.upperBound]) { continue }
            if let previous = byEnd.last, previous.range.upperBound == hit.range.upperBound {
                if hit.range.count > previous.range.count { byEnd[byEnd.count - 1] = hit }
            } else {
                byEnd.append(hit)
            }
        }
        // A label inside a longer one (医师 in 医师 签名) is not a label of its own: sweep from the end.
        var kept: [Hit] = []
        var minStart = Int.max
        for hit in byEnd.reversed() {
            if minStart > hit.range.lowerBound { kept.append(hit) }
            minStart = min(minStart, hit.range.lowerBound)
        }
        return kept.reversed()
    }

    /// Label hits for a custom label set (the standard set comes from the shared dictionary scan).
    private func ownLabelHits(_ t: ScanText) -> [Hit] {
        var hits: [Hit] = []
        automaton.forEachMatch(in: t.chars, wordStartsOnly: true) { hits.append(Hit(range: $0..<$1, label: $2)) }
        return hits
    }

    private func skipSeparators(_ t: ScanText, from i: Int) -> (Int, Bool) {
        var p = i, separated = false
        while p < t.count, p - i < 12 {
            let c = t[p]
            if CharClass.isFieldColon(c) || c == 0x23 || c == 0x3011 || c == 0x5D || c == 0x7C || c == 0x3D || c == 0x2E
                || CharClass.isSpace(c) || (c == 0x2D && CharClass.isSpace(t[p + 1])) {
                separated = true
                p += 1
            } else {
                break
            }
        }
        return (p, separated)
    }

    /// The cell under a header label: same cell index on the next non-empty line.
    func cellBelow(_ t: ScanText, label: Range<Int>) -> Range<Int>? {
        var lineStart = label.lowerBound
        while lineStart > 0, !CharClass.isNewline(t[lineStart - 1]) { lineStart -= 1 }
        var lineEnd = label.upperBound
        while lineEnd < t.count, !CharClass.isNewline(t[lineEnd]) { lineEnd += 1 }
        let headerCells = Self.cells(t, lineStart..<lineEnd)
        guard headerCells.count >= 1, let index = headerCells.firstIndex(where: { $0.contains(label.lowerBound) }) else { return nil }
        var next = lineEnd
        while next < t.count, CharClass.isWhitespace(t[next]) { next += 1 }
        var nextEnd = next
        while nextEnd < t.count, !CharClass.isNewline(t[nextEnd]) { nextEnd += 1 }
        let valueCells = Self.cells(t, next..<nextEnd)
        guard valueCells.count == headerCells.count, index < valueCells.count else { return nil }
        return valueCells[index]
    }

    /// Cells of one line, split by tabs, `|`, or runs of two or more spaces.
    static func cells(_ t: ScanText, _ line: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var i = line.lowerBound
        while i < line.upperBound {
            while i < line.upperBound, CharClass.isSpace(t[i]) || t[i] == 0x7C { i += 1 }
            guard i < line.upperBound else { break }
            let s = i
            var e = i
            while i < line.upperBound {
                let c = t[i]
                if c == 0x09 || c == 0x7C || (c == 0x20 && t[i + 1] == 0x20) { break }
                i += 1
                if c != 0x20 { e = i }
            }
            result.append(s..<e)
        }
        return result
    }

    struct Value {
        var range: Range<Int>
        var score: Double
        var validation: String?
    }

    private func read(_ label: FieldLabel, _ t: ScanText, at p: Int, separated: Bool) -> Value? {
        switch label.shape {
        case .identifier:
            guard let r = ValueReader.identifier(t, at: p) else { return nil }
            return Value(range: r, score: 0.9)
        case .personName:
            guard separated else { return nil }
            if CharClass.isHan(t[p]) {
                guard let r = NameReader.chinese(t, at: p, evidence: .labelled) else { return nil }
                return Value(range: r, score: 0.9)
            }
            guard separated, let r = NameReader.english(t, at: p, allowSingle: false) else { return nil }
            return Value(range: r, score: 0.85)
        case .date:
            guard let m = DateParser.parse(t, at: p, compact: true) else { return nil }
            return Value(range: p..<m.end, score: max(m.score, 0.9), validation: "calendar: valid")
        case .age:
            guard let r = ValueReader.age(t, at: p) else { return nil }
            return Value(range: r, score: 0.9)
        case .address:
            guard let r = AddressReader.value(t, at: p) else { return nil }
            return Value(range: r, score: 0.85)
        case .phone:
            guard let r = ValueReader.phone(t, at: p) else { return nil }
            return Value(range: r, score: 0.85)
        case .cardNumber:
            guard let card = ValueReader.cardNumber(t, at: p) else { return nil }
            let luhn = LuhnValidator.isValid(card.digits)
            return Value(range: card.range, score: luhn ? 0.95 : 0.7, validation: luhn ? "Luhn: valid" : "Luhn: invalid")
        case .residentID:
            guard let id = ValueReader.residentID(t, at: p) else { return nil }
            let outcome = ResidentIDValidator.validate(id.chars)
            // The label says what the number is: one mistyped or misread character (OCR drops, doubles or wraps
            // digits) does not make it less of an identifier. Unlabelled numbers still need a valid check digit.
            return Value(range: id.range, score: outcome == .valid ? 0.99 : 0.8, validation: "GB 11643: \(outcome.rawValue)")
        case .ssn:
            guard let r = ValueReader.ssn(t, at: p) else { return nil }
            return Value(range: r, score: 0.9)
        case .plate:
            if let end = LicensePlateRecognizer.plateEnd(t, at: p) { return Value(range: p..<end, score: 0.95) }
            guard let end = LicensePlateRecognizer.usPlateEnd(t, at: p) else { return nil }
            return Value(range: p..<end, score: 0.85)
        case .hospital:
            guard let r = ValueReader.clause(t, at: p, stopAtComma: true) else { return nil }
            return Value(range: r, score: 0.8)
        }
    }
}
