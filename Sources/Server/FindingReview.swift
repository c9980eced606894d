import Audit
import Core
import Foundation
import Hummingbird
import Policy
import Service
import Synchronization
import Workflows

/// The findings in a job's Markdown, for a person to review in the browser: type, code-point offsets into
/// `result.md`, score, recognizer and the policy's action — offsets, not values (the values are in result.md).
struct ReviewFindings: Codable {
    static let fileName = "result.findings.json"

    struct Item: Codable {
        var index: Int, type: String, start: Int, end: Int, score: Double, recognizer: String, action: String
    }

    var source: String
    var policy: String
    var findings: [Item]

    init(source: String, decision: Decision) {
        self.source = source
        policy = ActivePolicy.label(decision)
        findings = decision.entries.enumerated().map { index, entry in
            Item(index: index, type: entry.finding.kind.rawValue, start: entry.finding.start, end: entry.finding.end,
                 score: (entry.finding.score * 1000).rounded() / 1000, recognizer: entry.finding.explanation.recognizer,
                 action: entry.action.rawValue)
        }
    }

    /// A succeeded job's findings list; nil when the job has none (it was not asked for Markdown, or failed).
    static func stored(for job: Job, in files: JobFiles) throws -> ReviewFindings? {
        guard job.state == .succeeded, job.outputs.contains(fileName), let data = try files.contents(job.id, output: fileName) else { return nil }
        return try? JSONDecoder().decode(ReviewFindings.self, from: data)
    }

    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}

/// Reviewers' verdicts on a job's findings (`accepted`, `rejected`), kept in the job's folder as `review.json`
/// (index → verdict) and removed with the job. One lock for the whole store: verdicts come one click at a time.
final class ReviewStore: Sendable {
    enum Verdict: String, Codable, CaseIterable { case accepted, rejected, open }

    let files: JobFiles
    private let lock = Mutex(())

    init(files: JobFiles) { self.files = files }

    private func path(_ id: String) -> String { (files.folder(id) as NSString).appendingPathComponent("review.json") }

    func verdicts(_ id: String) -> [String: Verdict] {
        lock.withLock { _ in read(id) }
    }

    func set(_ verdict: Verdict, finding index: Int, job id: String) throws -> [String: Verdict] {
        try lock.withLock { _ in
            var verdicts = read(id)
            verdicts[String(index)] = verdict == .open ? nil : verdict
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try AtomicFile.write(try encoder.encode(verdicts), to: path(id))
            return verdicts
        }
    }

    private func read(_ id: String) -> [String: Verdict] {
        guard let data = FileManager.default.contents(atPath: path(id)) else { return [:] }
        return (try? JSONDecoder().decode([String: Verdict].self, from: data)) ?? [:]
    }
}

extension JobRoutes {
    struct VerdictRequest: Decodable {
        var finding: Int
        var verdict: String
    }

    struct ReviewView: Encodable {
        var verdicts: [String: String]
    }

    /// `POST /jobs/{id}/review/apply`: the Markdown, and the redacted copy when the job made one, redacted again
    /// with the verdicts given so far (see ``ReviewRedaction``).
    func applyReview(_ context: ServerContext) async throws -> Response {
        let user = try context.requireRole(\.canProcess, "apply a review")
        let job = try ownJob(context)
        return try Reply.json(try await reviewRedaction.apply(job, verdicts: reviews.verdicts(job.id), actor: user.name))
    }

    /// `GET /jobs/{id}/review`: the verdicts given so far.
    func review(_ context: ServerContext) throws -> Response {
        let job = try ownJob(context)
        return try Reply.json(ReviewView(verdicts: reviews.verdicts(job.id).mapValues(\.rawValue)))
    }

    /// `POST /jobs/{id}/review` `{"finding": 3, "verdict": "rejected"}` (or `accepted`, or `open` to take a verdict
    /// back); audited with the finding's type and offsets.
    func setVerdict(_ request: Request, _ context: ServerContext) async throws -> Response {
        let user = try context.requireRole(\.canProcess, "review findings")
        let job = try ownJob(context)
        guard let findings = try ReviewFindings.stored(for: job, in: files)?.findings else {
            throw Problem(.conflict, "no-findings", "job \(job.id) has no findings to review (it needs the md format and to have succeeded)")
        }
        let body = try await request.body.collect(upTo: 4096)
        guard let asked = try? JSONDecoder().decode(VerdictRequest.self, from: Data(body.readableBytesView)) else {
            throw Problem.badRequest("send {\"finding\": <index>, \"verdict\": \"accepted\"|\"rejected\"|\"open\"}")
        }
        guard let verdict = ReviewStore.Verdict(rawValue: asked.verdict) else {
            throw Problem.unprocessable("verdict: '\(asked.verdict)' is not one of accepted, rejected, open")
        }
        guard findings.indices.contains(asked.finding) else {
            throw Problem.unprocessable("finding: job \(job.id) has findings 0 to \(findings.count - 1)")
        }
        let item = findings[asked.finding]
        let finding = Finding(kind: EntityKind(item.type), range: item.start..<max(item.start, item.end), score: item.score,
                              explanation: Explanation(recognizer: item.recognizer))
        let verdicts = try reviews.set(verdict, finding: asked.finding, job: job.id)
        try await committer.commit(trail.event(actor: user.name, operation: "job.review.\(verdict.rawValue)", item: job.id,
                                               input: Data("\(asked.finding)".utf8), output: nil, decision: nil, findings: [finding]))
        return try Reply.json(ReviewView(verdicts: verdicts.mapValues(\.rawValue)))
    }
}
