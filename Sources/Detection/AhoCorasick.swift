/// An Aho–Corasick automaton over code points: finds every dictionary word in one pass.
///
/// - Complexity: building is O(total pattern length); matching is O(n + matches).
public struct AhoCorasick<Payload: Sendable>: Sendable {
    private var transitions: [[UInt32: Int32]] = [[:]]
    private var failure: [Int32] = [0]
    /// Patterns ending at each node (own and inherited through failure links): (length, payload).
    private var outputs: [[(length: Int, payload: Payload)]] = [[]]

    /// - Parameter patterns: pairs of a pattern (already normalised by the caller) and its payload.
    public init(_ patterns: [([UInt32], Payload)]) {
        for (pattern, payload) in patterns where !pattern.isEmpty {
            var node = 0
            for c in pattern {
                if let next = transitions[node][c] {
                    node = Int(next)
                } else {
                    transitions.append([:])
                    failure.append(0)
                    outputs.append([])
                    let next = Int32(transitions.count - 1)
                    transitions[node][c] = next
                    node = Int(next)
                }
            }
            outputs[node].append((pattern.count, payload))
        }
        buildFailureLinks()
    }

    private mutating func buildFailureLinks() {
        var queue = [Int]()
        for (_, child) in transitions[0] { queue.append(Int(child)) }
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            for (c, child) in transitions[node] {
                var f = Int(failure[node])
                while f != 0 && transitions[f][c] == nil { f = Int(failure[f]) }
                let target = transitions[f][c].map(Int.init) ?? 0
                failure[Int(child)] = Int32(target == Int(child) ? 0 : target)
                outputs[Int(child)] += outputs[Int(failure[Int(child)])]
                queue.append(Int(child))
            }
        }
    }

    /// Advances the automaton by one code point.
    @inline(__always) public func step(_ state: Int, _ c: UInt32) -> Int {
        var s = state
        while true {
            if let next = transitions[s][c] { return Int(next) }
            if s == 0 { return 0 }
            s = Int(failure[s])
        }
    }

    /// The patterns ending at `state`.
    @inline(__always) public func matches(at state: Int) -> [(length: Int, payload: Payload)] { outputs[state] }

    /// Whether any pattern ends at `state`.
    @inline(__always) public func hasMatch(at state: Int) -> Bool { !outputs[state].isEmpty }
}
