import Anonymization
import Crypto
import Foundation
import HTTPTypes
import Workflows

/// Where a job's files live: `<data>/blobs/<job id>/` holds the upload as `input<.ext>` and the outputs under
/// `out/`. Job ids are server-made UUIDs, and output names are checked against the job's list, so no request can
/// name a path outside a job's folder.
///
/// With ``AtRest`` (`serve --encrypt-at-rest`) every stored upload and output is a ``SealedFile`` under the project
/// key's at-rest subkey, and plaintext exists only in a RAM folder while a request or a job works on it: uploads
/// arrive there, a job opens its input there and writes its outputs there, and they are sealed into the blob
/// folder when it succeeds. Without it the work space is the blob folder itself, and nothing is copied.
struct JobFiles: Sendable {
    struct AtRest: Sendable {
        let keys: PurposeKeys
        /// A folder on a RAM file system (tmpfs, `/dev/shm` by default), mode 0700.
        let workRoot: String
    }

    let root: String
    let atRest: AtRest?

    init(dataDirectory: String, atRest: AtRest? = nil) {
        root = (dataDirectory as NSString).appendingPathComponent("blobs")
        self.atRest = atRest
    }

    func folder(_ id: String) -> String { (root as NSString).appendingPathComponent(id) }
    func outputs(_ id: String) -> String { (folder(id) as NSString).appendingPathComponent("out") }
    func output(_ id: String, _ name: String) -> String { (outputs(id) as NSString).appendingPathComponent(name) }

    /// Where a job's plaintext lives while it runs.
    func workspace(_ id: String) -> String {
        guard let atRest else { return folder(id) }
        return (atRest.workRoot as NSString).appendingPathComponent(id)
    }
    func workOutputs(_ id: String) -> String { (workspace(id) as NSString).appendingPathComponent("out") }
    func workOutput(_ id: String, _ name: String) -> String { (workOutputs(id) as NSString).appendingPathComponent(name) }

    /// The stored upload: `input` plus the original name's extension, when it is a plain one (the readers tell
    /// formats by content; the extension only helps a person looking at the folder).
    func input(_ id: String, originalName: String) -> String {
        let ext = (originalName as NSString).pathExtension.lowercased()
        let safe = !ext.isEmpty && ext.count <= 5 && ext.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return (folder(id) as NSString).appendingPathComponent(safe ? "input.\(ext)" : "input")
    }

    /// The stored upload of a job, if it is still there (sealed when encrypted at rest).
    func storedInput(_ id: String) -> String? {
        guard let name = try? FileManager.default.contentsOfDirectory(atPath: folder(id)).first(where: { $0.hasPrefix("input") }) else { return nil }
        return (folder(id) as NSString).appendingPathComponent(name)
    }

    /// Keeps a received upload as the job's input: sealed from the RAM folder, or moved into place.
    func store(upload path: String, job id: String, originalName: String) throws {
        try FileManager.default.createDirectory(atPath: folder(id), withIntermediateDirectories: true)
        let destination = input(id, originalName: originalName)
        if let atRest {
            try SealedFile.seal(file: path, to: destination, keys: atRest.keys)
            try? FileManager.default.removeItem(atPath: path)
        } else {
            try FileManager.default.moveItem(atPath: path, toPath: destination)
        }
    }

    /// The job's input as a plaintext file a reader can open: opened into the workspace when sealed.
    func plaintextInput(_ id: String) throws -> String? {
        guard let stored = storedInput(id) else { return nil }
        guard let atRest, SealedFile.isSealed(stored) else {   // plaintext from before encryption was turned on stays readable
            if SealedFile.isSealed(stored) { throw JobFailure(reason: Self.sealedWithoutKey) }
            return stored
        }
        try makeWorkspace(id)
        let plain = (workspace(id) as NSString).appendingPathComponent((stored as NSString).lastPathComponent)
        try? FileManager.default.removeItem(atPath: plain)
        try SealedFile.unseal(stored, to: plain, keys: atRest.keys)
        return plain
    }

    /// Makes the job's outputs final: each file of the workspace's `out/` sealed into the blob folder, then the
    /// workspace removed. Without encryption the outputs are in place already.
    func keepOutputs(_ id: String) throws {
        guard let atRest else { return }
        let source = workOutputs(id)
        let walker = FileManager.default.enumerator(atPath: source)
        while let relative = walker?.nextObject() as? String {
            let plain = (source as NSString).appendingPathComponent(relative)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: plain, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let sealed = output(id, relative)
            try FileManager.default.createDirectory(atPath: (sealed as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try SealedFile.seal(file: plain, to: sealed, keys: atRest.keys)
        }
        discardWorkspace(id)
    }

    /// Removes a job's plaintext (nothing without encryption: the workspace is the blob folder).
    func discardWorkspace(_ id: String) {
        guard atRest != nil else { return }
        try? FileManager.default.removeItem(atPath: workspace(id))
    }

    /// An output's bytes, opened when sealed; nil when it is no longer stored.
    func contents(_ id: String, output name: String) throws -> Data? {
        let path = output(id, name)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard SealedFile.isSealed(path) else { return FileManager.default.contents(atPath: path) }
        guard let atRest else { throw Problem(.internalServerError, "sealed", Self.sealedWithoutKey) }
        return try SealedFile.contents(path, keys: atRest.keys)
    }

    /// A temporary upload file, on the same file system as where it goes next (so a plain move is a rename).
    func temporaryUpload() throws -> String {
        let folder = atRest?.workRoot ?? root
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return (folder as NSString).appendingPathComponent(".upload-\(UUID().uuidString.lowercased())")
    }

    /// Removes a job's input and outputs.
    func remove(_ id: String) {
        try? FileManager.default.removeItem(atPath: folder(id))
        discardWorkspace(id)
    }

    /// Uploads left behind by a crash mid-request, and (encrypted) every workspace a crash left in RAM.
    func removeStaleUploads() {
        if let atRest, let names = try? FileManager.default.contentsOfDirectory(atPath: atRest.workRoot) {
            for name in names { try? FileManager.default.removeItem(atPath: (atRest.workRoot as NSString).appendingPathComponent(name)) }
        }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        for name in names where name.hasPrefix(".upload-") {
            try? FileManager.default.removeItem(atPath: (root as NSString).appendingPathComponent(name))
        }
    }

    static let sealedWithoutKey = "the file is stored encrypted at rest; start the server with --encrypt-at-rest to read it"

    private func makeWorkspace(_ id: String) throws {
        try FileManager.default.createDirectory(atPath: workspace(id), withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }
}

/// Whether a folder is on a RAM file system, where plaintext never reaches a disk (swap aside: the README says so).
public enum RAMFolder {
    /// The type of the file system `path` is on — the longest mount point in /proc/mounts that contains it — is tmpfs.
    public static func isRAM(_ path: String) -> Bool {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8) else { return false }
        var best: (point: String, type: String)?
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let point = fields[1].replacingOccurrences(of: "\\040", with: " ")
            let inside = point == "/" || resolved == point || resolved.hasPrefix(point + "/")
            if inside, point.count >= (best?.point.count ?? -1) { best = (point, String(fields[2])) }
        }
        return best?.type == "tmpfs"
    }
}

/// A folder the server needs that it cannot use, named with what is wrong.
public struct StorageFolderError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
