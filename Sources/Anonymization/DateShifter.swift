import Foundation

/// Shifts a date by whole days and writes it back in its own format: `2024-10-5`,
/// `2019年11月13日`, `03/04/2019`, `29-May-2016`, `Nov 7 2020`, `May 2019`, full-width digits.
/// Month-only dates (`2023年10月`) shift by the nearest whole number of months (at least one).
struct DateShifter {
    private enum Part { case year, month, day, monthName }

    private struct Token {
        var range: Range<Int>
        var text: String
        var isDigits: Bool
    }

    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                             "october", "november", "december"]

    /// The shifted date, or nil when `value` is not a date this shifter can read.
    static func shift(_ value: String, byDays days: Int) -> String? {
        let scalars = Array(value.unicodeScalars)
        let tokens = tokenize(scalars)
        guard let layout = interpret(tokens, scalars) else { return nil }
        var components = DateComponents()
        components.year = layout.year
        components.month = layout.month
        components.day = layout.day ?? 15
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: components),
              calendar.component(.day, from: date) == components.day,
              let shifted = layout.day == nil
                ? calendar.date(byAdding: .month, value: monthShift(forDays: days), to: date)
                : calendar.date(byAdding: .day, value: days, to: date) else { return nil }
        let y = calendar.component(.year, from: shifted), m = calendar.component(.month, from: shifted), d = calendar.component(.day, from: shifted)
        var out = scalars
        for (token, part) in layout.parts.sorted(by: { $0.0.range.lowerBound > $1.0.range.lowerBound }) {
            let replacement: String
            switch part {
            case .year: replacement = String(y)
            case .month: replacement = pad(m, like: token.text)
            case .day: replacement = pad(d, like: token.text)
            case .monthName: replacement = monthName(m, like: token.text)
            }
            let fullWidth = token.text.unicodeScalars.first.map { $0.value >= 0xFF10 && $0.value <= 0xFF19 } ?? false
            let rendered = fullWidth ? replacement.unicodeScalars.map { Unicode.Scalar($0.value - 0x30 + 0xFF10)! } : Array(replacement.unicodeScalars)
            out.replaceSubrange(token.range, with: rendered)
        }
        return String(String.UnicodeScalarView(out))
    }

    /// The year of a date this shifter can read.
    static func year(of value: String) -> Int? {
        let scalars = Array(value.unicodeScalars)
        return interpret(tokenize(scalars), scalars)?.year
    }

    /// Month-precision dates move by whole months (never zero), so they change like full dates do.
    static func monthShift(forDays days: Int) -> Int {
        let months = Int((Double(days) / 30.44).rounded())
        return months != 0 ? months : (days < 0 ? -1 : 1)
    }

    private static func tokenize(_ s: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        var i = 0
        while i < s.count {
            let isDigit = digitValue(s[i]) != nil
            let isLetter = s[i].isASCII && s[i].properties.isAlphabetic
            guard isDigit || isLetter else { i += 1; continue }
            let start = i
            while i < s.count, isDigit ? digitValue(s[i]) != nil : (s[i].isASCII && s[i].properties.isAlphabetic) { i += 1 }
            tokens.append(Token(range: start..<i, text: String(String.UnicodeScalarView(s[start..<i])), isDigits: isDigit))
        }
        return tokens
    }

    private struct Layout {
        var year: Int
        var month: Int
        var day: Int?
        var parts: [(Token, Part)]
    }

    private static func number(_ t: Token) -> Int {
        t.text.unicodeScalars.reduce(0) { $0 * 10 + (digitValue($1) ?? 0) }
    }

    private static func interpret(_ tokens: [Token], _ s: [Unicode.Scalar]) -> Layout? {
        let numbers = tokens.filter(\.isDigits)
        let words = tokens.filter { !$0.isDigits }
        if let word = words.first, words.count == 1,
           let month = monthNames.firstIndex(where: { $0.hasPrefix(word.text.lowercased()) && word.text.count >= 3 }) {
            guard let yearToken = numbers.first(where: { $0.text.count == 4 }) else { return nil }
            var parts: [(Token, Part)] = [(word, .monthName), (yearToken, .year)]
            let dayToken = numbers.first { $0.text.count <= 2 }
            if let dayToken { parts.append((dayToken, .day)) }
            return Layout(year: number(yearToken), month: month + 1, day: dayToken.map(number), parts: parts)
        }
        guard words.isEmpty, (2...3).contains(numbers.count) else { return nil }
        let a = numbers[0], b = numbers[1]
        if numbers.count == 3 {
            let c = numbers[2]
            if a.text.count == 4 { return Layout(year: number(a), month: number(b), day: number(c), parts: [(a, .year), (b, .month), (c, .day)]) }
            guard c.text.count == 4 else { return nil }
            if number(a) > 12 { return Layout(year: number(c), month: number(b), day: number(a), parts: [(a, .day), (b, .month), (c, .year)]) }
            return Layout(year: number(c), month: number(a), day: number(b), parts: [(a, .month), (b, .day), (c, .year)])
        }
        if a.text.count == 4 { return Layout(year: number(a), month: number(b), day: nil, parts: [(a, .year), (b, .month)]) }
        if b.text.count == 4 { return Layout(year: number(b), month: number(a), day: nil, parts: [(a, .month), (b, .year)]) }
        return nil
    }

    private static func pad(_ n: Int, like original: String) -> String {
        n < 10 && original.unicodeScalars.count == 2 ? "0\(n)" : String(n)
    }

    /// The month in the original's style: abbreviated or full, and its capitalisation.
    private static func monthName(_ m: Int, like original: String) -> String {
        let full = monthNames[m - 1]
        let name = original.count > 4 ? full : String(full.prefix(3))
        if original == original.uppercased() { return name.uppercased() }
        if original.first?.isUppercase == true { return name.prefix(1).uppercased() + name.dropFirst() }
        return name
    }
}
