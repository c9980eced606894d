import Core

/// Raises or lowers candidate scores by the words just before them, in a window of code points
/// (Chinese has no word boundaries, so the window counts characters, not words).
public struct ContextScorer: Sendable {
    public var window: Int

    /// The built-in context words: positive ones per kind, then the negative ones.
    static let standardWords: [(text: String, kind: EntityKind?, delta: Double)] = {
        var words: [(String, EntityKind?, Double)] = []
        for kind in positive.keys.sorted() { for w in positive[kind]! { words.append((w, kind, 0.1)) } }
        for w in negative { words.append((w, nil, -0.5)) }
        return words
    }()
    /// Whether each word starts / ends with a Latin letter (and so needs a word boundary there).
    static let latinEdges: [(first: Bool, last: Bool)] = standardWords.map { w in
        let scalars = [UInt32](literal: w.text.trimmingSpaces())
        return (CharClass.isLetter(scalars.first!), CharClass.isLetter(scalars.last!))
    }

    static let positive: [EntityKind: [String]] = [
        .phoneNumber: ["电话", "手机", "联系", "致电", "tel", "phone", "call", "contact", "mobile", "reached at", "cell", "fax"],
        .bankCard: ["银行卡", "卡号", "账号", "card", "account"],
        .date: ["日期", "时间", "于", "至", "date", "on", "dob", "since", "dated", "生日", "出生"],
        .address: ["住址", "地址", "lives at", "address", "resides"],
        .idNumber: ["身份证", "证件"],
        .usSSN: ["ssn", "social security"],
        .ipAddress: ["ip", "login", "登录"],
        .person: ["姓名", "name", "dr.", "医师", "患者"],
        .licensePlate: ["车牌", "plate"],
        .passport: ["护照", "passport"],
        .age: ["年龄", "age", "aged"],
    ]
    /// Words before a number that say it is not PHI: lots, device codes, beds, reference ranges.
    static let negative = [
        "批号", "批次", "lot", "追溯码", "udi", "序列号", "serial", "s/n", "床号", "bed", "room", "ref", "参考", "型号",
        "model", "试剂", "质控", "条码", "编码", "耗材", "reagent", "device", "implant",
    ]

    public init(window: Int = 20) { self.window = window }

    struct Hit {
        var end: Int
        var start: Int
        var word: Int
    }

    /// Context words in `t` (from its dictionary scan), with word boundaries for Latin words.
    func hits(in t: ScanText) -> [Hit] {
        var result: [Hit] = []
        for hit in t.dictionary[.context] {
            let edges = Self.latinEdges[hit.index]
            if edges.first, CharClass.isLetter(t[hit.range.lowerBound - 1]) { continue }
            if edges.last, CharClass.isLetter(t[hit.range.upperBound]) { continue }
            result.append(Hit(end: hit.range.upperBound, start: hit.range.lowerBound, word: hit.index))
        }
        return result
    }

    /// Applies context to pattern candidates. Negative words lower number-like candidates (a fully
    /// validated date keeps its score: `参考…指南。于2025-03-20` is still a date). (label-driven candidates already carry their context).
    func apply(to candidates: inout [Candidate], in t: ScanText) {
        let hits = hits(in: t)
        guard !hits.isEmpty else { return }
        for index in candidates.indices where candidates[index].explanation.recognizer != "field-label" {
            let start = candidates[index].range.lowerBound
            // Binary search for the first hit ending at or after start - window.
            var lo = 0, hi = hits.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if hits[mid].end < start - window { lo = mid + 1 } else { hi = mid }
            }
            // Context words count only on the candidate's own line.
            var lineStart = start
            while lineStart > 0, start - lineStart < window, !CharClass.isNewline(t[lineStart - 1]) { lineStart -= 1 }
            var k = lo
            var boosted = false, lowered = false
            while k < hits.count, hits[k].end <= start {
                if hits[k].start < lineStart { k += 1; continue }
                let word = Self.standardWords[hits[k].word]
                if word.kind == candidates[index].kind && !boosted {
                    candidates[index].score = min(1, candidates[index].score + word.delta)
                    candidates[index].explanation.contextWords.append(word.text)
                    boosted = true
                } else if word.kind == nil && !lowered && Self.numberKinds.contains(candidates[index].kind)
                            && (candidates[index].kind != .date || candidates[index].score < 0.8) {
                    candidates[index].score = max(0, candidates[index].score + word.delta)
                    candidates[index].explanation.contextWords.append("-" + word.text)
                    lowered = true
                }
                k += 1
            }
        }
    }

    static let numberKinds: Set<EntityKind> = [.phoneNumber, .bankCard, .idNumber, .usSSN, .date]
}
