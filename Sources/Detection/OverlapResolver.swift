public import Core

/// Chooses non-overlapping findings deterministically: the larger span wins, then the higher
/// score, then the earlier start, then the kind's name. No character is covered twice.
public enum OverlapResolver {
    public static func resolve(_ candidates: [Candidate]) -> [Candidate] {
        // Sort indices, not candidates: moving a candidate retains its strings.
        let order = candidates.indices.sorted { i, j in
            let a = candidates[i], b = candidates[j]
            if a.range.count != b.range.count { return a.range.count > b.range.count }
            if a.score != b.score { return a.score > b.score }
            if a.range.lowerBound != b.range.lowerBound { return a.range.lowerBound < b.range.lowerBound }
            return a.kind.rawValue < b.kind.rawValue
        }
        let ordered = order.lazy.map { candidates[$0] }
        // Accepted spans never overlap, so a coverage bitmap answers "is any of this range taken?".
        // The bitmap spans only the candidates' extent (streamed windows sit far from offset 0).
        let base = candidates.reduce(Int.max) { min($0, $1.range.lowerBound) }
        let extent = candidates.reduce(0) { max($0, $1.range.upperBound) }
        var covered = [Bool](repeating: false, count: max(0, extent - base))
        var accepted: [Candidate] = []
        for candidate in ordered where !candidate.range.isEmpty && candidate.range.lowerBound >= 0 {
            let r = (candidate.range.lowerBound - base)..<(candidate.range.upperBound - base)
            if covered[r].contains(true) { continue }
            for i in r { covered[i] = true }
            accepted.append(candidate)
        }
        return accepted.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }
}
