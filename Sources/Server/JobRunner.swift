import Dispatch
import Foundation
import Logging
import Service
import ServiceLifecycle
import Synchronization

/// Wakes idle workers soon after a job is queued here (they also poll the store, so a job queued by another
/// process is found too). A counter checked every few milliseconds: nothing to leak or to hang on.
final class JobSignal: Sendable {
    private let generation = Mutex(0)

    func signal() { generation.withLock { $0 &+= 1 } }

    /// Returns soon after the next signal, or after `timeout`, or when the task is cancelled.
    func wait(timeout: Duration) async {
        let start = generation.withLock { $0 }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, !Task.isCancelled, generation.withLock({ $0 }) == start {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// What a worker does with one claimed job; throws ``JobFailure`` or any error (retried: it is not the input's).
protocol JobWork: Sendable {
    /// - Parameter progress: where the work reports (done, total) and learns that it should stop.
    /// - Returns: the names of the outputs written.
    func run(_ job: Job, progress: JobProgress) async throws -> [String]
    /// Removes what a job left behind after it was deleted while running.
    func discard(_ job: Job)
}

/// A job that cannot succeed however often it is tried (bad input, a policy block): failed at once, no retry.
struct JobFailure: Error, Sendable {
    var reason: String
}

/// The workers: each claims the oldest queued job under a lease, renews the lease while it works, and records the
/// outcome. A worker killed mid-job simply stops renewing; the job is claimed again once the lease lapses (after a
/// restart, say) until it has been tried `maxAttempts` times. Stops claiming at graceful shutdown.
final class JobRunner: Service, Sendable {
    struct Settings: Sendable {
        var workers = 1
        var lease: TimeInterval = 60
        var heartbeat: Duration = .seconds(15)
        var poll: Duration = .seconds(1)
        var maxAttempts = 3
    }

    let jobs: any JobStore
    let work: any JobWork
    let signal: JobSignal
    let settings: Settings
    let logger: Logger
    private let instance = UUID().uuidString.prefix(8).lowercased()

    init(jobs: any JobStore, work: any JobWork, signal: JobSignal, settings: Settings, logger: Logger) {
        self.jobs = jobs
        self.work = work
        self.signal = signal
        self.settings = settings
        self.logger = logger
    }

    func run() async throws {
        await withDiscardingTaskGroup { group in
            for number in 0..<max(1, settings.workers) {
                group.addTask { await self.workLoop(worker: "\(self.instance)-\(number)") }
            }
        }
    }

    private func workLoop(worker: String) async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let claimed: Job?
            do {
                claimed = try jobs.claim(worker: worker, lease: settings.lease, maxAttempts: settings.maxAttempts)
            } catch {
                logger.error("cannot claim a job", metadata: ["error.type": "\(type(of: error))"])
                claimed = nil
            }
            guard let job = claimed else {
                await cancelWhenGracefulShutdown { await self.signal.wait(timeout: self.settings.poll) }
                continue
            }
            await execute(job, worker: worker)
        }
    }

    private func execute(_ job: Job, worker: String) async {
        let started = Date()
        logger.info("job started", metadata: ["job.id": "\(job.id)", "job.kind": "\(job.kind.rawValue)", "job.attempt": "\(job.attempts)"])
        let progress = JobProgress()
        // Renews the lease while the work runs, and tells the work when the job was cancelled or deleted.
        let heartbeat = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: settings.heartbeat)
                if Task.isCancelled { break }
                let (done, total) = progress.value
                let held = (try? jobs.heartbeat(id: job.id, worker: worker, lease: settings.lease, done: done, total: total)) ?? true
                if !held { progress.stop() }
            }
        }
        defer { heartbeat.cancel() }
        do {
            let outputs = try await work.run(job, progress: progress)
            try jobs.succeed(id: job.id, worker: worker, outputs: outputs)
            logger.info("job succeeded", metadata: ["job.id": "\(job.id)", "job.seconds": "\(Self.seconds(since: started))"])
        } catch let failure as JobFailure {
            record(job, worker: worker, reason: failure.reason, retry: false, started: started)
        } catch {
            // Not the input's fault (storage, a library's internal error): worth another attempt. The reason names
            // the error's type; its text could quote the file name.
            record(job, worker: worker, reason: "internal error (\(type(of: error))); retried up to \(settings.maxAttempts) attempts", retry: true, started: started)
        }
        if (try? jobs.job(id: job.id)) == .some(nil) { work.discard(job) }
    }

    private func record(_ job: Job, worker: String, reason: String, retry: Bool, started: Date) {
        do {
            try jobs.fail(id: job.id, worker: worker, reason: reason, retry: retry, maxAttempts: settings.maxAttempts)
        } catch {
            logger.error("cannot record a job's failure", metadata: ["job.id": "\(job.id)", "error.type": "\(type(of: error))"])
        }
        logger.info("job failed", metadata: ["job.id": "\(job.id)", "job.retry": "\(retry)", "job.seconds": "\(Self.seconds(since: started))"])
    }

    private static func seconds(since start: Date) -> String { String(format: "%.2f", Date().timeIntervalSince(start)) }
}

/// Progress a job's work reports, read by its heartbeat; stopped once the job is no longer the worker's
/// (cancelled, deleted, or taken over after the lease lapsed).
final class JobProgress: Sendable {
    private let state = Mutex((done: 0, total: 0, stopped: false))
    var value: (Int, Int) { state.withLock { ($0.done, $0.total) } }
    var isStopped: Bool { state.withLock { $0.stopped } }
    func update(_ done: Int, _ total: Int) { state.withLock { $0.done = done; $0.total = total } }
    func stop() { state.withLock { $0.stopped = true } }
}

/// Runs blocking work (MuPDF, Tesseract, SQLite) on a Dispatch thread, off Swift's cooperative pool.
enum Blocking {

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}

extension UserStore {
    /// The name a job's audit record gives its owner: the user's, or `user-<id>` once the user is gone.
    func ownerName(of job: Job) -> String {
        (try? users().first { $0.id == job.owner }?.name) ?? "user-\(job.owner)"
    }
}
