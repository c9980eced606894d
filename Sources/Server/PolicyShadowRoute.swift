import Detection
import Foundation
import Hummingbird
import Policy
import Service
import Workflows

/// `POST /policies/{id}/shadow` (admin): a stored or preset policy run beside the active one over a corpus the
/// request carries — JSON lines `{"id","text"}`, as `medlocal policy diff` reads — with nothing activated and
/// nothing stored. The answer says which items' decisions change (newly blocked first) and how findings' actions
/// change per type; when the lines carry gold `entities` (as phi-dev does), it also scores what each policy leaks
/// and over-redacts, as `medlocal policy test` does. Texts are never echoed: ids, counts and rates only.
struct PolicyShadowRoute: Sendable {
    static let maximumBody = 8 << 20
    static let maximumDocuments = 5_000

    let store: PolicyStore
    let active: ActivePolicy
    let committer: AuditCommitter

    func add(to group: RouterGroup<ServerContext>) {
        group.post("policies/:id/shadow") { request, context in try await shadow(request, context) }
    }

    struct Report: Encodable {
        struct Change: Encodable { var id: String, active: String, candidate: String }
        struct Leakage: Encodable {
            var protectedTypes: [String]
            var protectedCharacters: Int
            var leakedCharacters: Int
            var characterRecall: Double?
            var leakedDocuments: Int
            var blockedDocuments: Int
            var overRedactedCharacters: Int
            /// The engine alone at the policy's thresholds, every finding rewritten: the floor a policy is compared with.
            var engineLeakedCharacters: Int
        }

        var candidate: String
        var active: String
        var documents: Int
        var changedItems: [Change]
        var newlyBlocked: Int
        var noLongerBlocked: Int
        /// Per type: "active → candidate" action changes of findings, counted.
        var findingChanges: [String: [String: Int]]
        /// Only when the corpus is labelled.
        var leakage: [String: Leakage]?
    }

    private func shadow(_ request: Request, _ context: ServerContext) async throws -> Response {
        let user = try context.requireRole(\.canAdminister, "shadow-test policies")
        let id = try context.parameters.require("id")
        guard let (candidate, _) = try store.load(id) else { throw Problem.notFound("no policy \(id)") }
        var request = request
        let body = Data(try await request.collectBody(upTo: Self.maximumBody).readableBytesView)
        let documents: [CorpusDocument]
        do {
            documents = try JSONLines.documents(in: body, source: "the request body")
        } catch {
            throw Problem.unprocessable("\(error)")
        }
        guard !documents.isEmpty else { throw Problem.unprocessable("the body holds no documents (JSON lines {\"id\",\"text\"})") }
        guard documents.count <= Self.maximumDocuments else { throw Problem.unprocessable("at most \(Self.maximumDocuments) documents per shadow run") }

        let current = active.current.enforcement.policy
        let scan = TextScan()
        let diff = PolicyShadow.diff(old: current, new: candidate, documents: documents, scan: scan)
        var report = Report(candidate: id, active: active.reference, documents: diff.items,
                            changedItems: diff.itemChanges.map { .init(id: $0.id, active: $0.old.rawValue, candidate: $0.new.rawValue) },
                            newlyBlocked: diff.newlyBlocked, noLongerBlocked: diff.noLongerBlocked, findingChanges: diff.findingChanges)
        if documents.contains(where: { !($0.entities ?? []).isEmpty }) {
            report.leakage = ["active": Self.leakage(PolicyShadow.test(policy: current, documents: documents, scan: scan)),
                              "candidate": Self.leakage(PolicyShadow.test(policy: candidate, documents: documents, scan: scan))]
        }
        let output = try JSONEncoder().encode(report)
        try await committer.commit(active.trail.event(actor: user.name, operation: "policy.shadow", item: id, input: body, output: output,
                                                      decision: nil, findings: []))
        return try Reply.json(report)
    }

    private static func leakage(_ test: PolicyShadow.Test) -> Report.Leakage {
        let policy = test.policy.overall, engine = test.engine.overall
        return Report.Leakage(protectedTypes: test.protectedTypes, protectedCharacters: policy.goldChars,
                              leakedCharacters: policy.goldChars - policy.goldCharsCovered, characterRecall: policy.charRecall,
                              leakedDocuments: policy.leakedDocuments, blockedDocuments: test.blockedDocuments,
                              overRedactedCharacters: test.overRedactedCharacters,
                              engineLeakedCharacters: engine.goldChars - engine.goldCharsCovered)
    }
}
