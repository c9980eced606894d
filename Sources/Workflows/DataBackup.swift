import Audit
public import Anonymization
import Crypto
import Foundation

/// `medlocal backup OUT` and `medlocal restore-backup IN`: a data folder copied while the server runs, every file
/// sealed (``SealedFile``) under the project key's backup subkey, with a sealed manifest of each file's size and
/// SHA-256. The database is SQLite's online backup, taken first; blobs, policies, audit anchors and the webhook
/// outbox are copied after it, so every job row the snapshot holds has its files (a job deleted in between is the
/// exception, and then its row's files are missing, which restore reports). The project key is never in a
/// backup: without it a backup cannot be opened, so keep the key's escrow copy apart from the backups.
public enum DataBackup {
    public static let manifestName = "manifest.sealed"
    static let databaseName = "medlocal.sqlite"

    public struct Manifest: Codable, Sendable {
        public struct Entry: Codable, Sendable {
            public var path: String
            public var size: Int
            public var sha256: String
        }
        public var format = 1
        public var created: String
        public var files: [Entry]
    }

    /// What is copied besides the database: not the key, not SQLite's own files, not uploads still arriving.
    static func isCopied(_ relative: String, keyPath: String?) -> Bool {
        let name = (relative as NSString).lastPathComponent
        if relative == keyPath || name == "key" && !relative.contains("/") { return false }
        if relative.hasPrefix(databaseName) || name.hasPrefix(".upload-") || name.contains(".tmp-") || name.contains(".sealing-") { return false }
        return true
    }

    /// Writes a backup of `dataDirectory` into the new folder `output`.
    /// - Parameters:
    ///   - snapshot: writes a consistent copy of the database to the path it is given.
    ///   - keyPath: the project key file, left out when it is inside the data folder.
    /// - Returns: the manifest written.
    public static func write(dataDirectory: String, to output: String, keys: PurposeKeys, keyPath: String?,
                             snapshot: (String) throws -> Void) throws -> Manifest {
        let manager = FileManager.default
        guard !manager.fileExists(atPath: output) else { throw InputError(.unreadable, "\(output): exists already; a backup goes into a new folder") }
        try manager.createDirectory(atPath: output, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var entries: [Manifest.Entry] = []
        func add(_ plain: String, as relative: String) throws {
            let sealed = ((output as NSString).appendingPathComponent("files") as NSString).appendingPathComponent(relative)
            try manager.createDirectory(atPath: (sealed as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: 0o700])
            let (size, digest) = try Self.digest(plain)
            try SealedFile.seal(file: plain, to: sealed, keys: keys)
            entries.append(.init(path: relative, size: size, sha256: digest))
        }
        // The database first, through a copy in the backup folder that is sealed and removed at once.
        let copy = (output as NSString).appendingPathComponent(".database-snapshot")
        defer { try? manager.removeItem(atPath: copy) }
        try snapshot(copy)
        try add(copy, as: databaseName)
        try? manager.removeItem(atPath: copy)

        let root = URL(fileURLWithPath: dataDirectory).standardizedFileURL.path
        let relativeKey = keyPath.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
            .flatMap { $0.hasPrefix(root + "/") ? String($0.dropFirst(root.count + 1)) : nil }
        let walker = manager.enumerator(atPath: root)
        while let relative = walker?.nextObject() as? String {
            let path = (root as NSString).appendingPathComponent(relative)
            var isFolder: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue, isCopied(relative, keyPath: relativeKey) else { continue }
            guard manager.isReadableFile(atPath: path) else { continue }
            try add(path, as: relative)
        }
        let manifest = Manifest(created: Date().formatted(Date.ISO8601FormatStyle()), files: entries.sorted { $0.path < $1.path })
        let plainManifest = (output as NSString).appendingPathComponent(".manifest")
        defer { try? manager.removeItem(atPath: plainManifest) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try AtomicFile.write(try encoder.encode(manifest), to: plainManifest)
        try SealedFile.seal(file: plainManifest, to: (output as NSString).appendingPathComponent(manifestName), keys: keys)
        return manifest
    }

    /// Restores the backup in `input` into `dataDirectory`, which must be new or empty; each file is checked
    /// against the manifest before the restore counts as done.
    /// - Throws: ``InputError`` naming the file that is missing, altered or sealed under another key.
    public static func restore(from input: String, into dataDirectory: String, keys: PurposeKeys) throws -> Manifest {
        let manager = FileManager.default
        if let existing = try? manager.contentsOfDirectory(atPath: dataDirectory), !existing.isEmpty {
            throw InputError(.unreadable, "\(dataDirectory): not empty; restore into a new or empty data folder")
        }
        let manifestPath = (input as NSString).appendingPathComponent(manifestName)
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: try SealedFile.contents(manifestPath, keys: keys))
        } catch let error as SealedFileError {
            throw InputError(.unreadable, "\(error.description) — is this a MedLocal backup, and the key the one it was made with?")
        }
        try manager.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for entry in manifest.files {
            guard !entry.path.hasPrefix("/"), !entry.path.split(separator: "/").contains("..") else {
                throw InputError(.unreadable, "\(manifestPath): names a path outside the data folder")
            }
            let sealed = ((input as NSString).appendingPathComponent("files") as NSString).appendingPathComponent(entry.path)
            let destination = (dataDirectory as NSString).appendingPathComponent(entry.path)
            try manager.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: 0o700])
            guard manager.fileExists(atPath: sealed) else { throw InputError(.unreadable, "\(sealed): missing from the backup") }
            do {
                try SealedFile.unseal(sealed, to: destination, keys: keys)
            } catch let error as SealedFileError {
                throw InputError(.unreadable, error.description)
            }
            let (size, digest) = try Self.digest(destination)
            guard size == entry.size, digest == entry.sha256 else { throw InputError(.unreadable, "\(sealed): does not match the manifest") }
        }
        return manifest
    }

    private static func digest(_ path: String) throws -> (Int, String) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw InputError(.unreadable, "\(path): cannot be read") }
        defer { try? handle.close() }
        var hasher = SHA256()
        var size = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
            size += chunk.count
        }
        return (size, hex(hasher.finalize()))
    }
}
