/// Administrative divisions shared by the address and hospital recognizers.
enum Divisions {
    /// Names of three or more characters (two-character names such as 城区 are too ambiguous), plus provinces.
    static let names: [String] = AdministrativeDivisions.entries.filter { $0.unicodeScalars.count >= 3 || $0.hasSuffix("省") }

    /// Every name ends in one of these characters, so matching starts from them (no automaton needed).
    static let lastCharacters = ScalarSet(names.compactMap { $0.unicodeScalars.last.map { ScanText.fold($0.value) } })
    static let longest = names.map { $0.unicodeScalars.count }.max() ?? 0
    /// FNV-1a hashes of the names read backwards, so a backward scan can extend one hash.
    static let reversedHashes = HashSet64(names.map { name in
        WordSet.hash(name.unicodeScalars.reversed().map { ScanText.fold($0.value) }, caseInsensitive: false)
    })
    /// Hashes of every backward prefix of a name: the scan stops as soon as no name can continue.
    static let reversedPrefixHashes = HashSet64(names.flatMap { name in
        let reversed = name.unicodeScalars.reversed().map { ScanText.fold($0.value) }
        return (1...reversed.count).map { WordSet.hash(reversed.prefix($0), caseInsensitive: false) }
    })

    /// Every division name in `t`, in order of its end.
    /// - Complexity: O(n + k · longest) for k occurrences of a final character (县, 区, 市, …).
    static func matches(in t: ScanText) -> [DictionaryScan.Hit] {
        var hits: [DictionaryScan.Hit] = []
        // Statics hoisted out of the loop: each access to a static costs a once-check and a retain.
        let last = lastCharacters, prefixes = reversedPrefixHashes, full = reversedHashes, longest = longest
        for end in 0..<t.count where last.contains(t.chars[end]) {
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            var start = end
            while start >= 0, end - start < longest, CharClass.isHan(t.chars[start]) {
                h = (h ^ UInt64(t.chars[start])) &* 0x0000_0100_0000_01B3
                guard prefixes.contains(h) else { break }
                if end - start >= 1, full.contains(h) {
                    hits.append(DictionaryScan.Hit(range: start..<(end + 1), index: 0))
                }
                start -= 1
            }
        }
        return hits.sorted { $0.range.upperBound != $1.range.upperBound ? $0.range.upperBound < $1.range.upperBound : $0.range.lowerBound > $1.range.lowerBound }
    }

    /// Positions covered by any division name (`和` in `和平区`).
    static func coveredPositions(in t: ScanText) -> [Bool] {
        var covered = [Bool](repeating: false, count: t.count + 1)
        for hit in t.dictionary[.division] { for k in hit.range { covered[k] = true } }
        return covered
    }
}
