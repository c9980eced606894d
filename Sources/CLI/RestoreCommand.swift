import ArgumentParser
import Foundation
import Workflows

/// `medlocal restore`: decrypt values written by the `encrypt` operator.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restore", abstract: "Restore values encrypted by 'redact --operator …=encrypt'.")

    @Argument(help: "A redacted text file; '-' or nothing reads standard input.")
    var file = "-"

    @Option(name: .shortAndLong, help: "Output file (default: standard output).")
    var output: String?

    @OptionGroup var keyOptions: KeyOptions

    func run() throws {
        try Failure.guarding {
            let text = try TextDecoding.decode(try InputFiles.read(file), source: file).text
            let restored = try KeyFiles.restore(text, keyPath: keyOptions.path)
            if let output {
                try OutputFiles.write(restored, to: output, inputs: [file])
            } else {
                print(restored, terminator: restored.hasSuffix("\n") ? "" : "\n")
            }
        }
    }
}
