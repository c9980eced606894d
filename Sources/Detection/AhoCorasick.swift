/// An Aho–Corasick automaton over code points: finds every dictionary word in one pass.
///
/// Transitions live in one open-addressing table keyed by (state, code point) with a
/// multiplicative hash, and the failure function is folded into a complete `step` lookup at the
/// root, so matching costs about one probe per code point.
///
/// - Complexity: building is O(total pattern length); matching is O(n + matches).
public struct AhoCorasick<Payload: Sendable>: Sendable {
    private var keys: [UInt64]
    private var targets: [Int32]
    private var mask: Int
    private var failure: [Int32]
    /// Patterns ending at each node (own and inherited through failure links): (length, payload).
    private var outputs: [[(length: Int, payload: Payload)]]
    /// Whether any pattern ends at each node (checked per code point without touching `outputs`).
    private var hasOutput: [Bool]
    /// Code points that start no pattern and occur in none: from the root they stay at the root.
    private let alphabet: ScalarSet

    private static var emptyKey: UInt64 { UInt64.max }

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
        var queue = trie[0].values.map(Int.init)
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
                queue.append(Int(child))
            }
        }
        let edges = trie.reduce(0) { $0 + $1.count }
        var capacity = 16
        while capacity < edges * 2 { capacity <<= 1 }
        keys = [UInt64](repeating: Self.emptyKey, count: capacity)
        targets = [Int32](repeating: 0, count: capacity)
        mask = capacity - 1
        self.failure = failure
        self.outputs = outputs
        hasOutput = outputs.map { !$0.isEmpty }
        alphabet = ScalarSet(patterns.flatMap(\.0))
        for (node, edges) in trie.enumerated() {
            for (c, child) in edges { insert(state: node, c, child) }
        }
    }

    @inline(__always) private static func key(_ state: Int, _ c: UInt32) -> UInt64 { UInt64(state) << 32 | UInt64(c) }

    @inline(__always) private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask }

    private mutating func insert(state: Int, _ c: UInt32, _ child: Int32) {
        let k = Self.key(state, c)
        var i = slot(k)
        while keys[i] != Self.emptyKey { i = (i + 1) & mask }
        keys[i] = k
        targets[i] = child
    }

    @inline(__always) private func transition(_ state: Int, _ c: UInt32) -> Int? {
        let k = Self.key(state, c)
        var i = slot(k)
        while true {
            let stored = keys[i]
            if stored == k { return Int(targets[i]) }
            if stored == Self.emptyKey { return nil }
            i = (i + 1) & mask
        }
    }

    /// Advances the automaton by one code point.
    @inline(__always) public func step(_ state: Int, _ c: UInt32) -> Int {
        guard alphabet.contains(c) else { return 0 }
        var s = state
        while true {
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
    /// With `wordStartsOnly`, a Latin letter inside a word is not fed while no match is in progress:
    /// every Latin word must start at a word boundary anyway, so most of an English text is skipped.
    /// - Complexity: O(n + matches); the hottest loop in detection, written over raw buffers.
    public func forEachMatch(in chars: [UInt32], wordStartsOnly: Bool, _ body: (Int, Int, Payload) -> Void) {
        // Original positions of the last code points fed (a ring of 64 is longer than any pattern).
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 64) { ring in
            chars.withUnsafeBufferPointer { text in
                keys.withUnsafeBufferPointer { keys in
                    targets.withUnsafeBufferPointer { targets in
                        failure.withUnsafeBufferPointer { failure in
                            hasOutput.withUnsafeBufferPointer { hasOutput in
                                var fed = 0, state = 0
                                var previous: UInt32 = 0
                                for i in 0..<text.count {
                                    let raw = text[i]
                                    let before = previous
                                    previous = raw
                                    if raw == 0x20 || raw == 0x09 { continue }
                                    if wordStartsOnly, state == 0, CharClass.isLetter(raw), CharClass.isLetter(before) { continue }
                                    let c = CharClass.lowercased(raw)
                                    ring[fed & 63] = i
                                    fed += 1
                                    guard alphabet.contains(c) else { state = 0; continue }
                                    var s = state
                                    while true {
                                        let key = UInt64(s) << 32 | UInt64(c)
                                        var slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
                                        var next = -1
                                        while true {
                                            let stored = keys[slot]
                                            if stored == key { next = Int(targets[slot]); break }
                                            if stored == UInt64.max { break }
                                            slot = (slot + 1) & mask
                                        }
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
