public import Core

/// Chinese vehicle plates: a province abbreviation, a letter, an optional `·` or space, then
/// five (or six, new-energy) letters and digits: `湘A12345`, `粤B·D12345`, `渝S D17072`.
public struct LicensePlateRecognizer: Recognizer {
    public let name = "cn-license-plate"
    public let kinds: Set<EntityKind> = [.licensePlate]

    static let provinces: ScalarSet = ScalarSet(scalarsOf: "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼使领")

    public init() {}

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        for i in 0..<t.count where Self.provinces.contains(t.chars[i]) {
            if let end = Self.plateEnd(t, at: i) {
                candidates.append(Candidate(
                    kind: .licensePlate, range: i..<end, score: 0.85,
                    explanation: Explanation(recognizer: name, pattern: "province + letter + 5-6 alphanumerics")))
            }
        }
    }

    /// The end of a Chinese plate starting at `i`, or nil.
    static func plateEnd(_ t: ScanText, at i: Int) -> Int? {
        guard provinces.contains(t[i]), CharClass.isUpper(t[i + 1]) else { return nil }
        var j = i + 2
        if t[j] == 0xB7 || t[j] == 0x20 || t[j] == 0x2D { j += 1 }
        let s = j
        var digits = 0
        while CharClass.isUpper(t[j]) || CharClass.isDigit(t[j]) {
            if CharClass.isDigit(t[j]) { digits += 1 }
            j += 1
        }
        guard (5...6).contains(j - s), digits >= 2, !CharClass.isAlnum(t[j]) else { return nil }
        return j
    }

    /// A US-style plate after a "plate" label: 5–8 letters and digits with an optional dash or space.
    static func usPlateEnd(_ t: ScanText, at i: Int) -> Int? {
        var j = i, letters = 0, digits = 0
        while CharClass.isUpper(t[j]) || CharClass.isDigit(t[j])
            || ((t[j] == 0x2D || t[j] == 0x20) && j > i && (CharClass.isUpper(t[j + 1]) || CharClass.isDigit(t[j + 1])) && letters + digits <= 4) {
            if CharClass.isDigit(t[j]) { digits += 1 } else if CharClass.isUpper(t[j]) { letters += 1 }
            j += 1
            if j - i > 9 { return nil }
        }
        guard (5...8).contains(letters + digits), digits >= 1, !CharClass.isAlnum(t[j]) else { return nil }
        return j
    }
}
