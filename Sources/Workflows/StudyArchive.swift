public import Foundation
import ZIPFoundation

/// A DICOM study uploaded as a ZIP file: checked before anything is queued (entry count, the sizes its directory
/// declares, the expansion ratio), expanded with the same limits enforced on the bytes actually inflated — a
/// directory can lie — and the de-identified files packed into a ZIP again.
///
/// - Important: Messages name the archive and the limit, never an entry's content.
public enum StudyArchive {
    public struct Limits: Sendable {
        public var maximumEntries = 20_000
        /// The most the whole archive may expand to.
        public var maximumExpandedBytes: Int64 = 4 << 30
        /// Expanded size over archive size; DICOM compresses 2–10×, a zip bomb 1,000× and more.
        public var maximumRatio = 100

        public init() {}
    }

    /// What the archive's directory claims.
    public struct Summary: Sendable, Equatable {
        public var files: Int
        public var expandedBytes: Int64
    }

    /// Whether the file starts like a ZIP archive (a local file header, or the end record of an empty one).
    public static func isZIP(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let magic = [UInt8](handle.readData(ofLength: 4))
        return magic == [0x50, 0x4B, 0x03, 0x04] || magic == [0x50, 0x4B, 0x05, 0x06]
    }

    /// Checks the archive's directory against `limits` without inflating anything.
    /// - Throws: ``InputError`` `.tooLarge` over a limit, `.unreadable` for a damaged archive or an entry whose
    ///   path leaves the archive (absolute, or with `..`).
    public static func inspect(_ path: String, displayName: String, limits: Limits = Limits()) throws(InputError) -> Summary {
        let archive = try open(path, displayName)
        let archiveBytes = max(Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0), 1)
        var files = 0, declared: Int64 = 0, entries = 0
        for entry in archive {
            entries += 1
            guard entries <= limits.maximumEntries else {
                throw InputError(.tooLarge, "\(displayName): the archive has more than \(limits.maximumEntries) entries.")
            }
            guard entry.type == .file else { continue }
            _ = try relativePath(entry.path, displayName)
            files += 1
            declared += Int64(clamping: entry.uncompressedSize)
        }
        guard declared <= limits.maximumExpandedBytes else {
            throw InputError(.tooLarge, "\(displayName): the archive expands to \(declared >> 20) MiB; the limit is \(limits.maximumExpandedBytes >> 20) MiB.")
        }
        guard declared / archiveBytes <= Int64(limits.maximumRatio) else {
            throw InputError(.tooLarge, "\(displayName): the archive expands \(declared / archiveBytes)× its size; more than \(limits.maximumRatio)× is refused as a possible zip bomb.")
        }
        return Summary(files: files, expandedBytes: declared)
    }

    /// Expands every regular file into `folder` under its path in the archive (symbolic links and folders are not
    /// followed or made); returns the relative paths, sorted.
    /// - Throws: ``InputError`` as ``inspect(_:displayName:limits:)``, and when the inflated bytes pass the
    ///   declared size or the limits.
    public static func expand(_ path: String, displayName: String, into folder: String, limits: Limits = Limits()) throws(InputError) -> [String] {
        _ = try inspect(path, displayName: displayName, limits: limits)
        let archive = try open(path, displayName)
        let archiveBytes = max(Int64((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0), 1)
        let budget = min(limits.maximumExpandedBytes, archiveBytes * Int64(limits.maximumRatio))
        var expanded: Int64 = 0
        var written: [String] = []
        for entry in archive where entry.type == .file {
            let relative = try relativePath(entry.path, displayName)
            let target = (folder as NSString).appendingPathComponent(relative)
            let declared = Int64(clamping: entry.uncompressedSize)
            var entryBytes: Int64 = 0
            var overflow = false
            do {
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: target, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: target))
                defer { try? handle.close() }
                _ = try archive.extract(entry, skipCRC32: false) { chunk in
                    entryBytes += Int64(chunk.count)
                    if entryBytes > declared || expanded + entryBytes > budget {
                        overflow = true
                        throw CocoaError(.fileReadTooLarge)
                    }
                    try handle.write(contentsOf: chunk)
                }
            } catch {
                if overflow {
                    throw InputError(.tooLarge, "\(displayName): \(relative) inflates beyond what the archive declares or allows; refusing a possible zip bomb.")
                }
                throw InputError(.unreadable, "\(displayName): \(relative) cannot be expanded (damaged archive or no room to write).")
            }
            expanded += entryBytes
            written.append(relative)
        }
        return written.sorted()
    }

    /// Packs `files` (relative to `folder`) into a new ZIP at `path`, written under a temporary name and renamed.
    public static func pack(_ files: [String], from folder: String, to path: String) throws {
        try AtomicFile.write(to: path) { temporary in
            let archive = try Archive(url: URL(fileURLWithPath: temporary), accessMode: .create)
            let base = URL(fileURLWithPath: folder)
            for file in files {
                try archive.addEntry(with: file, relativeTo: base, compressionMethod: .deflate)
            }
        }
    }

    private static func open(_ path: String, _ displayName: String) throws(InputError) -> Archive {
        do {
            return try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw InputError(.unreadable, "\(displayName): not a readable ZIP archive.")
        }
    }

    /// The entry's path when it stays inside the archive's folder.
    private static func relativePath(_ path: String, _ displayName: String) throws(InputError) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !path.hasPrefix("/"), !path.contains("\\"), !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." }) else {
            throw InputError(.unreadable, "\(displayName): an entry's path leaves the archive (absolute or with '..'); refusing it.")
        }
        return parts.joined(separator: "/")
    }
}
