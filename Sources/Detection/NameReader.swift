/// Reads person names at a known position: Chinese names by surname and given-name structure,
/// English names as runs of capitalised tokens.
enum NameReader {
    enum Evidence {
        /// After a field label with a separator (`姓名：`): any 2–4 Han characters are a name.
        case labelled
        /// In running text after a trigger (`患者`, `家属`): a known, unambiguous surname is required.
        case freeText
    }

    /// A Chinese name starting at `p`.
    static func chinese(_ t: ScanText, at p: Int, evidence: Evidence) -> Range<Int>? {
        guard CharClass.isHan(t[p]) else { return nil }
        var end = p
        var hasDot = false
        while CharClass.isHan(t[end]) || (t[end] == 0xB7 && CharClass.isHan(t[end + 1]) && end > p) {
            if t[end] == 0xB7 { hasDot = true }
            end += 1
            if end - p > 14 { return nil }
        }
        let length = end - p
        // A run that ends in a field separator is the next field's label (`姓名  性别：女` once the name is
        // gone), not a name.
        if evidence == .labelled, CharClass.isFieldColon(t[end]) || endsLikeFieldName(t, end: end, start: p) { return nil }
        if hasDot { return length >= 3 ? p..<end : nil }
        if evidence == .labelled, (2...3).contains(length) { return p..<end }
        if evidence == .labelled, length == 4 {
            if ChineseNames.surnameLength(t, at: p) == 2 { return p..<end }
            return ChineseNames.startsFollower(t, at: p + 3) ? p..<(p + 3) : p..<end
        }
        return structured(t, at: p, allowAmbiguousSurname: evidence == .labelled)
    }

    /// Field names end in words no given name does: `记录日期`, `联系电话`, `标本编号`.
    private static let fieldNameEndings: [[UInt32]] = ["日期", "时间", "号码", "编号", "电话", "地址", "科室", "类型", "结果", "诊断", "名称"]
        .map { $0.unicodeScalars.map(\.value) }

    private static func endsLikeFieldName(_ t: ScanText, end: Int, start: Int) -> Bool {
        fieldNameEndings.contains { ending in
            end - start >= ending.count && ending.indices.allSatisfy { t[end - ending.count + $0] == ending[$0] }
        }
    }

    /// Surname + one or two given-name characters, the length decided by what follows.
    static func structured(_ t: ScanText, at p: Int, allowAmbiguousSurname: Bool) -> Range<Int>? {
        guard let s = ChineseNames.surnameLength(t, at: p) else { return nil }
        if s == 1, !allowAmbiguousSurname, ChineseNames.ambiguousSurnames.contains(t[p]) {
            // 相桂珍联系电话: an ambiguous surname is a name only when a full name is closed off clearly.
            let closed = CharClass.isHan(t[p + 1]) && CharClass.isHan(t[p + 2]) && ChineseNames.givenNameCharacters.contains(t[p + 2])
                && (ChineseNames.startsFollower(t, at: p + 3) || !CharClass.isHan(t[p + 3]))
            guard closed else { return nil }
            return p..<(p + 3)
        }
        let g1 = p + s
        guard CharClass.isHan(t[g1]), !ChineseNames.startsFollower(t, at: g1),
              !ChineseNames.commonWords.contains(UInt64(t[p]) << 32 | UInt64(t[p + 1])) else { return nil }
        let g2 = g1 + 1
        let after = t[g2 + 1]
        // `邹怡行，男`: a follower-like character still ends a name that a gender or bracket closes.
        let closedByGender = (after == 0xFF0C || after == 0x2C) && (t[g2 + 2] == 0x7537 || t[g2 + 2] == 0x5973)
        if CharClass.isHan(t[g2]), closedByGender || after == 0xFF08 || after == 0x28 {
            return p..<(g2 + 1)
        }
        if CharClass.isHan(t[g2]), !ChineseNames.startsFollower(t, at: g2),
           ChineseNames.givenNameCharacters.contains(t[g2]) || !CharClass.isHan(after)
            || ChineseNames.startsFollower(t, at: g2 + 1) || startsTitle(t, at: g2 + 1) {
            return p..<(g2 + 1)
        }
        return p..<g2
    }

    /// A transliterated minority or foreign name joined by `·` around position `dot`
    /// (`阿依古丽·买买提`, `热依拉·吐尔逊`): 2–5 Han characters on each side, bounded by triggers,
    /// titles, punctuation or what usually follows a name.
    static func dotted(_ t: ScanText, dot: Int, leftStops: (Int) -> Bool) -> Range<Int>? {
        guard t[dot] == 0xB7, CharClass.isHan(t[dot - 1]), CharClass.isHan(t[dot + 1]) else { return nil }
        var start = dot
        while start > 0, dot - start < 5, CharClass.isHan(t[start - 1]), !leftStops(start - 1) { start -= 1 }
        guard dot - start >= 2 else { return nil }
        var end = dot + 1
        while true {
            var j = end
            while CharClass.isHan(t[j]), j - end < 5, !(j > end && (ChineseNames.startsFollower(t, at: j) || startsTitle(t, at: j))) { j += 1 }
            guard j - end >= 1 else { return nil }
            end = j
            guard t[end] == 0xB7, CharClass.isHan(t[end + 1]) else { break }
            end += 1
        }
        return start..<end
    }

    static func startsTitle(_ t: ScanText, at i: Int) -> Bool {
        ChineseNames.titles.contains { t.hasPrefix($0, at: i) }
    }

    /// Lower-case particles inside names: `Jacobo N. de la Garza`, `Ludwig van Beethoven`.
    static let particles = WordSet(["de", "la", "del", "van", "von", "der", "den", "di", "da", "dos", "das", "le", "du", "bin", "al", "ter", "y"])

    /// An English name starting at `p`: capitalised words (accented letters included), middle
    /// initials, hyphens, apostrophes and lower-case particles.
    static func english(_ t: ScanText, at p: Int, maxTokens: Int = 4, allowSingle: Bool) -> Range<Int>? {
        var tokens: [Range<Int>] = []
        var i = p
        guard !CharClass.isNameLetter(t[p - 1]) else { return nil }
        while tokens.count < maxTokens + 2 {
            if !CharClass.isNameUpper(t[i]) {
                // A particle must sit between capitalised tokens.
                var j = i
                while CharClass.isLower(t[j]) { j += 1 }
                guard !tokens.isEmpty, j > i, t[j] == 0x20, CharClass.isNameUpper(t[j + 1]) || CharClass.isLower(t[j + 1]),
                      particles.contains(t, i..<j) else { break }
                i = j + 1
                continue
            }
            var j = i + 1
            while CharClass.isNameLetter(t[j]) || (CharClass.isNameJoiner(t[j]) && CharClass.isNameLetter(t[j + 1])) { j += 1 }
            var end = j
            if j == i + 1 {
                guard t[j] == 0x2E else { break }  // a middle initial "L."
                end = j + 1
            } else {
                var hasLower = false
                for k in (i + 1)..<j where !CharClass.isNameUpper(t[k]) && CharClass.isNameLetter(t[k]) { hasLower = true; break }
                guard hasLower else { break }
                if EnglishNames.nonNameWords.contains(t, i..<j) { break }
            }
            tokens.append(i..<end)
            guard t[end] == 0x20, CharClass.isNameUpper(t[end + 1]) || CharClass.isLower(t[end + 1]) else { break }
            i = end + 1
        }
        while let last = tokens.last, last.count == 2, t[last.upperBound - 1] == 0x2E { tokens.removeLast() }
        guard let first = tokens.first, let last = tokens.last else { return nil }
        if tokens.count == 1 && !allowSingle { return nil }
        if isEponym(t, after: last.upperBound) { return nil }
        return first.lowerBound..<last.upperBound
    }

    /// `Parkinson's disease`, `Murphy sign`, `Graves' disease`.
    static func isEponym(_ t: ScanText, after end: Int) -> Bool {
        var i = end
        if t[i] == 0x27 || t[i] == 0x2019 {
            i += 1
            if t[i] == 0x73 { i += 1 }  // 's
        }
        if t[i] == 0x2D && CharClass.isUpper(t[i + 1]) { return true }  // Guillain-Barre
        guard t[i] == 0x20 else { return false }
        i += 1
        var j = i
        while CharClass.isLetter(t[j]) { j += 1 }
        guard j > i else { return false }
        return EnglishNames.eponymHeads.contains(t, i..<j)
    }

    /// The capitalised token ending at `end` (exclusive), for backward scans.
    static func englishToken(_ t: ScanText, endingAt end: Int) -> Range<Int>? {
        var i = end
        while i > 0, CharClass.isNameLetter(t[i - 1]) || (CharClass.isNameJoiner(t[i - 1]) && CharClass.isNameLetter(t[i - 2])) { i -= 1 }
        guard i < end, CharClass.isNameUpper(t[i]) else { return nil }
        return i..<end
    }

    /// A romanised name in brackets right after a Chinese name: `王华（Fang Huang）`, `扈宁（MO Ming）`.
    static func romanisedInBrackets(_ t: ScanText, at p: Int) -> Range<Int>? {
        var open = p - 1
        if CharClass.isSpace(t[open]) { open -= 1 }
        guard t[open] == 0xFF08 || t[open] == 0x28, CharClass.isHan(t[open - 1]) else { return nil }
        var i = p, end = p, tokens = 0
        while tokens < 3, CharClass.isNameUpper(t[i]) {
            var j = i + 1
            while CharClass.isNameLetter(t[j]) || (CharClass.isNameJoiner(t[j]) && CharClass.isNameLetter(t[j + 1])) { j += 1 }
            tokens += 1
            end = j
            guard t[j] == 0x20, CharClass.isNameUpper(t[j + 1]) else { break }
            i = j + 1
        }
        var close = end
        if CharClass.isSpace(t[close]) { close += 1 }
        guard tokens >= 1, end - p >= 3, t[close] == 0xFF09 || t[close] == 0x29 else { return nil }
        // Lab abbreviations in brackets (CRP, LDL-C) are all capitals; romanised names are not.
        guard (p..<end).contains(where: { CharClass.isNameLetter(t[$0]) && !CharClass.isNameUpper(t[$0]) }) else { return nil }
        return p..<end
    }
}
