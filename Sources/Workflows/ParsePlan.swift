import Foundation

/// Which files a `parse` run reads and where each one's outputs go: folders are walked recursively and keep their
/// relative sub-folders under the output folder; `<stem>` is the file name without its last extension, unless two
/// inputs in one folder share a stem (`a.pdf`, `a.docx`), which then keep their extension (`a.pdf.md`).
public struct ParsePlan: Sendable {
    public struct Item: Sendable {
        /// The input's path as given or found.
        public var input: String
        /// Output path without suffix: OUTDIR/<relative folder>/<stem>.
        public var outputBase: String
    }

    public var items: [Item]
    /// Stems that collided and kept their extension (warned about by the shell).
    public var collisions: [String]

    /// File extensions picked up when walking folders.
    public static let documentExtensions: Set<String> = ["pdf", "docx"]

    /// - Throws: ``InputError`` for an input that does not exist.
    public init(inputs: [String], outputFolder: String) throws {
        var found: [(path: String, relativeFolder: String)] = []
        for input in inputs {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                throw InputError(.unreadable, "\(input): no such file or folder.")
            }
            if isDirectory.boolValue {
                found += Self.walk(input)
            } else {
                found.append((input, ""))
            }
        }
        var byFolderStem: [String: Int] = [:]
        for file in found {
            let stem = ((file.path as NSString).lastPathComponent as NSString).deletingPathExtension
            byFolderStem[file.relativeFolder + "/" + stem, default: 0] += 1
        }
        var collisions: [String] = []
        items = found.map { file in
            let name = (file.path as NSString).lastPathComponent
            let stem = (name as NSString).deletingPathExtension
            let collides = (byFolderStem[file.relativeFolder + "/" + stem] ?? 0) > 1
            if collides { collisions.append(file.path) }
            let folder = (outputFolder as NSString).appendingPathComponent(file.relativeFolder)
            return Item(input: file.path, outputBase: (folder as NSString).appendingPathComponent(collides ? name : stem))
        }
        self.collisions = collisions
    }

    private static func walk(_ root: String) -> [(path: String, relativeFolder: String)] {
        FolderWalk.files(under: root).filter { documentExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .map { ((root as NSString).appendingPathComponent($0), ($0 as NSString).deletingLastPathComponent) }
    }
}
