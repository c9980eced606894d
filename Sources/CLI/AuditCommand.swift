import Anonymization
import ArgumentParser
import Audit
import Core
import Foundation
import Workflows

/// `medlocal audit`: the tamper-evident audit log.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify, export and prune the audit log.",
        subcommands: [AuditVerifyCommand.self, AuditExportCommand.self, AuditPruneCommand.self, AuditPublicKeyCommand.self, AuditBenchCommand.self]
    )
}

/// `medlocal audit verify`: no key needed.
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check every record's hash link and every signed checkpoint; name the first bad record (exit 4).",
        discussion: "Needs no secret: chain hashes are plain SHA-256, checkpoints are checked with the public key."
    )

    @OptionGroup var audit: AuditOptions

    @Option(help: "The audit public key (hex) to trust, kept apart from this machine; default: the one beside the checkpoints.")
    var publicKey: String?

    func run() throws {
        let report = try Failure.guardingValue { try AuditMaintenance.verify(audit.location, publicKeyHex: publicKey) }
        let first = report.firstSequence.map { "#\($0)" } ?? "none"
        print("records: \(report.records) (first \(first), head \(report.head.count) \(report.head.hash.prefix(16))…)")
        print("checkpoints verified: \(report.checkpointsVerified); records after the newest checkpoint: \(report.unanchored)")
        print("public key fingerprint: \(report.publicKeyFingerprint ?? "none")")
        if let problem = report.problem {
            FileHandle.standardError.write(Data("medlocal: audit log INVALID: \(problem)\n".utf8))
            throw ExitCode(ExitStatus.verificationFailed.rawValue)
        }
        print("audit log valid")
    }
}

/// `medlocal audit export`.
struct AuditExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Write the records since a date as JSON lines or CSV.")

    @OptionGroup var audit: AuditOptions

    @Option(help: "Only records at or after this time (2026-06-01 or 2026-06-01T08:00:00Z).")
    var since: String?

    @Option(help: "jsonl or csv.")
    var format: String = "jsonl"

    func run() throws {
        try Failure.guarding {
            guard let format = AuditExport.Format(rawValue: format) else { throw ValidationError("--format must be jsonl or csv") }
            let sinceDate = try since.map(Self.date)
            let count = try AuditMaintenance.export(audit.location, since: sinceDate, format: format) { print($0) }
            FileHandle.standardError.write(Data("medlocal: exported \(count) records\n".utf8))
        }
    }

    static func date(_ text: String) throws -> Date {
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().year().month().day().parse(text) { return date }
        throw ValidationError("--since \(text): use a date such as 2026-06-01 or 2026-06-01T08:00:00Z")
    }
}

/// `medlocal audit prune`.
struct AuditPruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Delete records older than the retention period, after signing a checkpoint that marks the prune.")

    @OptionGroup var audit: AuditOptions
    @OptionGroup var keyOptions: KeyOptions

    @Option(help: "Keep this many days (at least 183, six months).")
    var retentionDays: Int = 190

    func run() throws {
        try Failure.guarding {
            let pruned = try AuditMaintenance.prune(audit.location, key: try audit.key(keyOptions), retentionDays: retentionDays)
            print("pruned \(pruned) records older than \(retentionDays) days")
        }
    }
}

/// `medlocal audit public-key`.
struct AuditPublicKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "public-key",
        abstract: "Print the audit checkpoints' public key (hex), to keep apart from this machine for `verify --public-key`.")

    @OptionGroup var audit: AuditOptions
    @OptionGroup var keyOptions: KeyOptions

    func run() throws {
        try Failure.guarding { print(try AuditMaintenance.publicKeyHex(key: try audit.key(keyOptions))) }
    }
}

/// `medlocal webhooks retry`.
struct WebhooksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Deliver alert and block events still waiting in the outbox.",
        subcommands: [WebhooksRetryCommand.self]
    )
}

struct WebhooksRetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "retry", abstract: "Retry every pending webhook delivery (exit 2 if some still fail).")

    @OptionGroup var audit: AuditOptions

    func run() throws {
        let result = WebhookOutbox(dataDirectory: audit.location.dataDirectory).deliverPending()
        print("delivered \(result.delivered), still pending \(result.pending)")
        if result.pending > 0 { throw ExitCode(ExitStatus.partialFailure.rawValue) }
    }
}

/// `medlocal audit bench` (make bench).
struct AuditBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure audit appends/s (fsync on; grouped and one per transaction) and verification records/s in a scratch folder.")

    @Option(help: "Records per run.") var records = 20_000
    @Option(help: "Runs (the median is reported).") var runs = 5

    func run() throws {
        let result = try Failure.guardingValue { try AuditBenchmark.run(records: records, runs: runs) }
        print(String(format: "audit appends, fsync on, grouped by 512: %.0f records/s (median of %d runs of %d)", result.groupedAppendsPerSecond, runs, records))
        print(String(format: "audit appends, fsync on, one per transaction: %.0f records/s (%.1fx slower)", result.singleAppendsPerSecond,
                     result.groupedAppendsPerSecond / result.singleAppendsPerSecond))
        print(String(format: "audit verify: %.0f records/s", result.verifiedPerSecond))
    }
}
