public import Core

/// Chinese addresses by structure: a chain of administrative divisions (GB/T 2260: 省, 市, 区, 县),
/// then optionally a road with a number (`解放中路536号`) and the building part
/// (`东方明珠小区17栋4单元1903室`). A road with a number alone also counts.
public struct ChineseAddressRecognizer: Recognizer {
    public let name = "cn-address"
    public let kinds: Set<EntityKind> = [.address]

    static let roadSuffixes: ScalarSet = ScalarSet(scalarsOf: "路街道巷弄里村")
    static let buildingEnds: ScalarSet = ScalarSet(scalarsOf: "号室栋幢楼层座元户")
    static let stopWords: [[UInt32]] = ["电话", "联系", "手机", "邮编", "邮箱", "医院", "患者", "就诊", "入院"].map { [UInt32](literal: $0) }

    public init() {}

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        var longestAt: [Int: Int] = [:]  // division start → end
        for hit in t.dictionary[.division] {
            longestAt[hit.range.lowerBound] = max(longestAt[hit.range.lowerBound] ?? 0, hit.range.upperBound)
        }
        var consumedUntil = 0
        for start in longestAt.keys.sorted() where start >= consumedUntil {
            var end = longestAt[start]!
            var count = 1
            while let next = longestAt[end], next > end {
                end = next
                count += 1
            }
            if let street = Self.streetEnd(t, from: end) {
                end = street
                count += 2
            }
            consumedUntil = end
            guard count >= 2 else { continue }
            candidates.append(Candidate(
                kind: .address, range: start..<end, score: count >= 3 ? 0.85 : 0.75,
                explanation: Explanation(recognizer: name, pattern: count >= 3 ? "divisions + road + number" : "division chain")))
        }
        recognizeBareRoads(t, after: longestAt, into: &candidates)
    }

    /// Roads with a number and no division in front: `解放中路536号…`.
    private func recognizeBareRoads(_ t: ScanText, after divisions: [Int: Int], into candidates: inout [Candidate]) {
        var i = 0
        while i < t.count {
            guard t.chars[i] == 0x53F7 /* 号 */, CharClass.isDigit(t[i - 1]) else { i += 1; continue }
            var d = i - 1
            while CharClass.isDigit(t[d - 1]) { d -= 1 }
            guard Self.roadSuffixes.contains(t[d - 1]) || t.hasPrefix([UInt32](literal: "大道"), at: d - 2) else { i += 1; continue }
            var s = d - 1
            while s > 0, CharClass.isHan(t[s - 1]), d - s < 8, !"在于住址：:是为到至往从".unicodeScalars.contains(where: { $0.value == t[s - 1] }) { s -= 1 }
            guard d - s >= 3, let end = Self.streetEnd(t, from: s) else { i += 1; continue }
            candidates.append(Candidate(
                kind: .address, range: s..<end, score: 0.7,
                explanation: Explanation(recognizer: name, pattern: "road + number")))
            i = end
        }
    }

    /// The end of `road + number + 号 [+ building]` starting at `p`, or nil.
    static func streetEnd(_ t: ScanText, from p: Int) -> Int? {
        var i = p
        var sawRoadNumber = false
        var end = p
        while i - p < 45 {
            let c = t[i]
            if stopWords.contains(where: { t.hasPrefix($0, at: i) }) { break }
            if CharClass.isDigit(c) {
                var j = i
                while CharClass.isDigit(t[j]) { j += 1 }
                if t[j] == 0x53F7 /* 号 */ && !sawRoadNumber {
                    guard i > p, roadSuffixes.contains(t[i - 1]) || t[i - 1] == 0x9053 || t[i - 1] == 0x6BB5 else { return nil }
                    sawRoadNumber = true
                    end = j + 1
                    i = j + 1
                    continue
                }
                guard sawRoadNumber else { if i == p { return nil }; i = j; continue }
                end = j
                if buildingEnds.contains(t[j]) { end = j + 1; i = j + 1; continue }
                if t[j] == 0x5355, t[j + 1] == 0x5143 { end = j + 2; i = j + 2; continue }  // 单元
                i = j
                continue
            }
            guard CharClass.isHan(c) || (CharClass.isUpper(c) && sawRoadNumber) || (c == 0x2D && sawRoadNumber) else { break }
            if sawRoadNumber && buildingEnds.contains(c) && i > p && CharClass.isDigit(t[i - 1]) { end = i + 1 }
            i += 1
        }
        return sawRoadNumber ? end : nil
    }

    /// Drops a trailing word that starts what follows an address (`…室联系电话`).
    static func trimTrailingFollower(_ t: ScanText, _ r: Range<Int>) -> Range<Int> {
        for i in r where stopWords.contains(where: { t.hasPrefix($0, at: i) }) && i > r.lowerBound + 2 {
            return r.lowerBound..<i
        }
        return r
    }
}
