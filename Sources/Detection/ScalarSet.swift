/// A set of code points with O(1) membership and no hashing: a bitmap over the Basic Multilingual
/// Plane plus a small sorted list for the rest. Used in the hot loops of every recognizer.
public struct ScalarSet: Sendable {
    private var bits: [UInt64]
    private var astral: [UInt32]

    public init(_ scalars: some Sequence<UInt32>) {
        bits = [UInt64](repeating: 0, count: 1024)
        var astral: [UInt32] = []
        for c in scalars {
            if c < 0x10000 { bits[Int(c >> 6)] |= 1 << UInt64(c & 63) } else { astral.append(c) }
        }
        self.astral = astral.sorted()
    }

    /// The folded code points of every character in `s`.
    public init(scalarsOf s: String) { self.init(s.unicodeScalars.map { ScanText.fold($0.value) }) }

    @inline(__always) public func contains(_ c: UInt32) -> Bool {
        if c < 0x10000 { return bits[Int(c >> 6)] & (1 << UInt64(c & 63)) != 0 }
        return astral.contains(c)
    }
}
