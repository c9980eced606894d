/// An open-addressing set of 64-bit hashes with a multiplicative probe: membership costs a few
/// instructions, where `Set<UInt64>` runs SipHash. For hot loops over precomputed word hashes.
struct HashSet64: Sendable {
    private var slots: [UInt64]
    private let mask: Int
    private static var empty: UInt64 { 0 }

    init(_ values: some Collection<UInt64>) {
        var capacity = 16
        while capacity < values.count * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: Self.empty, count: capacity)
        mask = capacity - 1
        for v in values where v != Self.empty {
            var i = Self.slot(v, mask)
            while slots[i] != Self.empty && slots[i] != v { i = (i + 1) & mask }
            slots[i] = v
        }
    }

    @inline(__always) private static func slot(_ v: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (v &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    @inline(__always) func contains(_ v: UInt64) -> Bool {
        var i = Self.slot(v, mask)
        while true {
            let s = slots[i]
            if s == v { return v != Self.empty }
            if s == Self.empty { return false }
            i = (i + 1) & mask
        }
    }
}
