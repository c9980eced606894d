import Foundation
import Synchronization
import Testing
import TestSupport

@Suite("policy ladder and audit through the command line", .serialized)
struct PolicyAuditCommandTests {
    private let scratch = ScratchFolder()
    var folder: URL { scratch.url }

    /// A name, a resident ID with a valid check digit and a phone number: the canaries that must never appear
    /// in audit data, logs or webhook bodies.
    static let note = "患者姓名：欧阳建华  身份证号：11010519491231002X\n联系电话：13907312468  入院日期：2025-03-18\n"
    static let canaries = ["欧阳建华", "11010519491231002X", "13907312468", "2025-03-18"]

    func write(_ text: String, _ name: String) throws {
        try Data(text.utf8).write(to: folder.appendingPathComponent(name))
    }

    func policy(phone: String, webhookPort: UInt16? = nil, id: String = "anonymize, operator: hash") -> String {
        var yaml = "version: v1.1\nname: ward\nentities:\n  PERSON: {action: anonymize, operator: pseudonymize}\n  ID_NUMBER: {action: \(id)}\n  PHONE_NUMBER: {action: \(phone)}\n  default: {action: tag}\n"
        if let webhookPort { yaml += "webhooks:\n  - {url: 'http://127.0.0.1:\(webhookPort)/medlocal', events: [alert, block]}\n" }
        return yaml
    }

    /// Every byte the data folder holds (database, WAL, checkpoints, outbox).
    func dataBytes() throws -> String {
        var all = Data()
        let data = folder.appendingPathComponent("var")
        for case let file as URL in FileManager.default.enumerator(at: data, includingPropertiesForKeys: nil)! where file.lastPathComponent != "key" {
            all += (try? Data(contentsOf: file)) ?? Data()
        }
        return String(decoding: all, as: UTF8.self)
    }

    @Test("tag records the finding and leaves the text; the audit chain verifies")
    func tag() throws {
        try write("version: v1.0\nentities:\n  default: {action: tag}\n", "tag.yaml")
        try write(Self.note, "note.txt")
        let run = try Run(["redact", "note.txt", "--policy", "tag.yaml"], in: folder)
        #expect(run.status == 0)
        #expect(run.stdout == Self.note)
        let verify = try Run(["audit", "verify"], in: folder)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("records: 1") && verify.stdout.contains("audit log valid"))
        let export = try Run(["audit", "export", "--format", "jsonl"], in: folder)
        #expect(export.stdout.contains("\"action\":\"tag\"") && export.stdout.contains("\"type\":\"ID_NUMBER\""))
    }

    @Test("alert keeps the value, reports it on stderr without values, and POSTs the event to the webhook")
    func alert() throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        try write(policy(phone: "alert", webhookPort: receiver.port), "policy.yaml")
        try write(Self.note, "note.txt")
        let run = try Run(["redact", "note.txt", "--policy", "policy.yaml"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("13907312468") && !run.stdout.contains("欧阳建华"))
        #expect(run.stderr.contains("alert (policy v1.1) in note.txt: PHONE_NUMBER×1"))
        #expect(run.stderr.contains("webhooks delivered 1, pending 0"))
        let bodies = receiver.received
        #expect(bodies.count == 1)
        let event = try JSONSerialization.jsonObject(with: Data(bodies.first?.utf8 ?? "{}".utf8)) as? [String: Any]
        #expect(event?["event"] as? String == "alert")
        #expect(event?["policy_version"] as? String == "v1.1")
        #expect((event?["entity_types"] as? [String: Int])?["PHONE_NUMBER"] == 1)
        #expect(event?["event_id"] != nil && event?["positions"] != nil)
        for canary in Self.canaries + ["note.txt"] {
            #expect(!bodies.joined().contains(canary), "webhook body holds \(canary)")
        }
    }

    @Test("A delivery that fails is kept in the outbox and sent by a later retry")
    func webhookRetry() throws {
        let receiver = try WebhookReceiver()
        let port = receiver.port
        receiver.stop()   // nobody listens now
        try write(policy(phone: "alert", webhookPort: port), "policy.yaml")
        let run = try Run(["scan", "-", "--policy", "policy.yaml"], stdin: Self.note, in: folder)
        #expect(run.status == 0)
        #expect(run.stderr.contains("pending 1"))
        let outbox = folder.appendingPathComponent("var/webhook-outbox")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outbox.path).count == 1)
        let failed = try Run(["webhooks", "retry"], in: folder)
        #expect(failed.status == 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: outbox.path).count == 1)
        _ = port
    }

    @Test("anonymize rewrites and audits the input and output digests, never the values")
    func anonymizeAndCanaries() throws {
        try write(policy(phone: "anonymize, operator: mask"), "policy.yaml")
        try write(Self.note, "note.txt")
        let run = try Run(["redact", "note.txt", "-o", "out.txt", "--policy", "policy.yaml"], in: folder)
        #expect(run.status == 0, "\(run.stderr)")
        let output = try String(contentsOf: folder.appendingPathComponent("out.txt"), encoding: .utf8)
        #expect(!output.contains("欧阳建华") && !output.contains("11010519491231002X") && output.contains("***********"))
        let export = try Run(["audit", "export", "--format", "csv"], in: folder)
        #expect(export.stdout.contains(",redact,") && export.stdout.contains(",anonymize,"))
        let everything = try dataBytes() + run.stderr + export.stdout
        for canary in Self.canaries + ["note.txt"] {
            #expect(!everything.contains(canary), "audit data or logs hold \(canary)")
        }
    }

    @Test("block exits 3, writes nothing, audits the refusal and POSTs a block event")
    func block() throws {
        let receiver = try WebhookReceiver()
        defer { receiver.stop() }
        try write(policy(phone: "tag", webhookPort: receiver.port, id: "block"), "policy.yaml")
        try write(Self.note, "note.txt")
        let run = try Run(["redact", "note.txt", "-o", "out.txt", "--policy", "policy.yaml"], in: folder)
        #expect(run.status == 3)
        #expect(run.stderr.contains("blocked by policy v1.1: ID_NUMBER at 16..<34"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.txt").path))
        #expect(receiver.received.first?.contains("\"event\":\"block\"") == true)
        let export = try Run(["audit", "export"], in: folder)
        #expect(export.stdout.contains("\"action\":\"block\"") && !export.stdout.contains("outputDigest"))
        let scan = try Run(["scan", "note.txt", "--policy", "policy.yaml"], in: folder)
        #expect(scan.status == 3 && scan.stdout.isEmpty)
    }

    @Test("verify names a forged checkpoint and exits 4")
    func tamperedCheckpoint() throws {
        try write(Self.note, "note.txt")
        for _ in 0..<3 { #expect(try Run(["scan", "note.txt", "--policy", "default"], in: folder).status == 0) }
        #expect(try Run(["audit", "verify"], in: folder).status == 0)
        let anchors = folder.appendingPathComponent("var/audit-anchors")
        let newest = try FileManager.default.contentsOfDirectory(atPath: anchors.path).filter { $0.hasSuffix(".json") }.sorted().last!
        let file = anchors.appendingPathComponent(newest)
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "\"count\":3", with: "\"count\":2")
        try Data(text.utf8).write(to: file)
        let verify = try Run(["audit", "verify"], in: folder)
        #expect(verify.status == 4)
        #expect(verify.stderr.contains("is not signed by the audit key"))
    }

    @Test("Two processes appending at once produce one valid chain")
    func concurrentProcesses() throws {
        let corpus = (0..<150).map { "{\"id\":\"n\($0)\",\"text\":\"患者姓名：张军 联系电话：1391234\(String(format: "%04d", $0))\"}" }.joined(separator: "\n") + "\n"
        try write(corpus, "corpus.jsonl")
        #expect(try Run(["keygen"], in: folder).status == 0)
        let group = DispatchGroup()
        let statuses = Mutex<[Int32]>([]), errors = Mutex<[String]>([])
        for _ in 0..<2 {
            group.enter()
            Thread.detachNewThread { [folder] in
                let run = try? Run(["scan", "corpus.jsonl", "--input", "jsonl", "--policy", "default"], in: folder)
                statuses.withLock { $0.append(run?.status ?? -1) }
                errors.withLock { $0.append(run?.stderr ?? "did not run") }
                group.leave()
            }
        }
        group.wait()
        #expect(statuses.withLock { $0 } == [0, 0], "\(errors.withLock { $0 })")
        let verify = try Run(["audit", "verify"], in: folder)
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("records: 300"))
    }

    @Test("policy migrate writes a v2.0 file that validates; policy diff reports newly blocked items")
    func migrateAndDiff() throws {
        try write("version: v1.0\nentities:\n  PHONE_NUMBER: {action: tag, threshold: 0.5}\n  default: {action: tag}\n", "old.yaml")
        let migrated = try Run(["policy", "migrate", "old.yaml", "-o", "new.yaml"], in: folder)
        #expect(migrated.status == 0)
        let validate = try Run(["policy", "validate", "new.yaml"], in: folder)
        #expect(validate.stdout.contains("valid policy v2.0"))
        try write("version: v2.0\nentities:\n  PHONE_NUMBER: {action: block, min_score: 0.5}\ndefault: {action: tag}\n", "strict.yaml")
        try write("{\"id\":\"a\",\"text\":\"电话：13912345678\"}\n{\"id\":\"b\",\"text\":\"无特殊\"}\n", "corpus.jsonl")
        let diff = try Run(["policy", "diff", "new.yaml", "strict.yaml", "corpus.jsonl"], in: folder)
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stdout.contains("newly blocked 1"))
        #expect(diff.stdout.contains("a: tag → block"))
        #expect(diff.stdout.contains("PHONE_NUMBER: tag → block ×1"))
    }
}
