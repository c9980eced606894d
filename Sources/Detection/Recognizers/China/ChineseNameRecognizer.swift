public import Core

/// Chinese person names in running text, found by structure rather than by a list of names:
/// a known surname (single or compound) and one or two given-name characters, placed by
/// - a trigger before it: `患者蔡静，女`, `家属张婷联系电话`, `请贵院王峰主任`;
/// - a title after it: `冶秀珍主治医师`, `刘坤主任医师`;
/// - a gender right after it: `…。袁瑞，男性`.
public struct ChineseNameRecognizer: Recognizer {
    public let name = "cn-person"
    public let kinds: Set<EntityKind> = [.person]
    let triggers: AhoCorasick<Int>
    let titles: AhoCorasick<Int>

    static let triggerWords = [
        "患者", "家属", "病人", "患儿", "请贵院", "陪同人", "联系人", "配偶", "丈夫", "妻子", "儿子", "女儿", "母亲", "父亲",
        "之子", "之女", "孙子", "孙女", "监护人", "委托人", "代理人", "产妇", "伤者", "会诊医师", "上级医师",
    ]
    /// Characters that end the text before a name (so a name may start right after them).
    static let leftBoundaries: ScalarSet = ScalarSet(scalarsOf: "，,。：:；;、（(）)\n 　由及和与请经向被给让同跟对找院科患属者人")

    public init() {
        triggers = AhoCorasick(Self.triggerWords.enumerated().map { ([UInt32](literal: $0.element), $0.offset) })
        titles = AhoCorasick(ChineseNames.titles.map { ($0, $0.count) })
    }

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        var triggerState = 0, titleState = 0
        for i in 0..<t.count {
            let c = t.chars[i]
            if !CharClass.isSpace(c) { triggerState = triggers.step(triggerState, c) }
            titleState = titles.step(titleState, c)
            if !CharClass.isSpace(c), triggers.hasMatch(at: triggerState),
               let trigger = triggers.matches(at: triggerState).max(by: { $0.length < $1.length }) {
                var p = i + 1
                if CharClass.isSpace(t[p]) { p += 1 }
                if let r = NameReader.structured(t, at: p, allowAmbiguousSurname: false) {
                    add(r, score: 0.8, context: Self.triggerWords[trigger.payload], into: &candidates)
                }
            }
            if titles.hasMatch(at: titleState), let length = titles.matches(at: titleState).map(\.length).max() {
                let titleStart = i + 1 - length
                if let r = nameBefore(t, end: titleStart) {
                    add(r, score: 0.8, context: t.string(titleStart..<(i + 1)), into: &candidates)
                }
            }
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
        var state = 0
        for i in max(0, k - 4)...k { state = triggers.step(state, t[i]) }
        if triggers.matches(at: state).contains(where: { $0.length >= 1 }) { return true }
        var titleState = 0
        for i in max(0, k - 5)...k { titleState = titles.step(titleState, t[i]) }
        return titles.hasMatch(at: titleState)
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
