import Anonymization
import ArgumentParser
import Foundation
import Workflows

/// `medlocal backup OUT`: a consistent, sealed copy of the data folder, taken while the server runs.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the data folder into a new folder, every file sealed with the project key, with a manifest of hashes.",
        discussion: """
        Safe while `medlocal serve` runs: the database is copied with SQLite's online backup. The project key is not
        in the backup and is needed to restore it — keep an escrow copy of the key apart from the backups.
        """
    )

    @Argument(help: "The backup folder to create (must not exist).") var output: String
    @Option(name: .customLong("data-dir"), help: "The data folder (default: $MEDLOCAL_DATA_DIR or var).") var dataDirectory: String?
    @OptionGroup var keyOptions: KeyOptions

    func run() throws {
        let data = DataLocations.dataDirectory(dataDirectory)
        try Failure.guarding {
            guard FileManager.default.fileExists(atPath: data) else { throw InputError(.unreadable, "\(data): no such data folder") }
            guard let snapshot = Stores.current.snapshotDatabase else { throw InputError(.unreadable, "this build has no database snapshot wired in") }
            let key = try ProjectKey.load(from: keyOptions.path)
            let manifest = try DataBackup.write(dataDirectory: data, to: output, keys: key.keys(for: .backup), keyPath: keyOptions.path) {
                try snapshot(data, $0)
            }
            let bytes = manifest.files.reduce(0) { $0 + $1.size }
            print("Backed up \(manifest.files.count) files (\(ByteCountFormatter.string(fromByteCount: Int64(bytes), countStyle: .file))) of \(data) into \(output); restore with: medlocal restore-backup \(output) --data-dir NEW")
        }
    }
}

/// `medlocal restore-backup IN --data-dir NEW`.
struct RestoreBackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore-backup",
        abstract: "Restore a backup into a new or empty data folder, checking every file against its manifest."
    )

    @Argument(help: "A folder written by `medlocal backup`.") var input: String
    @Option(name: .customLong("data-dir"), help: "The data folder to restore into (new or empty).") var dataDirectory: String
    @OptionGroup var keyOptions: KeyOptions

    func run() throws {
        try Failure.guarding {
            let key = try ProjectKey.load(from: keyOptions.path)
            let manifest = try DataBackup.restore(from: input, into: dataDirectory, keys: key.keys(for: .backup))
            print("Restored \(manifest.files.count) files from the backup of \(manifest.created) into \(dataDirectory); check it with: medlocal audit verify --data-dir \(dataDirectory)")
        }
    }
}
