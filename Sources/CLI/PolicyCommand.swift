import ArgumentParser
import Foundation
import Policy
import Workflows

/// `medlocal policy`: policy files.
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Check policy files.",
        subcommands: [PolicyValidateCommand.self]
    )
}

/// `medlocal policy validate FILE`.
struct PolicyValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a policy file and print every problem with its line and field (exit 1 when there are any)."
    )

    @Argument(help: "A policy YAML file.")
    var file: String

    func run() throws {
        do {
            let policy = try PolicyValidation.validate(file)
            print("\(file): valid policy \(policy.version) with \(policy.rules.count) entity rules (default: \(policy.defaultRule.action.rawValue))")
        } catch let error as PolicyError {
            for problem in error.problems { FileHandle.standardError.write(Data("\(file): \(problem)\n".utf8)) }
            throw ExitCode(1)
        } catch {
            try Failure.guarding { throw error }
        }
    }
}
