/// An Aho–Corasick automaton over code points: finds every dictionary word in one pass.
///
/// Transitions live in one open-addressing table keyed by (state, code point) with a
/// multiplicative hash, and the failure function is folded into a complete `step` lookup at the
/// root, so matching costs about one probe per code point. Each slot packs its key and target
/// into one word, so a probe touches one cache line, not two.
///
/// - Complexity: building is O(total pattern length); matching is O(n + matches).
public struct AhoCorasick<Payload: Sendable>: Sendable {
    /// Slots: code point (bits 0–20), state (21–41), target state (42–63); all ones when empty.
    private var slots: [UInt64]
    private var mask: Int
    private var failure: [Int32]
    /// The length of the pattern prefix each state stands for.
    private var depth: [Int32]
    /// Patterns ending at each node (own and inherited through failure links): (length, payload).
    private var outputs: [[(length: Int, payload: Payload)]]
    /// Whether any pattern ends at each node (checked per code point without touching `outputs`).
    private var hasOutput: [Bool]
    /// Code points that occur in no pattern: from any state they lead back to the root.
    private let alphabet: ScalarSet
    /// Code points that start a pattern: from the root, any other stays at the root without a probe.
    private let starters: ScalarSet

    private static var empty: UInt64 { UInt64.max }
    private static var keyBits: UInt64 { (1 << 42) - 1 }
    /// States are numbered in 21 bits (the empty slot's all-ones state is never used).
    private static var maxStates: Int { (1 << 21) - 1 }

    /// - Parameter patterns: pairs of a pattern (already normalised by the caller) and its payload.
    public init(_ patterns: [([UInt32], Payload)]) {
        // Build the trie with temporary dictionaries, then flatten.
        var trie: [[UInt32: Int32]] = [[:]]
        var outputs: [[(length: Int, payload: Payload)]] = [[]]
        for (pattern, payload) in patterns where !pattern.isEmpty {
            var node = 0
            for c in pattern {
                if let next = trie[node][c] {
                    node = Int(next)
                } else {
                    trie.append([:])
                    outputs.append([])
                    trie[node][c] = Int32(trie.count - 1)
                    node = trie.count - 1
                }
            }
            outputs[node].append((pattern.count, payload))
        }
        var failure = [Int32](repeating: 0, count: trie.count)
        var depth = [Int32](repeating: 0, count: trie.count)
        var queue = trie[0].values.map(Int.init)
        for node in queue { depth[node] = 1 }
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for (c, child) in trie[node] {
                var f = Int(failure[node])
                while f != 0 && trie[f][c] == nil { f = Int(failure[f]) }
                let target = trie[f][c].map(Int.init) ?? 0
                failure[Int(child)] = Int32(target == Int(child) ? 0 : target)
                outputs[Int(child)] += outputs[Int(failure[Int(child)])]
                depth[Int(child)] = depth[node] + 1
                queue.append(Int(child))
            }
        }
        precondition(trie.count < Self.maxStates, "dictionary too large for the automaton")
        let edges = trie.reduce(0) { $0 + $1.count }
        var capacity = 16
        while capacity < edges * 2 { capacity <<= 1 }
        slots = [UInt64](repeating: Self.empty, count: capacity)
        mask = capacity - 1
        self.failure = failure
        self.depth = depth
        self.outputs = outputs
        hasOutput = outputs.map { !$0.isEmpty }
        alphabet = ScalarSet(patterns.flatMap(\.0))
        starters = ScalarSet(patterns.compactMap(\.0.first))
        for (node, edges) in trie.enumerated() {
            for (c, child) in edges { insert(state: node, c, child) }
        }
    }

    @inline(__always) private static func key(_ state: Int, _ c: UInt32) -> UInt64 { UInt64(state) << 21 | UInt64(c) }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    private mutating func insert(state: Int, _ c: UInt32, _ child: Int32) {
        let k = Self.key(state, c)
        var i = Self.slot(k, mask)
        while slots[i] != Self.empty { i = (i + 1) & mask }
        slots[i] = UInt64(child) << 42 | k
    }

    /// The target of the transition keyed `key` in `slots`, or -1.
    @inline(__always) private static func target(_ key: UInt64, in slots: UnsafeBufferPointer<UInt64>, mask: Int) -> Int {
        var i = slot(key, mask)
        while true {
            let stored = slots[i]
            if stored & keyBits == key { return Int(truncatingIfNeeded: stored >> 42) }
            if stored == empty { return -1 }
            i = (i + 1) & mask
        }
    }

    @inline(__always) private func transition(_ state: Int, _ c: UInt32) -> Int? {
        let next = slots.withUnsafeBufferPointer { Self.target(Self.key(state, c), in: $0, mask: mask) }
        return next >= 0 ? next : nil
    }

    /// Advances the automaton by one code point.
    @inline(__always) public func step(_ state: Int, _ c: UInt32) -> Int {
        guard alphabet.contains(c) else { return 0 }
        var s = state
        while true {
            if s == 0 && !starters.contains(c) { return 0 }
            if let next = transition(s, c) { return next }
            if s == 0 { return 0 }
            s = Int(failure[s])
        }
    }

    /// The patterns ending at `state`.
    @inline(__always) public func matches(at state: Int) -> [(length: Int, payload: Payload)] { outputs[state] }

    /// Whether any pattern ends at `state`.
    @inline(__always) public func hasMatch(at state: Int) -> Bool { hasOutput[state] }
}

extension AhoCorasick {
    /// Runs the automaton over `chars` with spaces and tabs skipped and ASCII lower-cased, calling
    /// `body(start, end, payload)` for every match in original positions, in order of the match's end.
    ///
    /// With `wordStartsOnly`, no match begins at a Latin letter inside a word: such a letter is not
    /// fed while no match is in progress, and a failure link to a prefix that would begin at one is
    /// passed over. Every Latin word must start at a word boundary anyway, so once a word stops
    /// matching, the rest of it is skipped: most of an English text is never looked up.
    /// - Complexity: O(n + matches); the hottest loop in detection, written over raw buffers.
    public func forEachMatch(in chars: [UInt32], wordStartsOnly: Bool, _ body: (Int, Int, Payload) -> Void) {
        // Original positions of the last code points fed (a ring of 64 is longer than any pattern).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 64) { ring in
            chars.withUnsafeBufferPointer { text in
                slots.withUnsafeBufferPointer { slots in
                    failure.withUnsafeBufferPointer { failure in
                        depth.withUnsafeBufferPointer { depth in
                            hasOutput.withUnsafeBufferPointer { hasOutput in
                                var fed = 0, state = 0
                                var previous: UInt32 = 0
                                for i in 0..<text.count {
                                    let raw = text[i]
                                    let before = previous
                                    previous = raw
                                    if raw == 0x20 || raw == 0x09 { continue }
                                    let insideWord = wordStartsOnly && CharClass.isLetter(raw) && CharClass.isLetter(before)
                                    if insideWord, state == 0 { continue }
                                    let c = CharClass.lowercased(raw)
                                    ring[fed & 63] = i
                                    fed += 1
                                    guard alphabet.contains(c) else { state = 0; continue }
                                    var s = state
                                    while true {
                                        if s == 0 {
                                            if insideWord || !starters.contains(c) { state = 0; break }
                                        } else if s != state, wordStartsOnly {
                                            // A failure state: the prefix it stands for starts at fed index fed - 1 - depth.
                                            let start = ring[(fed - 1 - Int(depth[s])) & 63]
                                            if start > 0, CharClass.isLetter(text[start]), CharClass.isLetter(text[start - 1]) {
                                                s = Int(failure[s])
                                                continue
                                            }
                                        }
                                        let next = Self.target(Self.key(s, c), in: slots, mask: mask)
                                        if next >= 0 { state = next; break }
                                        if s == 0 { state = 0; break }
                                        s = Int(failure[s])
                                    }
                                    guard hasOutput[state] else { continue }
                                    for m in outputs[state] where m.length <= 64 {
                                        body(ring[(fed - m.length) & 63], i + 1, m.payload)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
