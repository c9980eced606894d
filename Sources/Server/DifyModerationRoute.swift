import Foundation
import Hummingbird
import Policy
import Service
import Workflows

/// `POST /api/v1/integrations/dify/moderation`: Dify's API-based extension protocol, so that a Dify app uses
/// MedLocal as its content moderation. `ping` answers `pong`; `app.moderation.input` de-identifies the user's
/// variables and query, `app.moderation.output` the model's text. A policy block answers `direct_output` with a
/// preset response (nothing of the text); anything anonymized answers `overridden` with the rewritten values;
/// nothing found is `flagged: false`.
///
/// Dify streams output in ~100-character chunks, each moderated alone, so an identifier cut by a chunk edge is
/// seen in halves that no recognizer may match. Output chunks are therefore treated conservatively: a run of
/// digits and letters touching either edge that holds a digit is masked. Blocking mode (no streaming) avoids this.
struct DifyModerationRoute: Sendable {
    let policies: ActivePolicy
    let committer: AuditCommitter
    let metrics: ServerMetrics

    func add(to group: RouterGroup<ServerContext>) {
        group.post("integrations/dify/moderation") { request, context in try await moderate(request, context) }
    }

    private func moderate(_ request: Request, _ context: ServerContext) async throws -> Response {
        let user = try context.requireRole(\.canProcess, "moderate content")
        var request = request
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        guard let body = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any],
              let point = body["point"] as? String else {
            throw Problem.badRequest("expected Dify's extension body {\"point\": …, \"params\": {…}}")
        }
        let params = body["params"] as? [String: Any] ?? [:]
        switch point {
        case "ping":
            return try Self.reply(["result": "pong"])
        case "app.moderation.input":
            return try await moderateInput(params, user: user)
        case "app.moderation.output":
            guard let text = params["text"] as? String else { throw Problem.badRequest("app.moderation.output needs params.text") }
            return try await moderateOutput(text, appID: params["app_id"] as? String, user: user)
        default:
            throw Problem.badRequest("unknown extension point \(point); this endpoint serves ping, app.moderation.input and app.moderation.output")
        }
    }

    /// The variables and the query are decided as one text (one audit record): a name recognised in one is then
    /// recognised wherever it recurs, in the query too.
    private func moderateInput(_ params: [String: Any], user: APIUser) async throws -> Response {
        var inputs = params["inputs"] as? [String: Any] ?? [:]
        let query = params["query"] as? String
        let names = inputs.keys.sorted().filter { (inputs[$0] as? String)?.isEmpty == false }
        let texts = names.map { inputs[$0] as! String } + (query.map { [$0] } ?? [])
        guard !texts.isEmpty else { return try Self.notFlagged() }
        let rewritten: [String]
        do {
            rewritten = try await rewriteTogether(texts, appID: params["app_id"] as? String, user: user)
        } catch let block as Blocked {
            return try blocked(block.policy)
        }
        guard rewritten != texts else { return try Self.notFlagged() }
        for (index, name) in names.enumerated() { inputs[name] = rewritten[index] }
        let newQuery: Any = query == nil ? NSNull() : rewritten[names.count]
        return try Self.reply(["flagged": true, "action": "overridden", "inputs": inputs, "query": newQuery])
    }

    /// Separates the parts of a request while they are decided together; no recognizer matches it, and a part
    /// that holds it is decided on its own instead.
    private static let separator = "\n\u{2063}\n"

    private func rewriteTogether(_ texts: [String], appID: String?, user: APIUser) async throws -> [String] {
        if !texts.contains(where: { $0.contains(Self.separator) }) {
            let joined = try await rewrite(texts.joined(separator: Self.separator), appID: appID, operation: "dify.moderation.input", user: user)
            let parts = joined.components(separatedBy: Self.separator)
            if parts.count == texts.count { return parts }
        }
        var parts: [String] = []
        for text in texts { parts.append(try await rewrite(text, appID: appID, operation: "dify.moderation.input", user: user)) }
        return parts
    }

    private func moderateOutput(_ text: String, appID: String?, user: APIUser) async throws -> Response {
        do {
            let rewritten = ChunkEdges.maskIdentifierFragments(try await rewrite(text, appID: appID, operation: "dify.moderation.output", user: user))
            guard rewritten != text else { return try Self.notFlagged() }
            return try Self.reply(["flagged": true, "action": "overridden", "text": rewritten])
        } catch let block as Blocked {
            return try blocked(block.policy)
        }
    }

    private struct Blocked: Error {
        var policy: String
    }

    /// The text under the policy, audited; throws ``Blocked`` when the policy blocks it.
    private func rewrite(_ text: String, appID: String?, operation: String, user: APIUser) async throws -> String {
        let processing = policies.current
        let decision: Decision
        let output: String?
        do {
            let result = try processing.redact(text, documentKind: nil, patientID: nil)
            decision = result.decision!
            output = result.text
        } catch let block as PolicyBlock {
            decision = block.decision
            output = nil
        }
        metrics.countFindings(decision.findings.map(\.kind.rawValue), blocked: decision.blocks)
        let event = processing.trail.event(actor: user.name, operation: operation, item: appID.map { "dify:" + $0 },
                                           input: Data(text.utf8), output: output.map { Data($0.utf8) }, decision: decision,
                                           findings: decision.findings)
        try await committer.commit(event)
        try policies.webhooks.raise(decision, recorded: event, under: processing)
        guard let output else { throw Blocked(policy: ActivePolicy.label(decision)) }
        return output
    }

    private func blocked(_ policy: String) throws -> Response {
        return try Self.reply(["flagged": true, "action": "direct_output",
                               "preset_response": "该内容含有受保护的个人健康信息，已按策略 \(policy) 拦截。This content contains protected health information and was blocked by policy \(policy)."])
    }

    private static func notFlagged() throws -> Response {
        try reply(["flagged": false, "action": "direct_output", "preset_response": ""])
    }

    private static func reply(_ object: [String: Any]) throws -> Response {
        Reply.bytes(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
    }
}

/// Identifier fragments at the edges of a streamed chunk.
enum ChunkEdges {
    /// Masks the run of identifier characters (ASCII or full-width digits and letters, hyphens) that touches the
    /// start or the end of `text`, when the run holds a digit: it may be half of a phone, ID or record number
    /// whose other half is in the neighbouring chunk. Words without digits are left alone.
    static func maskIdentifierFragments(_ text: String) -> String {
        var scalars = Array(text.unicodeScalars)
        func isPart(_ s: Unicode.Scalar) -> Bool {
            (s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "-"))
                || (0xFF10...0xFF19).contains(s.value) || (0xFF21...0xFF3A).contains(s.value) || (0xFF41...0xFF5A).contains(s.value)
        }
        func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) || (0xFF10...0xFF19).contains(s.value) }
        func mask(_ range: Range<Int>) {
            guard scalars[range].contains(where: isDigit) else { return }
            for index in range where scalars[index] != "-" { scalars[index] = "*" }
        }
        var leading = 0
        while leading < scalars.count, isPart(scalars[leading]) { leading += 1 }
        mask(0..<leading)
        var trailing = scalars.count
        while trailing > leading, isPart(scalars[trailing - 1]) { trailing -= 1 }
        if trailing < scalars.count { mask(trailing..<scalars.count) }
        return String(String.UnicodeScalarView(scalars))
    }
}
