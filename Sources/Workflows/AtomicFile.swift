import Foundation

/// Writes a file through a temporary name in the same folder and renames it into place, so a killed run never
/// leaves a partial output under the final name.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw InputError(.unreadable, "\(path): cannot write (check that the folder is writable).")
        }
        guard rename(temporary, path) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw InputError(.unreadable, "\(path): cannot move the finished output into place.")
        }
    }
}
