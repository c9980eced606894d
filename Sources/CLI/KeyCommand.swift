import Anonymization
import ArgumentParser
import Foundation
import Workflows

/// `medlocal key show | rotate | export | import`: the project key ring.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Show, rotate, escrow and import the project key (keep the key file outside the data folder).",
        subcommands: [KeyShowCommand.self, KeyRotateCommand.self, KeyExportCommand.self, KeyImportCommand.self]
    )
}

/// `medlocal key show`: ids only, never key bytes.
struct KeyShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the key ring's key ids: the active (encryption) key and the derivation key.")

    @OptionGroup var keyOptions: KeyOptions

    func run() throws {
        try Failure.guarding {
            let key = try ProjectKey.load(from: keyOptions.path)
            print(KeyRingSummary(key).lines.joined(separator: "\n"))
        }
    }
}

/// `medlocal key rotate`: a new active key for encryption; the derivation key and older keys stay in the ring.
struct KeyRotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Start encrypting new data with a new key; older ciphertexts, sealed files and backups stay readable.",
        discussion: """
        Encrypted values (the encrypt operator), files sealed at rest and backups name the key that made them, so
        every key stays in the ring. Pseudonyms, date shifts, keyed hashes, DICOM UIDs, audit digests and the audit
        and model signing keys keep using the derivation key, so one patient keeps one pseudonym and one date shift
        across the rotation, and pinned signing keys stay valid. Make a new escrow copy (`medlocal key export`) after
        rotating. Stop the server first, or restart it after: a running server keeps the ring it started with.
        """
    )

    @OptionGroup var keyOptions: KeyOptions

    func run() throws {
        try Failure.guarding {
            let key = try ProjectKey.load(from: keyOptions.path)
            let rotated = key.rotated()
            try rotated.write(to: keyOptions.path, overwrite: true)
            print("Rotated \(keyOptions.path): new data is encrypted with \(rotated.id) (was \(key.id)); derivations stay on \(rotated.derivationID).")
            print("Make a new escrow copy now: medlocal key export --passphrase-file FILE -o ESCROW")
        }
    }
}

/// `medlocal key export`: a passphrase-wrapped escrow copy.
struct KeyExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a passphrase-wrapped escrow copy of the key ring (scrypt + AES-256-GCM) to keep away from this machine."
    )

    @OptionGroup var keyOptions: KeyOptions
    @Option(name: .customLong("passphrase-file"), help: "A file whose first line is the passphrase (at least 12 characters).")
    var passphraseFile: String
    @Option(name: .shortAndLong, help: "The escrow file to write (mode 0600; never overwritten).")
    var output: String

    func run() throws {
        try Failure.guarding {
            let key = try ProjectKey.load(from: keyOptions.path)
            let passphrase = try KeyEscrow.passphrase(fromFile: passphraseFile)
            let escrow = try KeyEscrow.export(key, passphrase: passphrase)
            try OutputFiles.writeNew(escrow, to: output, mode: 0o600)
            print("Wrote an escrow copy of \(key.entries.count) key(s) (\(key.entries.map(\.id).joined(separator: ", "))) to \(output). Store it and the passphrase apart, off this machine.")
        }
    }
}

/// `medlocal key import`: an escrow copy back into a key file.
struct KeyImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Recover the key ring from an escrow copy into a key file (mode 0600).")

    @Argument(help: "An escrow file written by `medlocal key export`.") var input: String
    @Option(name: .customLong("passphrase-file"), help: "A file whose first line is the passphrase.") var passphraseFile: String
    @Option(name: .shortAndLong, help: "The key file to write (default: $MEDLOCAL_KEY_FILE or var/key).") var output: String?
    @Flag(help: "Replace an existing key file.") var force = false

    func run() throws {
        try Failure.guarding {
            guard let data = FileManager.default.contents(atPath: input) else { throw KeyError(.unreadable, "\(input): cannot be read") }
            let passphrase = try KeyEscrow.passphrase(fromFile: passphraseFile)
            let key = try KeyEscrow.importKey(data, passphrase: passphrase, source: input)
            let path = DataLocations.keyFile(output)
            try key.write(to: path, overwrite: force)
            print("Imported \(key.entries.count) key(s) into \(path) (mode 0600).")
            print(KeyRingSummary(key).lines.joined(separator: "\n"))
        }
    }
}

/// What `key show` and `key import` print about a ring: ids, roles and creation times.
struct KeyRingSummary {
    let lines: [String]

    init(_ key: ProjectKey) {
        var lines = ["active key (encrypts new data): \(key.id)", "derivation key (pseudonyms, shifts, digests, signatures): \(key.derivationID)"]
        for entry in key.entries {
            var roles: [String] = []
            if entry.id == key.id { roles.append("active") }
            if entry.id == key.derivationID { roles.append("derivation") }
            if roles.isEmpty { roles.append("retired: decrypts older data") }
            lines.append("  \(entry.id)  created \(entry.created ?? "unknown")  \(roles.joined(separator: ", "))")
        }
        self.lines = lines
    }
}
