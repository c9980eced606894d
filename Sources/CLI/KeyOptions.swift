import ArgumentParser
import Foundation

/// Where the project key lives: --key-file, else $MEDLOCAL_KEY_FILE, else var/key.
struct KeyOptions: ParsableArguments {
    @Option(name: .customLong("key-file"), help: "The project key file (default: $MEDLOCAL_KEY_FILE or var/key).")
    var keyFile: String?

    var path: String { keyFile ?? ProcessInfo.processInfo.environment["MEDLOCAL_KEY_FILE"] ?? "var/key" }
}
