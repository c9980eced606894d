/// Readers for the values that follow a field label. Each returns the value's range, or nil
/// when the text at that position does not have the expected shape.
enum ValueReader {
    /// Letters and digits with single inner `-`, `/` or space (a spaced group must hold a digit).
    static func identifier(_ t: ScanText, at p: Int, maxLength: Int = 32) -> Range<Int>? {
        var i = p, end = p, hasDigit = false
        while i - p < maxLength {
            let c = t[i]
            if CharClass.isAlnum(c) {
                if CharClass.isDigit(c) { hasDigit = true }
                i += 1
                end = i
            } else if (c == 0x2D || c == 0x2F || c == 0x2E) && end == i && i > p && CharClass.isAlnum(t[i + 1]) {
                i += 1
            } else if c == 0x20 && end == i && i > p && groupHasDigit(t, at: i + 1) {
                i += 1
            } else {
                break
            }
        }
        guard hasDigit, end - p >= 4 else { return nil }
        return p..<end
    }

    private static func groupHasDigit(_ t: ScanText, at p: Int) -> Bool {
        var i = p
        while CharClass.isAlnum(t[i]) {
            if CharClass.isDigit(t[i]) { return true }
            i += 1
        }
        return false
    }

    /// A phone number: optional `+`/`(`, digits with single separators, 7–15 digits.
    static func phone(_ t: ScanText, at p: Int) -> Range<Int>? {
        var i = p, end = p, digits = 0
        if t[i] == 0x2B || t[i] == 0x28 { i += 1 }
        if t[i] == 0x2B { i += 1 }
        while true {
            let c = t[i]
            if CharClass.isDigit(c) {
                digits += 1
                i += 1
                end = i
            } else if (c == 0x2D || c == 0x20 || c == 0x2E || c == 0x29 || c == 0x28), i > p,
                      CharClass.isDigit(t[i + 1]) || (c == 0x29 && t[i + 1] == 0x20 && CharClass.isDigit(t[i + 2])) {
                i += 1
            } else {
                break
            }
            if digits > 15 { return nil }
        }
        guard digits >= 7, !CharClass.isLetter(t[end]) else { return nil }
        return p..<end
    }

    /// Card numbers: 12–19 digits, optionally in groups separated by one space or dash.
    static func cardNumber(_ t: ScanText, at p: Int) -> (range: Range<Int>, digits: [Int])? {
        var i = p, end = p
        var digits: [Int] = []
        while digits.count <= 19 {
            if CharClass.isDigit(t[i]) {
                digits.append(CharClass.digitValue(t[i]))
                i += 1
                end = i
            } else if (t[i] == 0x20 || t[i] == 0x2D), end == i, CharClass.isDigit(t[i + 1]) {
                i += 1
            } else {
                break
            }
        }
        guard (12...19).contains(digits.count), !CharClass.isAlnum(t[end]) else { return nil }
        return (p..<end, digits)
    }

    /// A resident ID after its label: 18 characters (17 digits and a digit or X) or the 15 digits of a first-
    /// generation card, tolerating single stray spaces — or, as OCR and typing leave them, 14 to 19 characters
    /// (a digit dropped, doubled or moved to the next line), which the caller scores as damaged.
    static func residentID(_ t: ScanText, at p: Int) -> (range: Range<Int>, chars: [UInt32])? {
        var i = p, end = p
        var chars: [UInt32] = []
        while chars.count < 19 {
            let c = t[i]
            if CharClass.isDigit(c) || (chars.count >= 13 && (c == 0x58 || c == 0x78)) {
                chars.append(c)
                i += 1
                end = i
                if c == 0x58 || c == 0x78 { break }
            } else if c == 0x20, end == i, i > p, CharClass.isDigit(t[i + 1]) {
                i += 1
            } else {
                break
            }
        }
        guard (14...19).contains(chars.count), !CharClass.isAlnum(t[end]) else { return nil }
        return (p..<end, chars)
    }

    /// A US social security number: `ddd-dd-dddd` or nine digits.
    static func ssn(_ t: ScanText, at p: Int) -> Range<Int>? {
        var i = p, digits = 0
        while digits < 9 {
            if CharClass.isDigit(t[i]) {
                digits += 1
                i += 1
            } else if (t[i] == 0x2D || t[i] == 0x20) && (digits == 3 || digits == 5) && CharClass.isDigit(t[i + 1]) {
                i += 1
            } else {
                break
            }
        }
        guard digits == 9, !CharClass.isAlnum(t[i]) else { return nil }
        return p..<i
    }

    /// An age value: a number up to 150 with an optional unit (`岁`, `y`, `yo`, `years`).
    static func age(_ t: ScanText, at p: Int) -> Range<Int>? {
        guard let n = DateParser.number(in: t, at: p, maxDigits: 3), n.value <= 150, !CharClass.isDigit(t[n.end]) else {
            return nil
        }
        if let unit = AgePattern.unitEnd(t, at: n.end) { return p..<unit }
        guard t[n.end] != 0x2E || !CharClass.isDigit(t[n.end + 1]), !CharClass.isLetter(t[n.end]) else { return nil }
        return p..<n.end
    }

    /// A free-text value up to the end of its clause (for addresses and facility names).
    static func clause(_ t: ScanText, at p: Int, maxLength: Int = 80, stopAtComma: Bool) -> Range<Int>? {
        var i = p, end = p
        while i - p < maxLength {
            let c = t[i]
            if c == 0 || CharClass.isNewline(c) { break }
            if c == 0xFF0C || c == 0x3002 || c == 0xFF1B || c == 0x3B || c == 0xFF08 || c == 0x28 || c == 0x7C { break }
            if stopAtComma && c == 0x2C { break }
            if c == 0x20 && t[i + 1] == 0x20 { break }
            i += 1
            if c != 0x20 { end = i }
        }
        return end - p >= 3 ? p..<end : nil
    }
}
