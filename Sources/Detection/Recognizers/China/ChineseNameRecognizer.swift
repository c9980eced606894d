public import Core

/// Chinese person names in running text, found by structure rather than by a list of names:
/// a known surname (single or compound) and one or two given-name characters, placed by
/// - a trigger before it: `患者蔡静，女`, `家属张婷联系电话`, `请贵院王峰主任`;
/// - a title after it: `冶秀珍主治医师`, `刘坤主任医师`;
/// - a gender right after it: `…。袁瑞，男性`.
public struct ChineseNameRecognizer: Recognizer {
    public let name = "cn-person"
    public let kinds: Set<EntityKind> = [.person]

    static let triggerWords = [
        "患者", "家属", "病人", "患儿", "请贵院", "陪同人", "联系人", "配偶", "丈夫", "妻子", "儿子", "女儿", "母亲", "父亲",
        "之子", "之女", "孙子", "孙女", "监护人", "委托人", "代理人", "产妇", "伤者", "会诊医师", "上级医师",
    ]
    /// Characters that end the text before a name (so a name may start right after them).
    static let leftBoundaries: ScalarSet = ScalarSet(scalarsOf: "，,。：:；;、（(）)\n 　由及和与请经向被给让同跟对找院科患属者人")

    public init() {}

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        // Triggers before a name: the longest trigger ending at each position.
        var longestTrigger: [Int: DictionaryScan.Hit] = [:]
        for hit in t.dictionary[.trigger] where (longestTrigger[hit.range.upperBound]?.range.count ?? 0) < hit.range.count {
            longestTrigger[hit.range.upperBound] = hit
        }
        for (end, hit) in longestTrigger.sorted(by: { $0.key < $1.key }) {
            let start = CharClass.isSpace(t[end]) ? end + 1 : end
            if let r = NameReader.structured(t, at: start, allowAmbiguousSurname: false) {
                add(r, score: 0.8, context: Self.triggerWords[hit.index], into: &candidates)
            }
        }
        // Titles after a name: the longest title ending at each position.
        var titleStarts: [Int: Int] = [:]
        for hit in t.dictionary[.title] { titleStarts[hit.range.upperBound] = min(titleStarts[hit.range.upperBound] ?? .max, hit.range.lowerBound) }
        for (end, titleStart) in titleStarts.sorted(by: { $0.key < $1.key }) {
            if let r = nameBefore(t, end: titleStart) {
                add(r, score: 0.8, context: t.string(titleStart..<end), into: &candidates)
            }
        }
        for i in 0..<t.count {
            let c = t.chars[i]
            guard c == 0xB7 || c == 0xFF0C || c == 0x2C else { continue }
            // Transliterated names joined by `·`.
            if c == 0xB7, let r = NameReader.dotted(t, dot: i, leftStops: { self.endsLeftContext(t, at: $0) }) {
                add(r, score: 0.8, context: "·", into: &candidates)
            }
            // "，男" / "，女" right after a name.
            if (c == 0xFF0C || c == 0x2C), t[i + 1] == 0x7537 || t[i + 1] == 0x5973, let r = nameBefore(t, end: i) {
                add(r, score: 0.75, context: t.string((i + 1)..<(i + 2)), into: &candidates)
            }
        }
    }

    private func add(_ r: Range<Int>, score: Double, context: String, into candidates: inout [Candidate]) {
        candidates.append(Candidate(
            kind: .person, range: r, score: score,
            explanation: Explanation(recognizer: name, pattern: "surname + given name", contextWords: [context])))
    }

    /// Whether position `k` ends text that comes before a name: a trigger (`家属`), a title, or a boundary character.
    func endsLeftContext(_ t: ScanText, at k: Int) -> Bool {
        if Self.leftBoundaries.contains(t[k]) { return true }
        return t.dictionary[.trigger].contains { $0.range.upperBound == k + 1 } || t.dictionary[.title].contains { $0.range.upperBound == k + 1 }
    }

    /// A 2–4 character name ending at `end`, preceded by a boundary.
    func nameBefore(_ t: ScanText, end: Int) -> Range<Int>? {
        for length in [3, 2, 4] {
            let s = end - length
            guard s >= 0, (s..<end).allSatisfy({ CharClass.isHan(t[$0]) }) else { continue }
            guard let surname = ChineseNames.surnameLength(t, at: s) else { continue }
            if length == 4 && surname != 2 { continue }
            // "由王红主任": a preposition in front of a surname is not part of the name.
            if length == 3, surname == 1, ChineseNames.ambiguousSurnames.contains(t[s]),
               ChineseNames.surnameLength(t, at: s + 1) != nil { continue }
            let before = t[s - 1]
            guard s == 0 || Self.leftBoundaries.contains(before) || !CharClass.isHan(before) else { continue }
            if (s + surname..<end).contains(where: { ChineseNames.startsFollower(t, at: $0) }) { continue }
            return s..<end
        }
        return nil
    }
}
