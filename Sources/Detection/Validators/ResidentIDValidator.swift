import Core

/// GB 11643-1999 resident identity numbers: 6-digit region code, 8-digit birth date,
/// 3-digit sequence and a MOD 11-2 check character (`0-9` or `X`).
public enum ResidentIDValidator {
    public enum Outcome: String, Sendable {
        case valid = "valid"
        case badLength = "bad length"
        case badCheckDigit = "bad check digit"
        case badBirthDate = "bad birth date"
        case unknownProvince = "unknown province"
    }

    /// The two-digit province codes of GB/T 2260 (incl. Hong Kong, Macau, Taiwan).
    static let provinceCodes: Set<Int> = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
    ]

    /// Validates 18 folded code points (digits, last may be `X` or `x`), or a 15-digit first-generation
    /// number (1984–2004 format: region, `yyMMdd` birth date, sequence; no check digit).
    public static func validate(_ c: some Collection<UInt32>) -> Outcome { validate(Array(c)) }

    public static func validate(_ chars: [UInt32]) -> Outcome {
        if chars.count == 15 {
            guard chars.allSatisfy(CharClass.isDigit) else { return .badLength }
            let d = chars.map(CharClass.digitValue)
            guard provinceCodes.contains(d[0] * 10 + d[1]) else { return .unknownProvince }
            let year = 1900 + d[6] * 10 + d[7], month = d[8] * 10 + d[9], day = d[10] * 10 + d[11]
            return DateValidator.isPlausible(year: year, month: month, day: day) ? .valid : .badBirthDate
        }
        guard chars.count == 18 else { return .badLength }
        for i in 0..<17 where !CharClass.isDigit(chars[i]) { return .badLength }
        let last = CharClass.isLower(chars[17]) ? chars[17] - 32 : chars[17]
        guard CharClass.isDigit(last) || last == 0x58 else { return .badLength }
        let digits = chars[0..<17].map { CharClass.digitValue($0) }
        guard provinceCodes.contains(digits[0] * 10 + digits[1]) else { return .unknownProvince }
        let year = digits[6] * 1000 + digits[7] * 100 + digits[8] * 10 + digits[9]
        let month = digits[10] * 10 + digits[11]
        let day = digits[12] * 10 + digits[13]
        guard DateValidator.isPlausible(year: year, month: month, day: day, earliestYear: 1880) else {
            return .badBirthDate
        }
        return Checksums.residentIDCheckScalar(digits) == last ? .valid : .badCheckDigit
    }
}

/// The Luhn (mod 10) checksum used by payment cards.
public enum LuhnValidator {
    public static func isValid(_ digits: [Int]) -> Bool {
        digits.count >= 12 && Checksums.luhnRemainder(digits) == 0
    }
}

/// Calendar sanity for dates found in text.
public enum DateValidator {
    /// Whether the date exists (leap years included) and the year is in a clinical range.
    public static func isPlausible(year: Int, month: Int, day: Int, earliestYear: Int = 1900, latestYear: Int = 2100) -> Bool {
        guard year >= earliestYear, year <= latestYear, month >= 1, month <= 12, day >= 1 else { return false }
        return day <= daysIn(month: month, year: year)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
