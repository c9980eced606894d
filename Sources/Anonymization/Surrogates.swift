import Core
import Crypto

/// Realistic surrogates of the same shape as the original value, drawn deterministically from
/// the project key: a Chinese name for a Chinese name, a check-digit-valid resident ID that keeps
/// nothing of the original, a phone number in the same format.
struct Surrogates {
    let key: SymmetricKey

    /// The surrogate for `value`; `attempt` > 0 draws again (used to resolve collisions).
    func surrogate(for value: String, kind: EntityKind, attempt: Int) -> String {
        var draw = KeyedDraw(key: key, seed: "\(kind.rawValue)\u{0}\(value)\u{0}\(attempt)")
        let scalars = Array(value.unicodeScalars)
        switch kind {
        case .person: return personName(scalars, &draw, attempt: attempt)
        case .idNumber: return residentID(&draw)
        case .phoneNumber: return phone(scalars, &draw)
        case .bankCard: return card(scalars, &draw)
        case .usSSN: return ssn(scalars, &draw)
        case .ipAddress: return "10.\(draw.next(256)).\(draw.next(256)).\(1 + draw.next(254))"
        case .emailAddress: return "\(draw.pick(SurrogateVocabulary.englishGiven).lowercased())\(100 + draw.next(900))@example.org"
        case .url: return "https://example.org/p/\(String(draw.next(100_000_000)))"
        case .address: return address(scalars, &draw)
        case .hospital: return hospital(scalars, &draw, attempt: attempt)
        case .age: return age(value, &draw)
        case .licensePlate: return plate(scalars, &draw)
        default: return shaped(scalars, &draw, keepLetterPrefix: true)
        }
    }

    private func isHan(_ s: Unicode.Scalar) -> Bool { (0x3400...0x9FFF).contains(s.value) }

    /// After a few draws collide (a large batch has used the plain vocabulary up), names widen:
    /// more given-name characters, or invented family names built from syllables.
    private static let widenAfter = 8

    private func personName(_ v: [Unicode.Scalar], _ draw: inout KeyedDraw, attempt: Int) -> String {
        let han = v.filter(isHan).count
        if han > 0 {
            let given = attempt > Self.widenAfter ? 2 : max(1, min(2, han - 1))
            return String(draw.pick(SurrogateVocabulary.chineseSurnames)) + String((0..<given).map { _ in draw.pick(SurrogateVocabulary.chineseGiven) })
        }
        if attempt > Self.widenAfter {
            let family = inventedFamilyName(&draw)
            let tokens = String(String.UnicodeScalarView(v)).split(separator: " ")
            return tokens.count > 1 ? draw.pick(SurrogateVocabulary.englishGiven) + " " + family : family
        }
        let tokens = String(String.UnicodeScalarView(v)).split(separator: " ")
        guard !tokens.isEmpty else { return draw.pick(SurrogateVocabulary.englishFamily) }
        return tokens.enumerated().map { index, token in
            if token.count == 2 && token.hasSuffix(".") { return String(Character(Unicode.Scalar(UInt8(65 + draw.next(26))))) + "." }
            let word = index == tokens.count - 1 && tokens.count > 1 || tokens.count == 1
                ? draw.pick(SurrogateVocabulary.englishFamily) : draw.pick(SurrogateVocabulary.englishGiven)
            return token.allSatisfy({ $0.isUppercase || !$0.isLetter }) && token.count > 1 ? word.uppercased() : word
        }.joined(separator: " ")
    }

    private func residentID(_ draw: inout KeyedDraw) -> String {
        let region = draw.pick(SurrogateVocabulary.residentRegions)
        let year = 1940 + draw.next(70), month = 1 + draw.next(12), day = 1 + draw.next(28)
        var digits = region.compactMap(\.wholeNumberValue)
        digits += String(year).compactMap(\.wholeNumberValue)
        digits += [month / 10, month % 10, day / 10, day % 10, draw.next(10), draw.next(10), draw.next(10)]
        return digits.map(String.init).joined() + String(Checksums.residentIDCheckCharacter(digits))
    }

    /// Keeps separators, the country code and the leading digit class (mobile `1`, landline `0`).
    private func phone(_ v: [Unicode.Scalar], _ draw: inout KeyedDraw) -> String {
        var out = String.UnicodeScalarView()
        var digitIndex = 0
        let text = String(String.UnicodeScalarView(v))
        let countryDigits = text.hasPrefix("+86") || text.hasPrefix("(+86") || text.hasPrefix("+８６") ? 2 : (text.hasPrefix("+1") ? 1 : 0)
        var nationalIndex = 0
        for s in v {
            guard let d = digitValue(s) else { out.append(s); continue }
            defer { digitIndex += 1 }
            if digitIndex < countryDigits { out.append(s); continue }
            defer { nationalIndex += 1 }
            let replacement: Int
            if nationalIndex == 0 && (d == 0 || d == 1) { replacement = d }
            else if nationalIndex == 1, let first = firstNationalDigit(v, countryDigits), first == 1 { replacement = 3 + draw.next(7) }
            else if nationalIndex == 0 { replacement = 2 + draw.next(8) }
            else { replacement = draw.next(10) }
            out.append(digitScalar(replacement, like: s))
        }
        return String(out)
    }

    private func firstNationalDigit(_ v: [Unicode.Scalar], _ skip: Int) -> Int? {
        v.compactMap(digitValue).dropFirst(skip).first
    }

    private func card(_ v: [Unicode.Scalar], _ draw: inout KeyedDraw) -> String {
        var digits = v.compactMap(digitValue)
        guard digits.count >= 2 else { return shaped(v, &draw, keepLetterPrefix: false) }
        for i in 1..<(digits.count - 1) { digits[i] = draw.next(10) }
        digits[digits.count - 1] = Checksums.luhnCheckDigit(Array(digits.dropLast()))
        var index = 0
        return String(String.UnicodeScalarView(v.map { s in
            guard digitValue(s) != nil else { return s }
            defer { index += 1 }
            return digitScalar(digits[index], like: s)
        }))
    }

    private func ssn(_ v: [Unicode.Scalar], _ draw: inout KeyedDraw) -> String {
        let area = 1 + draw.next(665)
        let parts = [String(area), String(1 + draw.next(99)), String(1 + draw.next(9999))]
        let padded = [pad(parts[0], 3), pad(parts[1], 2), pad(parts[2], 4)]
        let separator = v.contains("-") ? "-" : (v.contains(" ") ? " " : "")
        return padded.joined(separator: separator)
    }

    private func pad(_ s: String, _ width: Int) -> String { String(repeating: "0", count: max(0, width - s.count)) + s }

    private func address(_ v: [Unicode.Scalar], _ draw: inout KeyedDraw) -> String {
        if v.contains(where: isHan) {
            let road = String(draw.pick(SurrogateVocabulary.chineseRoadSyllables)) + String(draw.pick(SurrogateVocabulary.chineseRoadSyllables)) + "路"
            let detailed = v.contains("号")
            return draw.pick(SurrogateVocabulary.chineseCities) + draw.pick(SurrogateVocabulary.chineseDistricts)
                + (detailed ? road + "\(1 + draw.next(999))号" + draw.pick(SurrogateVocabulary.chineseCommunities) + "\(1 + draw.next(30))栋" : "")
        }
        let city = draw.pick(SurrogateVocabulary.cities), state = draw.pick(SurrogateVocabulary.states)
        guard let first = v.first, digitValue(first) != nil else { return "\(city), \(state)" }
        return "\(1 + draw.next(9999)) \(draw.pick(SurrogateVocabulary.englishFamily)) \(draw.pick(SurrogateVocabulary.streetSuffixes)), \(city), \(state) \(pad(String(draw.next(100_000)), 5))"
    }

    private func hospital(_ v: [Unicode.Scalar], _ draw: inout KeyedDraw, attempt: Int) -> String {
        let wide = attempt > Self.widenAfter
        if v.contains(where: isHan) {
            return draw.pick(SurrogateVocabulary.chineseCities) + "第\(1 + draw.next(wide ? 99 : 9))人民医院"
        }
        return "\(wide ? inventedFamilyName(&draw) : draw.pick(SurrogateVocabulary.englishFamily)) Memorial Hospital"
    }

    /// A pronounceable invented family name (`Varomel`): three syllables, about 200 000 possibilities.
    private func inventedFamilyName(_ draw: inout KeyedDraw) -> String {
        let onsets = ["B", "C", "D", "F", "G", "H", "K", "L", "M", "N", "P", "R", "S", "T", "V", "W"]
        let vowels = ["a", "e", "i", "o", "u", "ay", "ee", "oo"]
        let middles = ["b", "d", "l", "m", "n", "r", "s", "t", "v", "nd", "st", "rl"]
        let ends = ["", "n", "r", "s", "l", "ton", "son", "ley"]
        return draw.pick(onsets) + draw.pick(vowels) + draw.pick(middles) + draw.pick(vowels) + draw.pick(ends)
    }

    /// Moves the number by 1–3 years either way, keeping the unit.
    private func age(_ value: String, _ draw: inout KeyedDraw) -> String {
        let digits = value.prefix { $0.isNumber }
        guard let n = Int(String(digits.map { $0.wholeNumberValue.map(String.init) ?? "" }.joined())) else { return value }
        let delta = (1 + draw.next(3)) * (draw.next(2) == 0 ? -1 : 1)
        let shifted = max(1, n + delta == n ? n + 1 : n + delta)
        return String(shifted) + value.dropFirst(digits.count)
    }

    private func plate(_ v: [Unicode.Scalar], _ draw: inout KeyedDraw) -> String {
        guard let first = v.first, isHan(first) else { return shaped(v, &draw, keepLetterPrefix: false) }
        return String(draw.pick(SurrogateVocabulary.plateProvinces)) + shaped(Array(v.dropFirst()), &draw, keepLetterPrefix: false)
    }

    /// Digits for digits and letters for letters (same case, same width), separators kept.
    func shaped(_ v: [Unicode.Scalar], _ draw: inout KeyedDraw, keepLetterPrefix: Bool) -> String {
        var out = String.UnicodeScalarView()
        var inPrefix = keepLetterPrefix
        for s in v {
            if let _ = digitValue(s) {
                inPrefix = false
                out.append(digitScalar(draw.next(10), like: s))
            } else if s.properties.isAlphabetic && s.isASCII {
                if inPrefix { out.append(s); continue }
                let base: UInt32 = s.properties.isUppercase ? 65 : 97
                out.append(Unicode.Scalar(base + UInt32(draw.next(26)))!)
            } else {
                if s != "-" && s != " " { inPrefix = false }
                out.append(s)
            }
        }
        return String(out)
    }
}

/// ASCII or full-width digit value.
func digitValue(_ s: Unicode.Scalar) -> Int? {
    switch s.value {
    case 0x30...0x39: Int(s.value - 0x30)
    case 0xFF10...0xFF19: Int(s.value - 0xFF10)
    default: nil
    }
}

/// The digit `d` in the same width (ASCII or full-width) as `like`.
func digitScalar(_ d: Int, like: Unicode.Scalar) -> Unicode.Scalar {
    Unicode.Scalar((like.value >= 0xFF10 ? 0xFF10 : 0x30) + UInt32(d))!
}
