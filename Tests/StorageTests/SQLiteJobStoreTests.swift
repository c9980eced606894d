import Foundation
import Service
import Storage
import Testing
import TestSupport

private func jobStore(in scratch: ScratchFolder) throws -> SQLiteJobStore {
    SQLiteJobStore(database: try SQLiteDatabase(path: scratch.path + "/medlocal.sqlite"))
}

private func job(_ id: String, owner: Int64 = 1, created: TimeInterval) -> Job {
    Job(id: id, kind: .document, owner: owner, inputName: "note.pdf", options: ["formats": "md"],
        created: Date(timeIntervalSince1970: created), updated: Date(timeIntervalSince1970: created))
}

@Suite struct SQLiteJobStoreTests {
    private let scratch = ScratchFolder(prefix: "jobs")
    private func store() throws -> SQLiteJobStore { try jobStore(in: scratch) }

    @Test func jobsAreClaimedOldestFirstAndEachByOneWorkerOnly() throws {
        let jobs = try store()
        try jobs.enqueue(job("b", created: 2))
        try jobs.enqueue(job("a", created: 1))
        let first = try #require(try jobs.claim(worker: "w1", lease: 60, maxAttempts: 3))
        let second = try #require(try jobs.claim(worker: "w2", lease: 60, maxAttempts: 3))
        #expect(first.id == "a" && second.id == "b")
        #expect(first.state == .running && first.attempts == 1)
        #expect(try jobs.claim(worker: "w3", lease: 60, maxAttempts: 3) == nil)
    }

    @Test func concurrentWorkersNeverShareAJob() async throws {
        let jobs = try store()
        for n in 0..<40 { try jobs.enqueue(job("job-\(n)", created: Double(n))) }
        let claimed = await withTaskGroup(of: [String].self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var mine: [String] = []
                    while let job = try? jobs.claim(worker: "w\(worker)", lease: 60, maxAttempts: 3) { mine.append(job.id) }
                    return mine
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claimed.count == 40)
        #expect(Set(claimed).count == 40)
    }

    @Test func aJobWhoseWorkerVanishedIsClaimedAgainAfterItsLeaseLapses() throws {
        let jobs = try store()
        try jobs.enqueue(job("a", created: 1))
        _ = try jobs.claim(worker: "crashed", lease: 0.05, maxAttempts: 3)
        #expect(try jobs.claim(worker: "w2", lease: 60, maxAttempts: 3) == nil)
        Thread.sleep(forTimeInterval: 0.1)
        let again = try #require(try jobs.claim(worker: "w2", lease: 60, maxAttempts: 3))
        #expect(again.id == "a" && again.attempts == 2)
        // The crashed worker's late report is ignored: the job is no longer its.
        #expect(try jobs.heartbeat(id: "a", worker: "crashed", lease: 60, done: 1, total: 2) == false)
        try jobs.succeed(id: "a", worker: "crashed", outputs: ["result.md"])
        #expect(try jobs.job(id: "a")?.state == .running)
    }

    @Test func aJobInterruptedOnEveryAttemptIsFailedWithTheReason() throws {
        let jobs = try store()
        try jobs.enqueue(job("a", created: 1))
        for attempt in 1...2 {
            let claimed = try #require(try jobs.claim(worker: "w\(attempt)", lease: 0.01, maxAttempts: 2))
            #expect(claimed.attempts == attempt)
            Thread.sleep(forTimeInterval: 0.03)
        }
        #expect(try jobs.claim(worker: "w3", lease: 60, maxAttempts: 2) == nil)
        let failed = try #require(try jobs.job(id: "a"))
        #expect(failed.state == .failed)
        #expect(failed.error?.contains("interrupted 2 times") == true)
    }

    @Test func aRetryableFailureQueuesTheJobAgainUntilAttemptsRunOut() throws {
        let jobs = try store()
        try jobs.enqueue(job("a", created: 1))
        _ = try jobs.claim(worker: "w", lease: 60, maxAttempts: 2)
        try jobs.fail(id: "a", worker: "w", reason: "disk full", retry: true, maxAttempts: 2)
        #expect(try jobs.job(id: "a")?.state == .queued)
        _ = try jobs.claim(worker: "w", lease: 60, maxAttempts: 2)
        try jobs.fail(id: "a", worker: "w", reason: "disk full", retry: true, maxAttempts: 2)
        let failed = try #require(try jobs.job(id: "a"))
        #expect(failed.state == .failed && failed.error == "disk full")
    }

    @Test func cancellingAQueuedJobIsImmediateAndARunningOneStopsAtItsNextHeartbeat() throws {
        let jobs = try store()
        try jobs.enqueue(job("queued", created: 2))
        try jobs.enqueue(job("running", created: 1))
        _ = try jobs.claim(worker: "w", lease: 60, maxAttempts: 3)
        #expect(try jobs.cancel(id: "queued"))
        #expect(try jobs.job(id: "queued")?.state == .cancelled)
        #expect(try jobs.cancel(id: "running"))
        #expect(try jobs.heartbeat(id: "running", worker: "w", lease: 60, done: 1, total: 3) == false)
        try jobs.fail(id: "running", worker: "w", reason: "cancelled", retry: false, maxAttempts: 3)
        #expect(try jobs.job(id: "running")?.state == .cancelled)
        #expect(try jobs.cancel(id: "running") == false)
    }

    @Test func listingsArePagedNewestFirstAndScopedToTheOwner() throws {
        let jobs = try store()
        for n in 0..<5 { try jobs.enqueue(job("mine-\(n)", owner: 1, created: Double(n))) }
        try jobs.enqueue(job("theirs", owner: 2, created: 10))
        let page = try jobs.jobs(owner: 1, state: nil, limit: 2, offset: 1)
        #expect(page.total == 5)
        #expect(page.jobs.map(\.id) == ["mine-3", "mine-2"])
        #expect(try jobs.jobs(owner: nil, state: .queued, limit: 10, offset: 0).total == 6)
        #expect(try jobs.counts()[.queued] == 6)
        try jobs.delete(id: "theirs")
        #expect(try jobs.job(id: "theirs") == nil)
    }

    @Test func aQueuedJobSurvivesReopeningTheDatabase() throws {
        let path = scratch.path + "/medlocal.sqlite"
        try SQLiteJobStore(database: SQLiteDatabase(path: path)).enqueue(job("a", created: 1))
        let reopened = SQLiteJobStore(database: try SQLiteDatabase(path: path))
        #expect(try reopened.claim(worker: "w", lease: 60, maxAttempts: 3)?.id == "a")
    }
}

@Suite struct JobOutputsAddedLaterTests {
    private let scratch = ScratchFolder(prefix: "jobs")
    private func store() throws -> SQLiteJobStore { try jobStore(in: scratch) }

    @Test func outputsAreAddedOnlyToASucceededJobAndListedOnce() throws {
        let jobs = try store()
        try jobs.enqueue(job("a", created: 1))
        #expect(try jobs.addOutputs(id: "a", ["late.md"]) == false)   // still queued
        _ = try jobs.claim(worker: "w", lease: 60, maxAttempts: 3)
        try jobs.succeed(id: "a", worker: "w", outputs: ["result.md"])
        #expect(try jobs.addOutputs(id: "a", ["result.reviewed.md", "result.md"]))
        #expect(try jobs.addOutputs(id: "a", ["result.reviewed.md"]))
        #expect(try jobs.job(id: "a")?.outputs == ["result.md", "result.reviewed.md"])
        #expect(try jobs.addOutputs(id: "missing", ["x"]) == false)
    }
}
