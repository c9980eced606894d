public import Foundation

/// What a job does with its input.
public enum JobKind: String, Codable, Sendable, CaseIterable {
    /// Parse a document (PDF, DOCX, image) into Markdown / JSON / FHIR, optionally with a redacted copy.
    case document
    /// De-identify one DICOM file or a zip of a study.
    case dicom
    /// Train a new version of an image classifier on a ZIP of a labelled dataset.
    case training
}

public enum JobState: String, Codable, Sendable, CaseIterable {
    case queued, running, succeeded, failed, cancelled

    /// Whether the job will not change any more.
    public var isFinal: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

/// One unit of queued work. `inputName` is the uploaded file's name as given: it may itself carry PHI, so it is
/// shown to the job's owner and never logged.
public struct Job: Codable, Sendable, Equatable {
    public var id: String
    public var kind: JobKind
    public var state: JobState
    public var owner: Int64
    public var inputName: String
    public var options: [String: String]
    /// Claims so far (a job interrupted by a crash is claimed again until it runs out of attempts).
    public var attempts: Int
    public var progressDone: Int
    public var progressTotal: Int
    /// Why it failed, in words that name no PHI.
    public var error: String?
    /// Names of the files it produced, relative to its output folder.
    public var outputs: [String]
    public var cancelRequested: Bool
    public var created: Date
    public var updated: Date

    public init(id: String, kind: JobKind, state: JobState = .queued, owner: Int64, inputName: String, options: [String: String] = [:],
                attempts: Int = 0, progressDone: Int = 0, progressTotal: Int = 0, error: String? = nil, outputs: [String] = [],
                cancelRequested: Bool = false, created: Date = Date(), updated: Date = Date()) {
        self.id = id
        self.kind = kind
        self.state = state
        self.owner = owner
        self.inputName = inputName
        self.options = options
        self.attempts = attempts
        self.progressDone = progressDone
        self.progressTotal = progressTotal
        self.error = error
        self.outputs = outputs
        self.cancelRequested = cancelRequested
        self.created = created
        self.updated = updated
    }
}

/// A page of a job listing, newest first.
public struct JobPage: Sendable {
    public var jobs: [Job]
    public var total: Int
    public init(jobs: [Job], total: Int) {
        self.jobs = jobs
        self.total = total
    }
}

/// The durable job queue. Workers hold a job by a lease they renew while working; a job whose lease ran out
/// (its worker crashed or was killed) is claimed again, until `maxAttempts` claims have been spent, after which it
/// is failed with that reason. Leases rather than "running at startup" make several processes safe on one queue.
public protocol JobStore: Sendable {
    func enqueue(_ job: Job) throws
    /// The oldest claimable job, now running under `worker`'s lease; nil when there is none.
    func claim(worker: String, lease: TimeInterval, maxAttempts: Int) throws -> Job?
    /// Extends the lease and records progress; false when the job is no longer this worker's (cancelled, deleted,
    /// or taken over after the lease lapsed).
    func heartbeat(id: String, worker: String, lease: TimeInterval, done: Int, total: Int) throws -> Bool
    func succeed(id: String, worker: String, outputs: [String]) throws
    /// Lists more outputs of a succeeded job (made after it finished, as a review's redaction is); names it has
    /// already are not listed twice. False when the job is unknown or has not succeeded.
    func addOutputs(id: String, _ outputs: [String]) throws -> Bool
    /// Fails the job, or queues it again when `retry` and attempts remain.
    func fail(id: String, worker: String, reason: String, retry: Bool, maxAttempts: Int) throws
    /// Cancels a queued job at once, or asks a running one to stop; false when the job is already final or unknown.
    func cancel(id: String) throws -> Bool
    func job(id: String) throws -> Job?
    func jobs(owner: Int64?, state: JobState?, limit: Int, offset: Int) throws -> JobPage
    func delete(id: String) throws
    func counts() throws -> [JobState: Int]
    /// Final jobs last changed before `cutoff`, oldest first (for retention).
    func finishedJobs(updatedBefore cutoff: Date, limit: Int) throws -> [String]
}
