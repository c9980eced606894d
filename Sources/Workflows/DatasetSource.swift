import Foundation

/// A dataset given as a folder or as a ZIP of one (`DATASET/<class>/<image>`, or the same inside one top folder).
/// A ZIP is expanded with the study-archive limits (entry count, expanded size, ratio, paths that leave it) into
/// a private temporary folder that is removed afterwards.
struct DatasetSource {
    let folder: URL
    private let temporary: URL?

    init(_ path: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw InputError(.unreadable, "\(path): no such dataset folder or ZIP")
        }
        guard !isFolder.boolValue else {
            (folder, temporary) = (URL(fileURLWithPath: path), nil)
            return
        }
        guard StudyArchive.isZIP(path) else {
            throw InputError(.unreadable, "\(path): a dataset is a folder with one sub-folder per class, or a ZIP of one")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("medlocal-dataset-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        do {
            _ = try StudyArchive.expand(path, displayName: (path as NSString).lastPathComponent, into: scratch.path)
        } catch {
            try? FileManager.default.removeItem(at: scratch)
            throw error
        }
        // Zipping a folder usually keeps its name as the one top entry: the classes are one level down then.
        let top = ((try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []).filter { !$0.hasPrefix(".") && $0 != "__MACOSX" }
        var single: ObjCBool = false
        if top.count == 1, FileManager.default.fileExists(atPath: scratch.appendingPathComponent(top[0]).path, isDirectory: &single), single.boolValue,
           let inner = try? FileManager.default.contentsOfDirectory(atPath: scratch.appendingPathComponent(top[0]).path),
           inner.contains(where: { name in
               var sub: ObjCBool = false
               return FileManager.default.fileExists(atPath: scratch.appendingPathComponent("\(top[0])/\(name)").path, isDirectory: &sub) && sub.boolValue
           }) {
            folder = scratch.appendingPathComponent(top[0])
        } else {
            folder = scratch
        }
        temporary = scratch
    }

    /// Removes the expanded copy of a ZIP (nothing for a folder).
    func close() {
        if let temporary { try? FileManager.default.removeItem(at: temporary) }
    }
}
