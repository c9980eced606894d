public import Core

/// Digit-led identifiers classified by shape and checksum in one pass: resident IDs (GB 11643),
/// bank cards (Luhn), Chinese and US phone numbers, US SSNs and IPv4 addresses.
///
/// A run of digit groups (`156-5356-3912`, `(0531)23821904`, `+1 540 758 5497`) is read once;
/// its longest prefix of groups that has a known shape becomes a candidate.
public struct NumberRecognizer: Recognizer {
    public let name = "number-shapes"
    public let kinds: Set<EntityKind> = [.idNumber, .bankCard, .phoneNumber, .usSSN, .ipAddress]

    public init() {}

    /// Up to three separator characters packed into one value: no allocation per digit group.
    struct Separator: Hashable {
        private var packed: UInt64 = 0
        private(set) var count = 0

        init(_ chars: UInt32...) { for c in chars { append(c) } }

        mutating func append(_ c: UInt32) {
            packed |= UInt64(c & 0x1F_FFFF) << (21 * UInt64(count))
            count += 1
        }

        var isEmpty: Bool { count == 0 }

        func contains(_ c: UInt32) -> Bool {
            (0..<count).contains { (packed >> (21 * UInt64($0))) & 0x1F_FFFF == UInt64(c) }
        }
    }

    struct Group {
        var range: Range<Int>
        /// This group's digits within `Token.digits` (an `X` check character counts as 10).
        var digits: Range<Int>
        /// The separator text before this group (empty for the first unless it opens with `+`/`(`).
        var separator: Separator
        var size: Int { digits.count }
    }

    /// A run of digit groups and all their digits in one buffer.
    struct Token {
        var groups: [Group] = []
        var digits: [Int] = []

        func value(_ g: Group) -> Int { digits[g.digits].reduce(0) { $0 * 10 + $1 } }
    }

    public func recognize(in t: ScanText, into candidates: inout [Candidate]) {
        var cursor = 0
        for run in t.digitRunStarts {
            let d = Int(run)
            guard d >= cursor else { continue }
            // A number may open with "+", "(" or "(+" right before its first digit.
            var i = d
            if t[d - 1] == 0x2B { i = t[d - 2] == 0x28 ? d - 2 : d - 1 } else if t[d - 1] == 0x28 { i = d - 1 }
            if i < cursor { i = d }
            guard !CharClass.isAlnum(t[i - 1]), !(t[i - 1] == 0x2E && CharClass.isDigit(t[i - 2])) else { continue }
            // Most numbers in notes are lab values, doses and dates: measure before allocating anything.
            // Every shape needs nine or more digits (SSN 9, phones 10+, cards 16+, IDs 18) or four groups (IPv4).
            let size = measure(t, from: i)
            if size.digits < 9 && size.groups < 4 { continue }
            let token = readToken(t, from: i)
            guard !token.groups.isEmpty else { continue }
            if let candidate = classify(t, start: i, token: token) {
                candidates.append(candidate)
                cursor = candidate.range.upperBound
            } else {
                cursor = token.groups[0].range.upperBound
            }
        }
    }

    @inline(__always) private static func isSeparator(_ c: UInt32) -> Bool {
        c == 0x2D || c == 0x20 || c == 0x2E || c == 0x2F || c == 0x28 || c == 0x29
    }

    /// Digits and digit groups of the number at `start`, counted with the grammar of `readGroups`.
    private func measure(_ t: ScanText, from start: Int) -> (digits: Int, groups: Int) {
        var i = start, digits = 0, groups = 0, lead = 0
        while lead < 3, !CharClass.isDigit(t[i]), t[i] == 0x2B || t[i] == 0x28 || t[i] == 0x29 || t[i] == 0x20 {
            i += 1
            lead += 1
        }
        while groups < 8, CharClass.isDigit(t[i]) {
            while CharClass.isDigit(t[i]) { digits += 1; i += 1 }
            groups += 1
            var separators = 0
            while separators < 2, Self.isSeparator(t[i]) { separators += 1; i += 1 }
            if separators == 0 || (separators == 2 && t[i - 1] == 0x20 && t[i - 2] == 0x20) { break }
        }
        return (digits, groups)
    }

    /// Reads an optional `+`/`(+86)`/`(` prefix, then digit groups joined by short separators.
    private func readToken(_ t: ScanText, from start: Int) -> Token {
        var i = start
        var token = Token()
        var separator = Separator()
        while token.groups.count < 8 {
            if CharClass.isDigit(t[i]) {
                let s = i, first = token.digits.count
                while CharClass.isDigit(t[i]), token.digits.count - first < 24 {
                    token.digits.append(CharClass.digitValue(t[i]))
                    i += 1
                }
                if token.digits.count - first == 17, t[i] == 0x58 || t[i] == 0x78 {  // resident ID ending in X
                    token.digits.append(10)
                    i += 1
                }
                token.groups.append(Group(range: s..<i, digits: first..<token.digits.count, separator: separator))
                separator = Separator()
                let save = i
                var spaces = 0
                while separator.count < 2, Self.isSeparator(t[i]) {
                    if t[i] == 0x20 { spaces += 1 }
                    separator.append(t[i])
                    i += 1
                }
                if spaces == 2 || separator.isEmpty || !CharClass.isDigit(t[i]) {
                    i = save
                    break
                }
            } else if token.groups.isEmpty, t[i] == 0x2B || t[i] == 0x28 || t[i] == 0x29 || t[i] == 0x20, separator.count < 3 {
                separator.append(t[i])
                i += 1
            } else {
                break
            }
        }
        return token
    }

    private func classify(_ t: ScanText, start: Int, token: Token) -> Candidate? {
        let groups = token.groups
        for k in stride(from: groups.count, through: 1, by: -1) {
            // Only digit counts some shape has: IPv4 (four groups), SSN 9, phones 10–13, cards 16–19, IDs 18.
            let digits = groups[k - 1].digits.upperBound
            guard k == 4 || (9...13).contains(digits) || (16...19).contains(digits) else { continue }
            var end = groups[k - 1].range.upperBound
            // A phone may carry an extension glued on: 4029x4509, 9510x185.
            let extensionEnd = Self.extensionEnd(t, at: end)
            // The last group must end the token: no letter or further digit glued to it.
            if CharClass.isAlnum(t[end]), extensionEnd == nil { continue }
            if let kind = shape(of: groups[0..<k], token) {
                if let extensionEnd {
                    guard kind.kind == .phoneNumber else { continue }
                    end = extensionEnd
                }
                let begin = groups[0].separator.isEmpty ? groups[0].range.lowerBound : start
                return Candidate(kind: kind.kind, range: begin..<end, score: kind.score,
                                 explanation: Explanation(recognizer: name, pattern: kind.pattern, validation: kind.validation))
            }
        }
        return nil
    }

    /// The end of an `x123` extension right after a number (x or X, one to six digits, nothing alphanumeric after).
    private static func extensionEnd(_ t: ScanText, at index: Int) -> Int? {
        guard t[index] == 0x78 || t[index] == 0x58, CharClass.isDigit(t[index + 1]) else { return nil }
        var end = index + 1
        while CharClass.isDigit(t[end]), end - index <= 6 { end += 1 }
        return CharClass.isAlnum(t[end]) ? nil : end
    }

    struct Shape {
        var kind: EntityKind
        var score: Double
        var pattern: String
        var validation: String?
    }

    private static let dot = Separator(0x2E), dash = Separator(0x2D), space = Separator(0x20), open = Separator(0x28)
    private static let phoneSeparators: [Separator] = [dash, space, dot, Separator(0x29), Separator(0x29, 0x20), Separator(0x29, 0x2D)]

    private func shape(of groups: ArraySlice<Group>, _ token: Token) -> Shape? {
        let digits = token.digits[0..<groups.last!.digits.upperBound]
        let lead = groups.first!.separator
        let seps = groups.dropFirst().map { $0.separator }
        let sizes = groups.map { $0.size }

        if groups.count == 4, lead.isEmpty, seps.allSatisfy({ $0 == Self.dot }), sizes.allSatisfy({ $0 <= 3 }),
           groups.allSatisfy({ token.value($0) <= 255 }) {
            return Shape(kind: .ipAddress, score: 0.9, pattern: "IPv4 dotted quad", validation: "octets 0-255")
        }
        if groups.count == 1, lead.isEmpty, digits.count == 18 {
            let chars = digits.map { $0 == 10 ? UInt32(0x58) : UInt32(0x30 + $0) }
            if ResidentIDValidator.validate(chars) == .valid {
                return Shape(kind: .idNumber, score: 0.95, pattern: "18-character resident ID", validation: "GB 11643: valid")
            }
        }
        if digits.contains(10) { return nil }
        if groups.count == 3, lead.isEmpty, sizes == [3, 2, 4], seps.allSatisfy({ $0 == Self.dash }) {
            let g = Array(groups)
            let area = token.value(g[0])
            let valid = area != 0 && area != 666 && area < 900 && token.value(g[1]) != 0 && token.value(g[2]) != 0
            return Shape(kind: .usSSN, score: valid ? 0.85 : 0.4, pattern: "ddd-dd-dddd", validation: valid ? "SSA ranges: valid" : "SSA ranges: invalid")
        }
        if let phone = phoneShape(groups, digits: Array(digits), seps: seps, lead: lead) { return phone }
        if lead.isEmpty, (16...19).contains(digits.count), (3...6).contains(digits.first!),
           groups.count == 1 || (seps.allSatisfy { $0 == Self.space || $0 == Self.dash } && sizes.dropLast().allSatisfy { $0 == 4 }) {
            if LuhnValidator.isValid(Array(digits)) {
                return Shape(kind: .bankCard, score: 0.8, pattern: "\(digits.count)-digit card number", validation: "Luhn: valid")
            }
        }
        return nil
    }

    /// How a phone number was dialled: its explanations are written once per prefix, not per finding.
    private enum Prefix: Int {
        case none, china, northAmerica, trunkOne, international
        static let texts = ["", "+86 ", "+1 ", "1 ", "001 "]
    }
    private static let mobilePatterns = Prefix.texts.map { "\($0)CN mobile 1[3-9]xxxxxxxxx" }
    private static let nanpPatterns = Prefix.texts.map { "\($0)NANP (ddd) ddd-dddd" }

    private func phoneShape(_ groups: ArraySlice<Group>, digits: [Int], seps: [Separator], lead: Separator) -> Shape? {
        guard seps.allSatisfy({ Self.phoneSeparators.contains($0) }) else { return nil }
        let plusLead = lead.contains(0x2B)
        let sizes = groups.map { $0.size }
        var national = digits
        var country = Prefix.none
        if plusLead || lead == Self.open {
            if digits.starts(with: [8, 6]), digits.count >= 12 { national = Array(digits.dropFirst(2)); country = .china }
            else if digits.first == 1, digits.count == 11 { national = Array(digits.dropFirst()); country = .northAmerica }
        } else if digits.count == 11, digits.first == 1, groups.count >= 3, sizes[0] == 1 {
            national = Array(digits.dropFirst())  // 1-592-378-3938
            country = .trunkOne
        } else if digits.count == 13, digits.starts(with: [0, 0, 1]), groups.count >= 4, sizes[0] == 3 {
            national = Array(digits.dropFirst(3))  // 001-963-449-4029: dialled from abroad
            country = .international
        }
        // Chinese mobile: 1[3-9] + 9 digits, split 3-4-4 or unsplit.
        if national.count == 11, national[0] == 1, national[1] >= 3 {
            if groups.count == 1 || sizes.suffix(3) == [3, 4, 4] || (country != .none && groups.count <= 2) {
                return Shape(kind: .phoneNumber, score: 0.85, pattern: Self.mobilePatterns[country.rawValue])
            }
        }
        // Chinese landline: 0 + area code, 10-12 digits.
        if national.first == 0, (10...12).contains(national.count), country == .none || country == .china {
            let parenthesised = lead == Self.open || seps.first == Separator(0x29)
            if groups.count >= 2 || national.count >= 11 || parenthesised {
                return Shape(kind: .phoneNumber, score: groups.count >= 2 || parenthesised ? 0.8 : 0.6, pattern: "CN landline 0 + area code")
            }
        }
        // North American numbers: (ddd) ddd-dddd, ddd-ddd-dddd, ddd.ddd.dddd, +1 ddd ddd dddd.
        if national.count == 10, national[0] >= 2, groups.count >= 3 || lead == Self.open, sizes.suffix(3) == [3, 3, 4] {
            return Shape(kind: .phoneNumber, score: 0.8, pattern: Self.nanpPatterns[country.rawValue])
        }
        return nil
    }
}
