import Core

/// Chooses non-overlapping findings deterministically: the larger span wins, then the higher
/// score, then the earlier start, then the kind's name. No character is covered twice.
public enum OverlapResolver {
    public static func resolve(_ candidates: [Candidate]) -> [Candidate] {
        guard candidates.count > 1 else { return candidates }
        // Work on indices and plain keys: moving a candidate retains its strings.
        let lengths = candidates.map { $0.range.count }, scores = candidates.map { $0.score }, starts = candidates.map { $0.range.lowerBound }
        let order = candidates.indices.sorted { i, j in
            if lengths[i] != lengths[j] { return lengths[i] > lengths[j] }
            if scores[i] != scores[j] { return scores[i] > scores[j] }
            if starts[i] != starts[j] { return starts[i] < starts[j] }
            return candidates[i].kind.rawValue < candidates[j].kind.rawValue
        }
        // Accepted spans never overlap, so a coverage bitmap answers "is any of this range taken?".
        // The bitmap spans only the candidates' extent (streamed windows sit far from offset 0).
        let base = starts.min() ?? 0
        let extent = candidates.reduce(0) { max($0, $1.range.upperBound) }
        var covered = [Bool](repeating: false, count: max(0, extent - base))
        var accepted: [Int] = []
        for index in order where lengths[index] > 0 && starts[index] >= 0 {
            let r = (starts[index] - base)..<(starts[index] - base + lengths[index])
            if covered[r].contains(true) { continue }
            for i in r { covered[i] = true }
            accepted.append(index)
        }
        accepted.sort { starts[$0] < starts[$1] }
        return accepted.map { candidates[$0] }
    }
}
