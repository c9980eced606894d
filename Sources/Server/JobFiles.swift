import Foundation

/// Where a job's files live: `<data>/blobs/<job id>/` holds the upload as `input<.ext>` and the outputs under
/// `out/`. Job ids are server-made UUIDs, and output names are checked against the job's list, so no request can
/// name a path outside a job's folder.
struct JobFiles: Sendable {
    let root: String

    init(dataDirectory: String) {
        root = (dataDirectory as NSString).appendingPathComponent("blobs")
    }

    func folder(_ id: String) -> String { (root as NSString).appendingPathComponent(id) }
    func outputs(_ id: String) -> String { (folder(id) as NSString).appendingPathComponent("out") }
    func output(_ id: String, _ name: String) -> String { (outputs(id) as NSString).appendingPathComponent(name) }

    /// The stored upload: `input` plus the original name's extension, when it is a plain one (the readers tell
    /// formats by content; the extension only helps a person looking at the folder).
    func input(_ id: String, originalName: String) -> String {
        let ext = (originalName as NSString).pathExtension.lowercased()
        let safe = !ext.isEmpty && ext.count <= 5 && ext.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        return (folder(id) as NSString).appendingPathComponent(safe ? "input.\(ext)" : "input")
    }

    /// The stored upload of a job, if it is still there.
    func storedInput(_ id: String) -> String? {
        guard let name = try? FileManager.default.contentsOfDirectory(atPath: folder(id)).first(where: { $0.hasPrefix("input") }) else { return nil }
        return (folder(id) as NSString).appendingPathComponent(name)
    }

    /// A temporary upload file in the blob folder (same file system as its final place, so the move is a rename).
    func temporaryUpload() throws -> String {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        return (root as NSString).appendingPathComponent(".upload-\(UUID().uuidString.lowercased())")
    }

    /// Removes a job's input and outputs.
    func remove(_ id: String) {
        try? FileManager.default.removeItem(atPath: folder(id))
    }

    /// Uploads left behind by a crash mid-request.
    func removeStaleUploads() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return }
        for name in names where name.hasPrefix(".upload-") {
            try? FileManager.default.removeItem(atPath: (root as NSString).appendingPathComponent(name))
        }
    }
}
