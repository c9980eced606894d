import ArgumentParser
import Foundation
import Workflows

/// Where the project key lives: --key-file, else $MEDLOCAL_KEY_FILE, else `key_file` in medlocal.yaml, else var/key.
struct KeyOptions: ParsableArguments {
    @Option(name: .customLong("key-file"), help: "The project key file (default: $MEDLOCAL_KEY_FILE, key_file in medlocal.yaml, or var/key).")
    var keyFile: String?

    var path: String { DataLocations.keyFile(keyFile) }
}
