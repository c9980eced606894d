public import Foundation

/// Writes a file through a temporary name in the same folder and renames it into place, so a killed run never
/// leaves a partial output under the final name. (Plain POSIX calls: Foundation's own atomic write would add a
/// second temporary file and rename for every output.)
public enum AtomicFile {
    /// - Parameter createFolders: create missing parent folders (batch outputs mirror their inputs' folders).
    /// - Throws: ``InputError`` with code `unwritable`, naming the path.
    public static func write(_ data: Data, to path: String, createFolders: Bool = true) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if createFolders, !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let temporary = temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else {
            throw InputError(.unwritable, "\(path): cannot write (check that the folder is writable).")
        }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let count = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if count <= 0 { return false }
                offset += count
            }
            return true
        }
        close(descriptor)
        guard written, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw InputError(.unwritable, "\(path): cannot write the output (disk full or folder not writable?).")
        }
    }

    /// Lets `produce` write a file at a temporary path in the same folder (a library that writes files itself,
    /// such as MuPDF's PDF writer), then renames it to `path`; the temporary file never outlives the call.
    public static func write(to path: String, _ produce: (_ temporary: String) throws -> Void) throws {
        let temporary = temporaryPath(for: path)
        defer { unlink(temporary) }
        try produce(temporary)
        guard rename(temporary, path) == 0 else {
            throw InputError(.unwritable, "\(path): cannot write the output (disk full or folder not writable?).")
        }
    }

    private static func temporaryPath(for path: String) -> String {
        path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }
}
