import Audit
import Core
import Foundation
import Hummingbird
import Policy
import Service
import Workflows

/// `POST /api/v1/phi/scan` and `/phi/redact`: synchronous, JSON text in and out, under the server's policy. A
/// block is a 403 problem naming the blocking types and offsets — nothing of the text comes back. Every request
/// is audited, and answered only once its record is durable.
struct PHIRoutes: Sendable {
    struct TextRequest: Decodable {
        var text: String
        var documentKind: String?
        /// Also return each finding's matched text (the caller sent it, so this shows nothing new; off by default
        /// so that responses can be logged by a proxy without holding PHI).
        var includeValues: Bool?
        var explain: Bool?
        /// The patient the text belongs to, for per-patient date shifts (else one is told from the text).
        var patientId: String?
    }

    static let maximumTextLength = 4 << 20

    let policies: ActivePolicy
    let committer: AuditCommitter
    let metrics: ServerMetrics

    func add(to group: RouterGroup<ServerContext>) {
        group.post("phi/scan") { request, context in try await scan(request, context) }
        group.post("phi/redact") { request, context in try await redact(request, context) }
    }

    /// Read once per request: a policy activated meanwhile applies from the next request on.
    private var processing: TextProcessing { policies.current }

    private func scan(_ request: Request, _ context: ServerContext) async throws -> Response {
        let user = try context.requireRole(\.canProcess, "submit text")
        let body = try await decode(request, context)
        let decision = processing.decide(body.text, documentKind: body.documentKind)
        try await audit(decision, user: user, operation: "api.phi.scan", input: body.text, output: nil)
        try refuseIfBlocked(decision)
        return response(decision, text: body.text, redacted: nil, values: body.includeValues == true, explain: body.explain == true)
    }

    private func redact(_ request: Request, _ context: ServerContext) async throws -> Response {
        let user = try context.requireRole(\.canProcess, "submit text")
        let body = try await decode(request, context)
        let result: TextDeidentification.Result
        do {
            result = try processing.redact(body.text, documentKind: body.documentKind, patientID: body.patientId)
        } catch let block as PolicyBlock {
            try await audit(block.decision, user: user, operation: "api.phi.redact", input: body.text, output: nil)
            try refuseIfBlocked(block.decision)
            throw block
        }
        guard let decision = result.decision else { throw Problem(.internalServerError, "internal", "the redaction made no decision") }
        try await audit(decision, user: user, operation: "api.phi.redact", input: body.text, output: result.text)
        return response(decision, text: body.text, redacted: result.text, values: body.includeValues == true, explain: body.explain == true)
    }

    private func decode(_ request: Request, _ context: ServerContext) async throws -> TextRequest {
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        let body: TextRequest
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            body = try decoder.decode(TextRequest.self, from: Data(buffer.readableBytesView))
        } catch {
            throw Problem.badRequest("the body must be JSON {\"text\": \"…\"} (optional: documentKind, patientId, includeValues, explain)")
        }
        guard body.text.unicodeScalars.count <= Self.maximumTextLength else {
            throw Problem(.contentTooLarge, "too-large", "text is limited to \(Self.maximumTextLength) code points per request")
        }
        return body
    }

    private func audit(_ decision: Decision, user: APIUser, operation: String, input: String, output: String?) async throws {
        metrics.countFindings(decision.findings.map(\.kind.rawValue), blocked: decision.blocks)
        let processing = self.processing
        let event = processing.trail.event(actor: user.name, operation: operation, item: nil, input: Data(input.utf8),
                                           output: output.map { Data($0.utf8) }, decision: decision, findings: decision.findings)
        try await committer.commit(event)
        try policies.webhooks.raise(decision, recorded: event, under: processing)
    }

    private func refuseIfBlocked(_ decision: Decision) throws {
        guard decision.blocks else { return }
        var problem = Problem(.forbidden, "policy-block", PolicyBlock(decision: decision).description)
        problem.policy = ActivePolicy.label(decision)
        problem.blocking = decision.entries.filter { $0.action == .block }
            .map { Problem.Blocking(type: $0.finding.kind.rawValue, start: $0.finding.start, end: $0.finding.end) }
        throw problem
    }

    /// `{"action", "entities": [{"action"?, "end", "explanation"?, "recognizer", "score", "start", "text"?, "type"}],
    /// "policy", "text"?}` — written by hand: on this route, Foundation's encoder would cost more than the scan.
    private func response(_ decision: Decision, text: String, redacted: String?, values: Bool, explain: Bool) -> Response {
        var actions: [Finding: PolicyAction] = [:]
        for entry in decision.entries { actions[entry.finding] = entry.action }
        let scalars = values ? Array(text.unicodeScalars) : []
        var json = JSONBytes(capacity: 128 + 128 * decision.findings.count + (redacted?.utf8.count ?? 0))
        json.beginObject()
        json.member("action", decision.action.rawValue)
        json.key("entities")
        json.beginArray()
        for finding in decision.findings {
            json.beginObject()
            json.member("action", actions[finding]?.rawValue)
            json.member("end", finding.end)
            json.member("explanation", explain ? finding.explanation.summary : nil)
            json.member("recognizer", finding.explanation.recognizer)
            json.member("score", (finding.score * 1000).rounded() / 1000)
            json.member("start", finding.start)
            json.member("text", values ? String(String.UnicodeScalarView(scalars[finding.start..<min(finding.end, scalars.count)])) : nil)
            json.member("type", finding.kind.rawValue)
            json.endObject()
        }
        json.endArray()
        json.member("policy", ActivePolicy.label(decision))
        json.member("text", redacted)
        json.endObject()
        return Reply.bytes(json.bytes)
    }
}

/// The server's text pipeline under its policy: the scan the policy needs, its decisions, and redaction with a
/// fresh pseudonym table per request (pseudonyms stay consistent across requests: they are keyed).
struct TextProcessing: Sendable {
    let enforcement: PolicyEnforcement
    let scan: TextScan
    let redaction: TextRedaction
    let trail: AuditTrail

    init(policy: Policy, keyPath: String, trail: AuditTrail) throws {
        enforcement = PolicyEnforcement(policy: policy)
        scan = enforcement.scan(from: TextScan(threshold: 0.5, kinds: Set(EntityKind.standard)))
        redaction = try TextRedaction(scan: scan, operators: [], keyPath: keyPath, patientID: nil, policy: policy)
        self.trail = trail
    }

    var policyLabel: String { "\(enforcement.policy.name ?? "policy") \(enforcement.policy.version)" }

    func decide(_ text: String, documentKind: String?, source: String = "api") -> Decision {
        enforcement.decide(text, findings: scan.findings(in: text), context: .text(text, documentKind: documentKind, source: source))
    }

    func redact(_ text: String, documentKind: String?, patientID: String?) throws -> TextDeidentification.Result {
        var redaction = redaction
        redaction.patientID = patientID
        return try redaction.redact(text, context: .text(text, documentKind: documentKind, source: "api"))
    }
}
