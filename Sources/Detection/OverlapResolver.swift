public import Core

/// Chooses non-overlapping findings deterministically: the larger span wins, then the higher
/// score, then the earlier start, then the kind's name. No character is covered twice.
public enum OverlapResolver {
    public static func resolve(_ candidates: [Candidate]) -> [Candidate] {
        let ordered = candidates.sorted { a, b in
            if a.range.count != b.range.count { return a.range.count > b.range.count }
            if a.score != b.score { return a.score > b.score }
            if a.range.lowerBound != b.range.lowerBound { return a.range.lowerBound < b.range.lowerBound }
            return a.kind.rawValue < b.kind.rawValue
        }
        var accepted: [Candidate] = []
        var starts: [Int] = []  // sorted starts of accepted ranges, parallel to `sortedAccepted`
        var sortedAccepted: [Range<Int>] = []
        for candidate in ordered where !candidate.range.isEmpty {
            let r = candidate.range
            // Find the insertion point and check the neighbours for overlap.
            var lo = 0, hi = starts.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if starts[mid] < r.lowerBound { lo = mid + 1 } else { hi = mid }
            }
            if lo > 0, sortedAccepted[lo - 1].overlaps(r) { continue }
            if lo < sortedAccepted.count, sortedAccepted[lo].overlaps(r) { continue }
            starts.insert(r.lowerBound, at: lo)
            sortedAccepted.insert(r, at: lo)
            accepted.append(candidate)
        }
        return accepted.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }
}
