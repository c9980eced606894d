import ArgumentParser
import Foundation
import Policy
import Workflows

/// `medlocal policy`: policy files.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check, migrate and shadow-test policies.",
        discussion: "A policy is a YAML file or a preset: \(PolicyPresets.names.joined(separator: ", ")) (default = hospital-default).",
        subcommands: [PolicyValidateCommand.self, PolicyMigrateCommand.self, PolicyDiffCommand.self, PolicyTestCommand.self]
    )

    /// Loads a policy, printing every problem with its line and field (exit 1).
    static func load(_ reference: String) throws -> Policy {
        do {
            return try PolicyValidation.validate(reference)
        } catch let error as PolicyError {
            for problem in error.problems { FileHandle.standardError.write(Data("\(reference): \(problem)\n".utf8)) }
            throw ExitCode(1)
        } catch {
            throw Failure.exit(error)
        }
    }
}

/// `medlocal policy validate FILE`.
struct PolicyValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a policy file and print every problem with its line and field (exit 1 when there are any)."
    )

    @Argument(help: "A policy YAML file or a preset name.")
    var file: String

    func run() throws {
        let policy = try PolicyCommand.load(file)
        let rules = policy.entities.values.reduce(0) { $0 + $1.rules.count }
        var extras: [String] = []
        if policy.mode != .standard { extras.append("mode \(policy.mode.rawValue)") }
        if !policy.recognizers.isEmpty { extras.append("\(policy.recognizers.count) site recognizers") }
        if !policy.webhooks.isEmpty { extras.append("\(policy.webhooks.count) webhooks") }
        print("\(file): valid policy \(policy.version) with \(rules) entity rules (default: \(policy.defaultRule.action.rawValue))"
              + (extras.isEmpty ? "" : "; " + extras.joined(separator: ", ")))
    }
}

/// `medlocal policy migrate FILE`.
struct PolicyMigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Rewrite a v1.x policy in the v2.0 schema (threshold → min_score, entities.default → default)."
    )

    @Argument(help: "A v1.x policy file.")
    var file: String

    @Option(name: .shortAndLong, help: "Write here (default: standard output). The input is never modified.")
    var output: String?

    func run() throws {
        let text: String
        do {
            text = try PolicyValidation.migrate(file)
        } catch let error as PolicyError {
            for problem in error.problems { FileHandle.standardError.write(Data("\(file): \(problem)\n".utf8)) }
            throw ExitCode(1)
        } catch {
            throw Failure.exit(error)
        }
        guard let output else { return print(text, terminator: "") }
        try Failure.guarding { try OutputFiles.write(text, to: output, inputs: [file]) }
    }
}

/// `medlocal policy diff OLD NEW CORPUS`.
struct PolicyDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Shadow-test a new policy: how decisions change on a corpus (JSON lines {id,text}) before it goes live."
    )

    @Argument(help: "The policy in use.") var old: String
    @Argument(help: "The candidate policy.") var new: String
    @Argument(help: "A JSON-lines corpus ({\"id\",\"text\"} per line).") var corpus: String

    func run() throws {
        let (oldPolicy, newPolicy) = (try PolicyCommand.load(old), try PolicyCommand.load(new))
        let diff = try Failure.guardingValue {
            PolicyShadow.diff(old: oldPolicy, new: newPolicy, documents: try JSONLines.documents(in: InputFiles.read(corpus), source: corpus),
                              scan: TextScan())
        }
        print("items: \(diff.items); item action changes: \(diff.itemChanges.count) (newly blocked \(diff.newlyBlocked), no longer blocked \(diff.noLongerBlocked))")
        for change in diff.itemChanges.prefix(50) { print("  \(change.id): \(change.old.rawValue) → \(change.new.rawValue)") }
        if diff.itemChanges.count > 50 { print("  … \(diff.itemChanges.count - 50) more") }
        print("finding action changes by type:")
        if diff.findingChanges.isEmpty { print("  none") }
        for type in diff.findingChanges.keys.sorted() {
            let changes = diff.findingChanges[type]!.sorted { $0.key < $1.key }.map { "\($0.key) ×\($0.value)" }.joined(separator: ", ")
            print("  \(type): \(changes)")
        }
    }
}

/// `medlocal policy test POLICY GOLD`.
struct PolicyTestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Leaks and over-redaction of a policy on a labelled corpus, beside the engine alone at the same thresholds."
    )

    @Argument(help: "A policy file or preset.") var policy: String
    @Argument(help: "Gold JSON lines ({\"id\",\"text\",\"entities\"}), as phi-dev/dev.jsonl.") var gold: String

    func run() throws {
        let loaded = try PolicyCommand.load(policy)
        let test = try Failure.guardingValue {
            PolicyShadow.test(policy: loaded, documents: try JSONLines.documents(in: InputFiles.read(gold), source: gold), scan: TextScan())
        }
        func line(_ name: String, _ report: PHIEvaluation.Report) -> String {
            let o = report.overall
            let leaked = o.goldChars - o.goldCharsCovered
            return "\(name): leaked \(leaked) of \(o.goldChars) protected characters (char recall \(String(format: "%.4f", o.charRecall ?? 1))), leaked documents \(o.leakedDocuments) of \(report.documents)"
        }
        print("policy \(loaded.name ?? policy) \(loaded.version); protected types: \(test.protectedTypes.joined(separator: ", "))")
        if !test.keptTypes.isEmpty {
            print("kept by policy (tag/alert, not counted as leaks): " + test.keptTypes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        print(line("policy", test.policy))
        print(line("engine", test.engine))
        print("blocked documents: \(test.blockedDocuments); over-redacted characters (rewritten outside the protected types' gold spans): \(test.overRedactedCharacters)")
        let policyLeaks = test.policy.overall.goldChars - test.policy.overall.goldCharsCovered
        let engineLeaks = test.engine.overall.goldChars - test.engine.overall.goldCharsCovered
        print(policyLeaks <= engineLeaks ? "result: the policy leaks no more than the engine alone" : "result: the policy leaks MORE than the engine alone")
    }
}
