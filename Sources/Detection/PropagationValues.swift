import Core

/// Values of names and identifiers found in a text, to be found again wherever else they occur.
struct PropagationValues {
    /// Values (folded code points) and the finding each came from (the best-scoring one), in first-seen
    /// order, as parallel arrays so the search loop touches only the keys.
    private(set) var keys: [[UInt32]] = []
    private(set) var origins: [Candidate] = []
    private var indexByHash: [UInt64: Int] = [:]

    /// Adds the propagatable values among `findings` (ranges relative to `text` shifted by `offset`).
    mutating func collect(_ findings: [Candidate], in text: ScanText, offset: Int) {
        let kinds = PHIAnalyzer.propagatedKinds
        for f in findings where kinds.contains(where: { $0 == f.kind }) {
            let local = (f.range.lowerBound - offset)..<(f.range.upperBound - offset)
            guard local.lowerBound >= 0, local.upperBound <= text.count else { continue }
            guard CharClass.isHan(text.chars[local.lowerBound]) ? local.count >= 2 : local.count >= 4 else { continue }
            let key = WordSet.hash(text.chars, local, caseInsensitive: false)
            if let index = indexByHash[key] {
                if origins[index].score < f.score { origins[index] = f }
            } else {
                indexByHash[key] = keys.count
                keys.append(Array(text.chars[local]))
                origins.append(f)
            }
        }
    }

    /// An automaton over the values once there are many (built once, reused by every streamed window).
    private var automaton: AhoCorasick<Int>?

    /// Fixes the collected values for searching; call after the last `collect`.
    mutating func freeze() {
        automaton = keys.count > 24 ? AhoCorasick(keys.enumerated().map { ($0.element, $0.offset) }) : nil
    }

    /// Mentions of the values in `text` (ranges shifted by `offset`), except ranges already found.
    func mentions(in text: ScanText, offset: Int, excluding found: [Range<Int>], threshold: Double) -> [Candidate] {
        guard !keys.isEmpty else { return [] }
        let automaton = automaton ?? (keys.count > 24 ? AhoCorasick(keys.enumerated().map { ($0.element, $0.offset) }) : nil)
        let foundKeys = HashSet64(found.map { UInt64(truncatingIfNeeded: $0.lowerBound) << 32 | UInt64(truncatingIfNeeded: $0.upperBound) })
        var mentions: [Candidate] = []
        // One explanation per value, written on its first mention: most values repeat several times.
        var explanations = [Explanation?](repeating: nil, count: keys.count)
        func consider(_ index: Int, endingAt end: Int) {
            let key = keys[index]
            let length = key.count
            let first = key[0], last = key[length - 1]
            let local = (end - length)..<end
            let r = (local.lowerBound + offset)..<(local.upperBound + offset)
            guard !foundKeys.contains(UInt64(truncatingIfNeeded: r.lowerBound) << 32 | UInt64(truncatingIfNeeded: r.upperBound)) else { return }
            if CharClass.isAlnum(first) && CharClass.isAlnum(text[local.lowerBound - 1]) { return }
            if CharClass.isAlnum(last) && CharClass.isAlnum(text[local.upperBound]) { return }
            let source = origins[index]
            let score = max(source.score - 0.05, 0.5)
            guard score >= threshold else { return }
            if explanations[index] == nil {
                explanations[index] = Explanation(recognizer: "same-value", pattern: "repeats a \(source.kind) found by \(source.explanation.recognizer)")
            }
            mentions.append(Candidate(kind: source.kind, range: r, score: score, explanation: explanations[index]!))
        }
        if let automaton {
            // Many values (long texts): one automaton keeps this linear in the text.
            var state = 0
            for i in 0..<text.count {
                state = automaton.step(state, text.chars[i])
                guard automaton.hasMatch(at: state) else { continue }
                for m in automaton.matches(at: state) { consider(m.payload, endingAt: i + 1) }
            }
        } else {
            // Few values (one note): a first-character filter and direct comparison are cheaper than building an automaton.
            // A 4096-bit filter on the low 12 bits of each value's first code point, then an exact check.
            var filter = [UInt64](repeating: 0, count: 64)
            for key in keys { filter[Int(key[0] >> 6 & 63)] |= 1 << UInt64(key[0] & 63) }
            let firsts = keys.map { $0[0] }
            let chars = text.chars
            for i in chars.indices {
                let c = chars[i]
                guard filter[Int(c >> 6 & 63)] & (1 << UInt64(c & 63)) != 0 else { continue }
                for index in firsts.indices where firsts[index] == c && text.hasPrefix(keys[index], at: i) {
                    consider(index, endingAt: i + keys[index].count)
                }
            }
        }
        return mentions
    }
}
