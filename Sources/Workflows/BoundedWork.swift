/// Runs `work` for every index in `0..<count`, at most `jobs` at a time, and returns the results in index order;
/// `progress` hears the number done after each one. The one concurrency pattern of the batch commands.
enum BoundedWork {
    static func map<Result: Sendable>(count: Int, jobs: Int, progress: @Sendable (Int) -> Void = { _ in },
                                      _ work: @escaping @Sendable (Int) -> Result) async -> [Result] {
        var results = [Result?](repeating: nil, count: count)
        await withTaskGroup(of: (Int, Result).self) { group in
            var next = 0
            func schedule() {
                guard next < count else { return }
                let index = next
                next += 1
                group.addTask { (index, work(index)) }
            }
            for _ in 0..<max(1, jobs) { schedule() }
            var done = 0
            for await (index, result) in group {
                results[index] = result
                done += 1
                progress(done)
                schedule()
            }
        }
        return results.compactMap { $0 }
    }
}
