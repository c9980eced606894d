/// Reads dates in the forms clinical text uses: `2024-10-5`, `2019年11月13日`, `2023年10月`,
/// `03/04/2019`, `29-May-2016`, `Nov 7 2020`, `August 14, 1970`, `May 2019`.
/// Every form is validated (real month and day, year 1900…2100).
enum DateParser {
    struct Match {
        var end: Int
        var score: Double
        var pattern: String
    }

    static let monthNames: [(name: [UInt32], month: Int)] = {
        let names = [
            ("january", 1), ("february", 2), ("march", 3), ("april", 4), ("may", 5), ("june", 6), ("july", 7),
            ("august", 8), ("september", 9), ("october", 10), ("november", 11), ("december", 12),
            ("sept", 9), ("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7), ("aug", 8),
            ("sep", 9), ("oct", 10), ("nov", 11), ("dec", 12),
        ]
        return names.map { ([UInt32](literal: $0.0), $0.1) }
    }()

    private static let monthInitials = ScalarSet(scalarsOf: "jfmasond")

    /// A month name starting at `i` (whole word, any case): its month and end.
    static func monthName(in text: ScanText, at i: Int) -> (month: Int, end: Int)? {
        guard CharClass.isLetter(text[i]), !CharClass.isLetter(text[i - 1]),
              monthInitials.contains(CharClass.lowercased(text[i])) else { return nil }
        var end = i
        while CharClass.isLetter(text[end]), end - i < 10 { end += 1 }
        guard (3...9).contains(end - i), let month = monthByHash[WordSet.hash(text.chars, i..<end, caseInsensitive: true)] else { return nil }
        if text[end] == 0x2E { end += 1 }  // "Sept."
        return (month, end)
    }

    /// Month names and abbreviations by the case-insensitive hash of the word.
    private static let monthByHash: [UInt64: Int] = Dictionary(uniqueKeysWithValues: monthNames.map {
        (WordSet.hash($0.name, caseInsensitive: true), $0.month)
    })

    /// Reads an unsigned number of 1…`maxDigits` digits at `i`.
    static func number(in text: ScanText, at i: Int, maxDigits: Int) -> (value: Int, digits: Int, end: Int)? {
        var j = i, value = 0
        while CharClass.isDigit(text[j]), j - i < maxDigits + 1 {
            value = value * 10 + CharClass.digitValue(text[j])
            j += 1
        }
        let digits = j - i
        guard digits >= 1, digits <= maxDigits else { return nil }
        return (value, digits, j)
    }

    static func skipSpaces(_ text: ScanText, _ i: Int, max: Int = 2) -> Int {
        var j = i
        while CharClass.isSpace(text[j]), j - i < max { j += 1 }
        return j
    }

    /// A date starting at `i`, or nil. `compact` also accepts `20240115` (for labelled values).
    static func parse(_ text: ScanText, at i: Int, compact: Bool = false) -> Match? {
        if CharClass.isDigit(text[i]) {
            return numericOrChinese(text, at: i, compact: compact) ?? dayMonthNameYear(text, at: i)
        }
        if CharClass.isLetter(text[i]) { return monthNameFirst(text, at: i) }
        return nil
    }

    private static func numericOrChinese(_ text: ScanText, at i: Int, compact: Bool) -> Match? {
        guard let first = number(in: text, at: i, maxDigits: 8) else { return nil }
        if compact, first.digits == 8 {
            let y = first.value / 10000, m = first.value / 100 % 100, d = first.value % 100
            if DateValidator.isPlausible(year: y, month: m, day: d) { return Match(end: first.end, score: 0.8, pattern: "yyyymmdd") }
            return nil
        }
        guard first.digits <= 4 else { return nil }
        var j = skipSpaces(text, first.end, max: 1)
        let sep = text[j]
        // 10月5日: month and day without a year (still a date about the patient).
        if sep == 0x6708 /* 月 */, first.digits <= 2, (1...12).contains(first.value) {
            let k = skipSpaces(text, j + 1, max: 1)
            if let day = number(in: text, at: k, maxDigits: 2), (1...DateValidator.daysIn(month: first.value, year: 2000)).contains(day.value) {
                let e = skipSpaces(text, day.end, max: 1)
                if text[e] == 0x65E5 || text[e] == 0x53F7 { return Match(end: e + 1, score: 0.7, pattern: "m月d日") }
            }
            return nil
        }
        // 2024年10月5日 / 2023年10月
        if sep == 0x5E74 /* 年 */, first.digits == 4 {
            j = skipSpaces(text, j + 1, max: 1)
            guard let month = number(in: text, at: j, maxDigits: 2), (1...12).contains(month.value) else { return nil }
            var k = skipSpaces(text, month.end, max: 1)
            guard text[k] == 0x6708 /* 月 */ else { return nil }
            let monthEnd = k + 1
            k = skipSpaces(text, monthEnd, max: 1)
            if let day = number(in: text, at: k, maxDigits: 2) {
                let e = skipSpaces(text, day.end, max: 1)
                if text[e] == 0x65E5 || text[e] == 0x53F7, /* 日 号 */
                   DateValidator.isPlausible(year: first.value, month: month.value, day: day.value) {
                    return Match(end: e + 1, score: 0.9, pattern: "yyyy年m月d日")
                }
            }
            guard (1900...2100).contains(first.value) else { return nil }
            return Match(end: monthEnd, score: 0.75, pattern: "yyyy年m月")
        }
        guard sep == 0x2D || sep == 0x2F || sep == 0x2E, j == first.end else { return nil }  // - / .
        guard let second = number(in: text, at: j + 1, maxDigits: 4) else { return nil }
        if text[second.end] == sep, let third = number(in: text, at: second.end + 1, maxDigits: 4),
           !CharClass.isAlnum(text[third.end]), !(text[third.end] == sep && CharClass.isDigit(text[third.end + 1])) {
            if first.digits == 4, second.digits <= 2, third.digits <= 2,
               DateValidator.isPlausible(year: first.value, month: second.value, day: third.value) {
                return Match(end: third.end, score: 0.9, pattern: "yyyy-m-d")
            }
            if third.digits == 4, first.digits <= 2, second.digits <= 2 {
                if DateValidator.isPlausible(year: third.value, month: first.value, day: second.value)
                    || DateValidator.isPlausible(year: third.value, month: second.value, day: first.value) {
                    return Match(end: third.end, score: 0.9, pattern: "m/d/yyyy")
                }
            }
            return nil
        }
        let endsHere = !CharClass.isAlnum(text[second.end]) && text[second.end] != sep
            && !(text[second.end] == 0x2E && CharClass.isDigit(text[second.end + 1]))
        guard endsHere else { return nil }
        // 2022.10 / 2016-01 / 2023.9: year and month only; weak alone, context words decide.
        if first.digits == 4, second.digits <= 2, (1...12).contains(second.value), (1900...2100).contains(first.value) {
            return Match(end: second.end, score: second.digits == 2 ? 0.55 : 0.45, pattern: "yyyy-mm")
        }
        // 9/2016: month and year.
        if sep == 0x2F, first.digits <= 2, (1...12).contains(first.value), second.digits == 4, (1900...2100).contains(second.value) {
            return Match(end: second.end, score: 0.45, pattern: "m/yyyy")
        }
        return nil
    }

    /// `29-May-2016`, `29 Sep 1935`, `20-SEP-2020`.
    private static func dayMonthNameYear(_ text: ScanText, at i: Int) -> Match? {
        guard let day = number(in: text, at: i, maxDigits: 2), (1...31).contains(day.value) else { return nil }
        var j = day.end
        guard text[j] == 0x2D || text[j] == 0x20 || text[j] == 0x2F else { return nil }
        j += 1
        guard let month = monthName(in: text, at: j) else { return nil }
        j = month.end
        guard text[j] == 0x2D || text[j] == 0x20 || text[j] == 0x2F || text[j] == 0x2C else { return nil }
        j += 1
        if text[j] == 0x20 { j += 1 }
        guard let year = number(in: text, at: j, maxDigits: 4), year.digits == 4,
              DateValidator.isPlausible(year: year.value, month: month.month, day: day.value),
              !CharClass.isAlnum(text[year.end]) else { return nil }
        return Match(end: year.end, score: 0.9, pattern: "d-Mon-yyyy")
    }

    /// `Nov 7 2020`, `August 14, 1970`, `May 2019`.
    private static func monthNameFirst(_ text: ScanText, at i: Int) -> Match? {
        guard let month = monthName(in: text, at: i) else { return nil }
        var j = month.end
        guard text[j] == 0x20 || text[j] == 0x2D else { return nil }
        j += 1
        guard let n = number(in: text, at: j, maxDigits: 4) else { return nil }
        if n.digits == 4 {
            guard (1900...2100).contains(n.value), !CharClass.isAlnum(text[n.end]) else { return nil }
            return Match(end: n.end, score: 0.75, pattern: "Mon yyyy")
        }
        guard n.digits <= 2, (1...31).contains(n.value) else { return nil }
        var k = n.end
        if text[k] == 0x2C { k += 1 }  // ,
        if text[k] == 0x20 || text[k] == 0x2D { k += 1 } else if text[k - 1] != 0x2C { return nil }
        guard let year = number(in: text, at: k, maxDigits: 4), year.digits == 4,
              DateValidator.isPlausible(year: year.value, month: month.month, day: n.value),
              !CharClass.isAlnum(text[year.end]) else { return nil }
        return Match(end: year.end, score: 0.9, pattern: "Mon d, yyyy")
    }
}
