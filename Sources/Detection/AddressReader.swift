/// Structural address parsing, Chinese and US.
enum AddressReader {
    /// An address value after a label: US structure first, else the clause.
    static func value(_ t: ScanText, at p: Int) -> Range<Int>? {
        if CharClass.isDigit(t[p]) || CharClass.isUpper(t[p]), let end = usAddressEnd(t, at: p) { return p..<end }
        if CharClass.isLetter(t[p]) {
            var i = p, end = p
            while i - p < 100, !CharClass.isNewline(t[i]), t[i] != 0, !(t[i] == 0x20 && t[i + 1] == 0x20) {
                i += 1
                if t[i - 1] != 0x20 { end = i }
            }
            return end - p >= 4 ? p..<end : nil
        }
        guard let r = ValueReader.clause(t, at: p, maxLength: 60, stopAtComma: true) else { return nil }
        let value = ChineseAddressRecognizer.trimTrailingFollower(t, r)
        return wrappedContinuation(t, after: value).map { value.lowerBound..<$0 } ?? value
    }

    /// Where a labelled Chinese address wrapped onto the next printed line (`家庭住址：上海市通辽市浔阳宜都` /
    /// `路K座921133`) ends: the next line's first field, when it has no label of its own, is short, and reads like
    /// the rest of an address (a road, number, building or room).
    static func wrappedContinuation(_ t: ScanText, after value: Range<Int>) -> Int? {
        guard CharClass.isNewline(t[value.upperBound]), !CharClass.isNewline(t[value.upperBound + 1]) else { return nil }
        let start = value.upperBound + 1
        var end = start
        while end - start < 26, t[end] != 0, !CharClass.isNewline(t[end]), !(t[end] == 0x20 && t[end + 1] == 0x20) {
            if t[end] == 0xFF1A || t[end] == 0x3A || t[end] == 0x3002 { return nil }   // a label, or a sentence
            end += 1
        }
        guard end - start >= 2, end - start < 26 else { return nil }
        let addressy = (start..<end).contains { CharClass.isDigit(t[$0]) || Self.addressCharacters.contains(t[$0]) }
        return addressy ? end : nil
    }

    private static let addressCharacters: Set<UInt32> = Set("路街道号座室栋楼幢单元村弄巷组区".unicodeScalars.map(\.value))

    // MARK: US

    /// `805 Antonio Spurs, Salazarborough, OH 47844`, `490 Emma Ways Suite 312, East Matthewton VA 18743`.
    static func usAddressEnd(_ t: ScanText, at p: Int) -> Int? {
        guard let street = streetEnd(t, at: p) else { return nil }
        var end = street
        var i = street
        // Optional unit: ", Apt. 806" / " Suite 312".
        let afterComma = t[i] == 0x2C ? i + 1 : i
        if t[afterComma] == 0x20, let unit = unitEnd(t, at: afterComma + 1) {
            end = unit
            i = unit
        }
        // Optional ", City, ST 12345" / " City ST 12345".
        if let city = cityStateEnd(t, at: t[i] == 0x2C ? i + 1 : i, requireComma: false) { end = city }
        return end
    }

    /// Number + capitalised words ending with a street suffix.
    static func streetEnd(_ t: ScanText, at p: Int) -> Int? {
        guard let n = DateParser.number(in: t, at: p, maxDigits: 6), t[n.end] == 0x20, !CharClass.isAlnum(t[p - 1]) else { return nil }
        var i = n.end + 1
        var words = 0
        var lastSuffixEnd: Int?
        while words < 5, CharClass.isUpper(t[i]) || CharClass.isDigit(t[i]) {
            var j = i
            while CharClass.isAlnum(t[j]) || (t[j] == 0x27 && CharClass.isLetter(t[j + 1])) || (t[j] == 0x2D && CharClass.isAlnum(t[j + 1])) { j += 1 }
            words += 1
            if USPlaces.streetSuffixes.contains(t, i..<j) {
                lastSuffixEnd = t[j] == 0x2E ? j + 1 : j
            }
            guard t[j] == 0x20 || (t[j] == 0x2E && t[j + 1] == 0x20), words < 5 else { break }
            let next = t[j] == 0x2E ? j + 2 : j + 1
            if !(CharClass.isUpper(t[next]) || CharClass.isDigit(t[next])) { break }
            if lastSuffixEnd != nil, USPlaces.unitWords.contains(where: { t.hasPrefix($0, at: next) }) { break }
            i = next
        }
        return lastSuffixEnd
    }

    private static func unitEnd(_ t: ScanText, at p: Int) -> Int? {
        for unit in USPlaces.unitWords where t.hasPrefix(unit, at: p) {
            var i = p + unit.count
            if t[i] == 0x20 { i += 1 }
            let s = i
            while CharClass.isAlnum(t[i]) || t[i] == 0x2D { i += 1 }
            if i > s, (s..<i).contains(where: { CharClass.isDigit(t[$0]) }) { return i }
        }
        return nil
    }

    /// ` City, ST 12345` / ` City, Statename` starting at `p` (a space or the city itself).
    static func cityStateEnd(_ t: ScanText, at p: Int, requireComma: Bool) -> Int? {
        var i = p
        if t[i] == 0x20 { i += 1 }
        var words = 0
        while words < 4, CharClass.isUpper(t[i]) {
            var j = i
            while CharClass.isLetter(t[j]) || (t[j] == 0x27 && CharClass.isLetter(t[j + 1])) || t[j] == 0x2E { j += 1 }
            words += 1
            // After the city: ", " or " " then a state.
            var k = j
            let comma = t[k] == 0x2C
            if comma { k += 1 }
            if t[k] == 0x20, let state = stateEnd(t, at: k + 1, allowCredentialCodes: true), comma || !requireComma {
                return state
            }
            guard t[j] == 0x20 else { return nil }
            i = j + 1
        }
        return nil
    }

    /// A state code or name with an optional ZIP, at `p`. Codes that double as credentials need a ZIP.
    static func stateEnd(_ t: ScanText, at p: Int, allowCredentialCodes: Bool = false) -> Int? {
        var end: Int?
        var isCredentialLike = false
        if CharClass.isUpper(t[p]), CharClass.isUpper(t[p + 1]), !CharClass.isLetter(t[p + 2]) {
            if USPlaces.stateCodes.contains(t, p..<(p + 2)) {
                end = p + 2
                isCredentialLike = USPlaces.credentialLikeCodes.contains(t, p..<(p + 2))
            }
        } else if let name = USPlaces.stateNameCodes.first(where: { t.hasPrefix($0, at: p) }), !CharClass.isLetter(t[p + name.count]) {
            end = p + name.count
        }
        guard let stateEnd = end else { return nil }
        if t[stateEnd] == 0x20, let zip = DateParser.number(in: t, at: stateEnd + 1, maxDigits: 5), zip.digits == 5 {
            var e = zip.end
            if t[e] == 0x2D, let plus4 = DateParser.number(in: t, at: e + 1, maxDigits: 4), plus4.digits == 4 { e = plus4.end }
            if !CharClass.isAlnum(t[e]) { return e }
        }
        return isCredentialLike && !allowCredentialCodes ? nil : stateEnd
    }
}
