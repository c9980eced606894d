public import Core

/// Chinese hospital and clinic names: a proper-name prefix before 医院, 卫生院, 保健院, 诊所, …
/// (`株洲市肿瘤医院`, `中山大学附属第一医院`), found by scanning back from the suffix to a word
/// that cannot be part of a name (在, 至, 由, punctuation).
public struct ChineseHospitalRecognizer: Recognizer {
    public let name = "cn-hospital"
    public let kinds: Set<EntityKind> = [.hospital]

    static let boundaryCharacters: ScalarSet = ScalarSet(scalarsOf: "在于至到从由往赴经我贵本该与和及或的了是被把向去来回转送入住曾自请为诊等位家即并后前时经其")
    static let genericPrefixes: Set<String> = [
        "上级", "当地", "基层", "综合", "专科", "三甲", "定点", "外", "其他", "各级", "就近", "大型", "正规", "二级", "三级",
        "一级", "附近", "县级", "市级", "省级", "区级", "私立", "公立", "民营", "多家", "该", "本", "贵", "我", "他",
        "外院", "上述", "其它", "异地", "首诊", "转诊", "协作", "合作", "医联体", "社区", "乡镇", "村", "精神病", "中",
        "儿童", "肿瘤", "妇幼", "人民", "中医", "地方", "部队", "军队", "教学", "该院", "原", "某",
    ]

    static let suffixWords = ["医院", "卫生院", "保健院", "诊所", "卫生服务中心", "医疗中心", "医学中心", "卫生所", "门诊部", "中医院", "防治院", "疗养院"]

    public init() {}

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        var inDivision: [Bool]?  // computed on first need: most texts never hit a boundary inside a name
        var lastEnd = -1
        // The longest suffix ending at each position (医院 and 中医院 both end at 院).
        var longest: [Int: Int] = [:]
        for hit in t.dictionary[.hospitalSuffix] { longest[hit.range.upperBound] = min(longest[hit.range.upperBound] ?? .max, hit.range.lowerBound) }
        for end in longest.keys.sorted() {
            let i = end - 1
            let suffixStart = longest[end]!
            var s = suffixStart
            while s > 0, suffixStart - s < 24, CharClass.isHan(t[s - 1]) || (CharClass.isDigit(t[s - 1]) && s < suffixStart),
                  !Self.boundaryCharacters.contains(t[s - 1]) || {
                      if inDivision == nil { inDivision = Divisions.coveredPositions(in: t) }
                      return inDivision![s - 1]
                  }() {
                s -= 1
            }
            while s < suffixStart, CharClass.isDigit(t[s]) { s += 1 }
            let prefix = t.string(s..<suffixStart)
            guard prefix.unicodeScalars.count >= 2, !Self.genericPrefixes.contains(prefix), s >= lastEnd else { continue }
            // Keep growing a match (医院 inside 中医院) by replacing the previous candidate at the same start.
            if let last = candidates.last, last.kind == .hospital, last.range.lowerBound == s, last.explanation.recognizer == name {
                candidates.removeLast()
            }
            candidates.append(Candidate(
                kind: .hospital, range: s..<(i + 1), score: 0.85,
                explanation: Explanation(recognizer: name, pattern: "name + " + t.string(suffixStart..<(i + 1)))))
            lastEnd = i + 1
        }
    }
}
