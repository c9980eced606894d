import Audit
import Foundation
import Hummingbird
import Policy
import Service
import Synchronization
import Workflows

/// The policy the server decides under, swapped whole when an admin activates another: each request reads it once.
final class ActivePolicy: Sendable {
    struct Active: Sendable {
        var processing: TextProcessing
        /// A preset name or a stored policy's id (`name@version`).
        var reference: String
    }

    private let state: Mutex<Active>
    let keyPath: String
    let trail: AuditTrail
    /// Where the alerts and blocks of decisions under it go.
    let webhooks: ServerWebhooks

    init(policy: Policy, reference: String, keyPath: String, trail: AuditTrail, webhooks: ServerWebhooks) throws {
        self.keyPath = keyPath
        self.trail = trail
        self.webhooks = webhooks
        state = Mutex(Active(processing: try TextProcessing(policy: policy, keyPath: keyPath, trail: trail), reference: reference))
    }

    var current: TextProcessing { state.withLock { $0.processing } }
    var reference: String { state.withLock { $0.reference } }

    func activate(_ policy: Policy, reference: String) throws {
        let processing = try TextProcessing(policy: policy, keyPath: keyPath, trail: trail)
        state.withLock { $0 = Active(processing: processing, reference: reference) }
    }

    /// `name version` as responses and problems show it.
    static func label(_ decision: Decision) -> String { "\(decision.policyName ?? "policy") \(decision.policyVersion)" }
}

/// Uploaded policies, as YAML files `<data>/policies/<name>@<version>.yaml`, and the active one's reference in
/// `<data>/policies/active` (so an activation survives a restart). A stored version is never overwritten:
/// a change is a new version.
struct PolicyStore: Sendable {
    let folder: String

    init(dataDirectory: String) {
        folder = (dataDirectory as NSString).appendingPathComponent("policies")
    }

    func path(_ id: String) -> String { (folder as NSString).appendingPathComponent(id + ".yaml") }

    var ids: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }
            .map { String($0.dropLast(5)) }.sorted()
    }

    /// The reference activated last, if any.
    var activeReference: String? {
        (try? String(contentsOfFile: (folder as NSString).appendingPathComponent("active"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func recordActive(_ reference: String) throws {
        try AtomicFile.write(Data((reference + "\n").utf8), to: (folder as NSString).appendingPathComponent("active"))
    }

    /// What `reference` names: a stored id or a preset. Stored ids contain `@`, presets never do.
    func load(_ reference: String) throws -> (policy: Policy, yaml: String)? {
        let yaml: String
        if reference.contains("@") {
            guard ids.contains(reference), let text = try? String(contentsOfFile: path(reference), encoding: .utf8) else { return nil }
            yaml = text
        } else {
            guard let text = PolicyPresets.yaml(named: reference) else { return nil }
            yaml = text
        }
        return (try PolicyValidation.loader.load(yaml: yaml), yaml)
    }
}

/// `GET /policies` (the active one, the presets, the uploaded versions), `GET /policies/{id}` (its YAML),
/// `POST /policies` (admin: a YAML policy, validated — a 422 lists every problem with its line and field),
/// `POST /policies/{id}/activate` (admin; audited).
struct PolicyRoutes: Sendable {
    struct Listing: Encodable {
        struct Entry: Encodable { var id: String, name: String?, version: String, preset: Bool }
        var active: String
        /// The active policy's own name and version (also when it came from a file, not a listed id).
        var activeName: String?, activeVersion: String
        var policies: [Entry]
    }

    let store: PolicyStore
    let active: ActivePolicy
    let committer: AuditCommitter

    func add(to group: RouterGroup<ServerContext>) {
        group.get("policies") { _, context in try list(context) }
        group.get("policies/:id") { _, context in try show(context) }
        group.post("policies") { request, context in try await upload(request, context) }
        group.post("policies/validate") { request, context in try await validate(request, context) }
        group.post("policies/:id/activate") { _, context in try await activate(context) }
    }

    private func list(_ context: ServerContext) throws -> Response {
        _ = try context.requireUser()
        var entries: [Listing.Entry] = []
        for id in PolicyPresets.names + store.ids {
            guard let (policy, _) = try? store.load(id) else { continue }
            entries.append(.init(id: id, name: policy.name, version: policy.version.description, preset: !id.contains("@")))
        }
        let current = active.current.enforcement.policy
        return try Reply.json(Listing(active: active.reference, activeName: current.name, activeVersion: current.version.description, policies: entries))
    }

    /// A policy's YAML by id; `active` names the one requests are decided under now, wherever it came from (a
    /// preset, an upload or the server's `--policy` file).
    private func show(_ context: ServerContext) throws -> Response {
        _ = try context.requireUser()
        var id = try context.parameters.require("id")
        if id == "active" {
            id = active.reference
            if (try? store.load(id)) == nil, let yaml = try? String(contentsOfFile: id, encoding: .utf8) {
                return Reply.bytes(yaml.utf8, contentType: "application/yaml; charset=utf-8")
            }
        }
        guard let (_, yaml) = try store.load(id) else { throw Problem.notFound("no policy \(id)") }
        return Reply.bytes(yaml.utf8, contentType: "application/yaml; charset=utf-8")
    }

    /// `POST /policies/validate`: the checks an upload gets, nothing stored (the policy page's Validate button).
    private func validate(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.requireUser()
        let (policy, _, id) = try await validated(request)
        return try Reply.json(Validation(valid: true, id: id, entities: policy.entities.count))
    }

    struct Validation: Encodable { var valid: Bool, id: String, entities: Int }

    /// The request's YAML as a policy that can be stored, and its id `name@version`; a 422 listing every problem
    /// with its line and field otherwise.
    private func validated(_ request: Request) async throws -> (Policy, String, String) {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        guard let yaml = String(validating: buffer.readableBytesView, as: UTF8.self) else { throw Problem.unprocessable("the policy must be UTF-8 YAML") }
        let policy: Policy
        do {
            policy = try PolicyValidation.loader.load(yaml: yaml)
        } catch {
            var problem = Problem.unprocessable("the policy has \(error.problems.count) problem\(error.problems.count == 1 ? "" : "s"): \(error.description)")
            problem.errors = error.problems.map { .init(line: $0.line, field: $0.field, message: $0.message) }
            throw problem
        }
        guard let name = policy.name, !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw Problem.unprocessable("a stored policy needs a name of letters, digits, - _ . (the name field)")
        }
        return (policy, yaml, "\(name)@\(policy.version)")
    }

    private func upload(_ request: Request, _ context: ServerContext) async throws -> Response {
        _ = try context.requireRole(\.canAdminister, "upload policies")
        let (policy, yaml, id) = try await validated(request)
        let name = policy.name ?? ""
        if let existing = try? String(contentsOfFile: store.path(id), encoding: .utf8) {
            guard existing == yaml else { throw Problem(.conflict, "version-exists", "\(id) is stored already with other content; give the change a new version") }
        } else {
            try AtomicFile.write(Data(yaml.utf8), to: store.path(id))
        }
        var headers = HTTPFields()
        headers[.location] = "/api/v1/policies/\(id)"
        return try Reply.json(Listing.Entry(id: id, name: name, version: policy.version.description, preset: false), status: .created, headers: headers)
    }

    private func activate(_ context: ServerContext) async throws -> Response {
        let user = try context.requireRole(\.canAdminister, "activate policies")
        let id = try context.parameters.require("id")
        guard let (policy, yaml) = try store.load(id) else { throw Problem.notFound("no policy \(id)") }
        try active.activate(policy, reference: id)
        try store.recordActive(id)
        try await committer.commit(active.trail.event(actor: user.name, operation: "policy.activate", item: id, input: Data(yaml.utf8),
                                                      output: nil, decision: nil, findings: []))
        return try Reply.json(["active": id, "name": policy.name ?? "", "version": policy.version.description])
    }
}
