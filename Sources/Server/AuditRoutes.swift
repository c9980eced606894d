import Audit
import Foundation
import Hummingbird
import Service

/// The audit trail for auditors and admins (an operator who processes documents cannot read who did what):
/// `GET /audit/verify` checks the whole chain and its signed checkpoints, `GET /audit/records` pages through
/// records, `GET /audit/export` streams them as JSON lines or CSV. Records hold digests, types and offsets, never
/// values, so none of these can show PHI.
struct AuditRoutes: Sendable {
    struct VerifyResponse: Encodable {
        var valid: Bool, records: Int64, firstSequence: Int64?, headCount: Int64, headHash: String
        var checkpointsVerified: Int, unanchored: Int64, publicKeyFingerprint: String?, problem: String?, problemSequence: Int64?
    }

    struct RecordView: Encodable {
        var sequence: Int64, time: String, hash: String, previousHash: String, event: AuditEvent
    }

    struct RecordPage: Encodable {
        var records: [RecordView]
        /// Pass as `after` for the next page; nil at the end.
        var next: Int64?
    }

    let store: any AuditStore
    let checkpoints: CheckpointFolder

    func add(to group: RouterGroup<ServerContext>) {
        group.get("audit/verify") { _, context in try await verify(context) }
        group.get("audit/records") { request, context in try records(request, context) }
        group.get("audit/export") { request, context in try export(request, context) }
    }

    private func verify(_ context: ServerContext) async throws -> Response {
        _ = try context.requireRole(\.canAudit, "read the audit trail")
        // Reads the whole chain: off the event loop's cooperative threads.
        let (store, checkpoints) = (store, checkpoints)
        let report = try await Blocking.run { try ChainVerifier(store: store, checkpoints: checkpoints).verify() }
        return try Reply.json(VerifyResponse(
            valid: report.isValid, records: report.records, firstSequence: report.firstSequence, headCount: report.head.count,
            headHash: report.head.hash, checkpointsVerified: report.checkpointsVerified, unanchored: report.unanchored,
            publicKeyFingerprint: report.publicKeyFingerprint, problem: report.problem?.message, problemSequence: report.problem?.sequence))
    }

    private func records(_ request: Request, _ context: ServerContext) throws -> Response {
        _ = try context.requireRole(\.canAudit, "read the audit trail")
        let query = request.uri.queryParameters
        let limit = min(max(query.get("limit", as: Int.self) ?? 100, 1), 1000)
        let after = max(query.get("after", as: Int64.self) ?? 0, 0)
        let page = try store.records(after: after, limit: limit)
        let views = try page.map { record in
            RecordView(sequence: record.sequence, time: record.time, hash: record.hash, previousHash: record.previousHash, event: try record.event())
        }
        return try Reply.json(RecordPage(records: views, next: page.count == limit ? page.last?.sequence : nil))
    }

    private func export(_ request: Request, _ context: ServerContext) throws -> Response {
        _ = try context.requireRole(\.canAudit, "export the audit trail")
        let query = request.uri.queryParameters
        guard let format = AuditExport.Format(rawValue: query.get("format") ?? "jsonl") else {
            throw Problem.badRequest("format must be jsonl or csv")
        }
        var since: Date?
        if let text = query.get("since") {
            guard let date = ISO8601DateFormatter().date(from: text) ?? ISO8601DateFormatter.dateOnly.date(from: text) else {
                throw Problem.badRequest("since must be an ISO 8601 date or time (2026-01-31 or 2026-01-31T08:00:00Z)")
            }
            since = date
        }
        let exporter = AuditExport(store: store)
        var headers = HTTPFields()
        headers[.contentType] = format == .csv ? "text/csv; charset=utf-8" : "application/x-ndjson"
        headers[.contentDisposition] = "attachment; filename=\"medlocal-audit.\(format.rawValue)\""
        let firstSequence = try store.firstSequence() ?? 1
        let start = since
        // Written page by page: an export of millions of records never sits in memory.
        let body = ResponseBody { writer in
            if let header = AuditExport.header(format) { try await writer.write(ByteBuffer(string: header + "\n")) }
            var after = firstSequence - 1
            while let page = try exporter.nextPage(after: &after) {
                let lines = try exporter.lines(page, since: start, format: format)
                if !lines.isEmpty { try await writer.write(ByteBuffer(string: lines.joined(separator: "\n") + "\n")) }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }
}

extension ISO8601DateFormatter {
    /// `2026-01-31`, read as midnight UTC.
    static var dateOnly: ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter
    }
}
