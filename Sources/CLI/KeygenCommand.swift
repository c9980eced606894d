import Workflows
import ArgumentParser
import Foundation

/// `medlocal keygen`: a new 32-byte project key with mode 0600.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keygen", abstract: "Create a new project key file (32 random bytes, mode 0600).")

    @Option(name: .shortAndLong, help: "Where to write the key (default: var/key).")
    var output = "var/key"

    @Flag(help: "Replace an existing key. Values encrypted or pseudonymised with the old key can no longer be restored or matched.")
    var force = false

    @Flag(help: "Do nothing (and succeed) when the key already exists.")
    var ifMissing = false

    func run() throws {
        try Failure.guarding {
            if ifMissing && FileManager.default.fileExists(atPath: output) { return }
            try KeyFiles.create(at: output, overwrite: force)
            print("Wrote a new project key to \(output) (mode 0600). Back it up: without it, encrypted values cannot be restored.")
        }
    }
}
