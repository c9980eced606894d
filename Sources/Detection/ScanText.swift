/// Text prepared for recognition: one folded code point per input code point, so every index
/// here is also a code-point offset into the caller's string.
///
/// Folding maps full-width ASCII (`０-９`, `Ａ-Ｚ`, `：`) to ASCII, the ideographic and no-break spaces
/// to a space, and the middle-dot variants to `·`. Recognizers never see the unfolded text.
public struct ScanText: Sendable {
    /// Folded code points.
    public let chars: [UInt32]
    /// Every dictionary word in the text, found once for all recognizers.
    public private(set) var dictionary: DictionaryScan!
    /// Where runs of digits start (a digit not preceded by a digit), in order.
    public let digitRunStarts: [Int32]
    /// Where Latin words start (a letter, accented ones included, not preceded by a letter), in order.
    public let wordStarts: [Int32]

    /// - Complexity: O(n) in the number of code points.
    public init(_ string: String) {
        var string = string
        var index = StartIndex(capacity: 0)
        // Decode the UTF-8 storage directly (far cheaper than iterating `unicodeScalars`), and index
        // number and word starts in the same pass.
        let chars = string.withUTF8 { utf8 -> [UInt32] in
            [UInt32](unsafeUninitializedCapacity: utf8.count) { buffer, count in
                var local = StartIndex(capacity: utf8.count)  // a local, not the captured box: it stays in registers
                var i = 0, n = 0
                while i < utf8.count {
                    let b0 = UInt32(utf8[i])
                    var c: UInt32
                    if b0 < 0x80 {
                        c = b0
                        i += 1
                    } else if b0 < 0xE0 {
                        c = (b0 & 0x1F) << 6 | UInt32(utf8[i + 1] & 0x3F)
                        i += 2
                    } else if b0 < 0xF0 {
                        c = (b0 & 0x0F) << 12 | UInt32(utf8[i + 1] & 0x3F) << 6 | UInt32(utf8[i + 2] & 0x3F)
                        i += 3
                    } else {
                        c = (b0 & 0x07) << 18 | UInt32(utf8[i + 1] & 0x3F) << 12 | UInt32(utf8[i + 2] & 0x3F) << 6 | UInt32(utf8[i + 3] & 0x3F)
                        i += 4
                    }
                    c = b0 < 0x80 ? c : Self.fold(c)  // no ASCII code point folds
                    buffer[n] = c
                    local.add(c, at: n)
                    n += 1
                }
                count = n
                index = local
            }
        }
        self.init(chars: chars, index: index)
    }

    init(chars: [UInt32]) {
        var index = StartIndex(capacity: chars.count)
        chars.withUnsafeBufferPointer { buffer in
            for i in 0..<buffer.count { index.add(buffer[i], at: i) }
        }
        self.init(chars: chars, index: index)
    }

    private init(chars: [UInt32], index: StartIndex) {
        self.chars = chars
        digitRunStarts = index.digits
        wordStarts = index.words
        dictionary = DictionaryScan(self)
    }

    /// Where numbers and words start, so shape recognizers visit only those.
    private struct StartIndex {
        var digits: [Int32] = [], words: [Int32] = []
        var previousDigit = false, previousLetter = false

        init(capacity: Int) {
            digits.reserveCapacity(capacity / 8 + 8)
            words.reserveCapacity(capacity / 4 + 8)
        }

        @inline(__always) mutating func add(_ c: UInt32, at i: Int) {
            let digit = c &- 0x30 < 10
            let letter = !digit && CharClass.isNameLetter(c)
            if digit && !previousDigit { digits.append(Int32(i)) }
            if letter && !previousLetter { words.append(Int32(i)) }
            previousDigit = digit
            previousLetter = letter
        }
    }

    public var count: Int { chars.count }

    @inline(__always) public subscript(_ i: Int) -> UInt32 { i >= 0 && i < chars.count ? chars[i] : 0 }

    /// The folded text in `range` as a `String` (for dictionary look-ups and explanations only).
    public func string(_ range: Range<Int>) -> String {
        var s = String.UnicodeScalarView()
        for i in range where i >= 0 && i < chars.count {
            if let scalar = Unicode.Scalar(chars[i]) { s.append(scalar) }
        }
        return String(s)
    }

    /// Whether the folded text at `i` starts with `literal` (ASCII case-insensitive).
    public func hasPrefix(_ literal: [UInt32], at i: Int, caseInsensitive: Bool = false) -> Bool {
        guard i >= 0, i + literal.count <= chars.count else { return false }
        for (k, c) in literal.enumerated() {
            let t = chars[i + k]
            if t == c { continue }
            if caseInsensitive, CharClass.lowercased(t) == CharClass.lowercased(c) { continue }
            return false
        }
        return true
    }

    static func fold(_ v: UInt32) -> UInt32 {
        switch v {
        case 0xFF01...0xFF5E: return v - 0xFEE0
        case 0x3000, 0x00A0, 0x2002, 0x2003, 0x2009: return 0x20
        case 0x30FB, 0x2022, 0xFF65, 0x2027, 0x2219: return 0xB7
        case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xFE63: return 0x2D
        default: return v
        }
    }
}

/// Character classes over folded code points.
public enum CharClass {
    @inline(__always) public static func isDigit(_ c: UInt32) -> Bool { c &- 0x30 < 10 }
    @inline(__always) public static func isUpper(_ c: UInt32) -> Bool { c &- 0x41 < 26 }
    @inline(__always) public static func isLower(_ c: UInt32) -> Bool { c &- 0x61 < 26 }
    @inline(__always) public static func isLetter(_ c: UInt32) -> Bool { isUpper(c) || isLower(c) }
    @inline(__always) public static func isAlnum(_ c: UInt32) -> Bool { isDigit(c) || isLetter(c) }
    @inline(__always) public static func isHan(_ c: UInt32) -> Bool {
        (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2FFFF)
    }
    /// Horizontal white space (newlines excluded).
    @inline(__always) public static func isSpace(_ c: UInt32) -> Bool { c == 0x20 || c == 0x09 }
    @inline(__always) public static func isNewline(_ c: UInt32) -> Bool { c == 0x0A || c == 0x0D }
    @inline(__always) public static func isWhitespace(_ c: UInt32) -> Bool { isSpace(c) || isNewline(c) }
    @inline(__always) public static func lowercased(_ c: UInt32) -> UInt32 { isUpper(c) ? c + 32 : c }
    /// The colon after a field label, ASCII or full width — or a semicolon, which OCR reads it as (`审核者;王帅`).
    @inline(__always) public static func isFieldColon(_ c: UInt32) -> Bool { c == 0x3A || c == 0xFF1A || c == 0x3B || c == 0xFF1B }
    /// Latin letters including accented ones (`é`, `ñ`, `Á`): names such as `José Núñez` are common in notes.
    @inline(__always) public static func isNameLetter(_ c: UInt32) -> Bool {
        if c < 0x80 { return isLetter(c) }
        return c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7
    }
    /// An upper-case Latin letter, accented ones included (`Á`, `É`, `Ø`).
    @inline(__always) public static func isNameUpper(_ c: UInt32) -> Bool {
        if c < 0x80 { return isUpper(c) }
        guard isNameLetter(c), let scalar = Unicode.Scalar(c) else { return false }
        return scalar.properties.isUppercase
    }
    /// Apostrophes that join name parts (`O'Brien`, `O’Brien`) and the hyphen (`Rivera-Harris`).
    @inline(__always) public static func isNameJoiner(_ c: UInt32) -> Bool { c == 0x27 || c == 0x2019 || c == 0x2D }
    @inline(__always) public static func digitValue(_ c: UInt32) -> Int { Int(c) - 0x30 }
}

extension Array where Element == UInt32 {
    /// The code points of an ASCII or CJK literal.
    init(literal: String) { self = literal.unicodeScalars.map { ScanText.fold($0.value) } }
}
