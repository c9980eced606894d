/// A set of words checked against spans of a `ScanText` without building strings: each word is
/// stored as a 64-bit FNV-1a hash of its folded code points.
public struct WordSet: Sendable {
    private let hashes: HashSet64
    private let caseInsensitive: Bool

    public init(_ words: some Sequence<String>, caseInsensitive: Bool = false) {
        self.caseInsensitive = caseInsensitive
        hashes = HashSet64(words.map { word in
            Self.hash(word.unicodeScalars.lazy.map { ScanText.fold($0.value) }, caseInsensitive: caseInsensitive)
        })
    }

    @inline(__always) static func hash(_ scalars: some Sequence<UInt32>, caseInsensitive: Bool) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for c in scalars {
            h = (h ^ UInt64(caseInsensitive ? CharClass.lowercased(c) : c)) &* 0x0000_0100_0000_01B3
        }
        return h
    }

    /// The hash of `chars[range]`, written as an index loop so it never goes through a generic iterator.
    @inline(__always) static func hash(_ chars: [UInt32], _ range: Range<Int>, caseInsensitive: Bool) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        var i = range.lowerBound
        while i < range.upperBound {
            let c = chars[i]
            h = (h ^ UInt64(caseInsensitive ? CharClass.lowercased(c) : c)) &* 0x0000_0100_0000_01B3
            i += 1
        }
        return h
    }

    public func contains(_ t: ScanText, _ range: Range<Int>) -> Bool {
        guard range.lowerBound >= 0, range.upperBound <= t.count else { return false }
        return hashes.contains(Self.hash(t.chars, range, caseInsensitive: caseInsensitive))
    }

    public func contains(_ word: String) -> Bool {
        hashes.contains(Self.hash(word.unicodeScalars.lazy.map { ScanText.fold($0.value) }, caseInsensitive: caseInsensitive))
    }
}
