public import Foundation
import Crypto

/// A folder with one sub-folder per class, the folder's name being the class (the patent's format), read,
/// validated and cleaned: every image decodes, no exact duplicates, nothing too small, enough images per class.
/// What was removed is reported, never silently dropped.
public struct LabelledDataset: Sendable {
    public struct Image: Sendable {
        public var relativePath: String
        public var label: Int
        public var sha256: String
        public var image: RGBImage
    }

    public struct Removal: Sendable, Equatable, Codable {
        public enum Reason: String, Sendable, Codable { case unreadable, duplicate, tooSmall = "too_small", conflictingLabels = "conflicting_labels" }
        public var path: String
        public var reason: Reason
        public var detail: String
    }

    public struct Rules: Sendable {
        public var minimumSide = 16
        public var minimumPerClass = 10
        public var maximumFileBytes = 64 << 20
        public init() {}
    }

    public let classes: [String]
    public let images: [Image]
    public let removed: [Removal]
    /// SHA-256 over the sorted (class, image hash) pairs kept: the same images give the same hash, however named.
    public let sha256: String

    public var counts: [Int] { classes.indices.map { label in images.filter { $0.label == label }.count } }

    /// Largest class over smallest: 1 is balanced.
    public var imbalance: Double { Double(counts.max() ?? 0) / Double(max(1, counts.min() ?? 0)) }

    /// n / (k · count): each class's errors weigh as if the classes were balanced (mean weight 1).
    public var classWeights: [Double] {
        let total = Double(images.count), k = Double(classes.count)
        return counts.map { total / (k * Double(max(1, $0))) }
    }

    /// Reads `folder`. Files starting with a dot are ignored (editor and OS litter); everything else must be an image.
    ///
    /// - Throws: ``DatasetError`` when the folder is not a dataset: missing, fewer than two classes, or a class
    ///   with too few usable images.
    public init(folder: URL, decoder: any ColorImageDecoder, rules: Rules = Rules()) throws {
        let files = FileManager.default
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw DatasetError("\(folder.path) is not a folder (a dataset is a folder with one sub-folder per class)")
        }
        let classNames = try files.contentsOfDirectory(atPath: folder.path).filter { name in
            var sub: ObjCBool = false
            return !name.hasPrefix(".") && files.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &sub) && sub.boolValue
        }.sorted()
        guard classNames.count >= 2 else {
            throw DatasetError("\(folder.path) has \(classNames.count) class folder(s); a classifier needs at least two (one sub-folder per class)")
        }
        var candidates: [Image] = [], removed: [Removal] = []
        for (label, name) in classNames.enumerated() {
            let entries = try files.contentsOfDirectory(atPath: folder.appendingPathComponent(name).path).filter { !$0.hasPrefix(".") }.sorted()
            for entry in entries {
                let relative = "\(name)/\(entry)"
                do {
                    let (hash, rgb) = try Self.read(folder.appendingPathComponent(relative), decoder: decoder, rules: rules)
                    guard min(rgb.width, rgb.height) >= rules.minimumSide else {
                        removed.append(Removal(path: relative, reason: .tooSmall, detail: "\(rgb.width) × \(rgb.height) pixels, under \(rules.minimumSide) on a side"))
                        continue
                    }
                    candidates.append(Image(relativePath: relative, label: label, sha256: hash, image: rgb))
                } catch let error as ImageFileError {
                    removed.append(Removal(path: relative, reason: .unreadable, detail: error.description))
                }
            }
        }
        // Exact copies: the first is kept. An image filed under two classes teaches nothing, so every copy goes.
        let copies = Dictionary(grouping: candidates.indices, by: { candidates[$0].sha256 })
        var kept: [Image] = []
        for (index, image) in candidates.enumerated() {
            let group = copies[image.sha256]!
            if Set(group.map { candidates[$0].label }).count > 1 {
                let others = group.filter { $0 != index }.map { candidates[$0].relativePath }.joined(separator: ", ")
                removed.append(Removal(path: image.relativePath, reason: .conflictingLabels, detail: "the same image is filed under another class too (\(others))"))
            } else if group[0] != index {
                removed.append(Removal(path: image.relativePath, reason: .duplicate, detail: "the same bytes as \(candidates[group[0]].relativePath)"))
            } else {
                kept.append(image)
            }
        }
        for (label, name) in classNames.enumerated() {
            let count = kept.filter { $0.label == label }.count
            guard count >= rules.minimumPerClass else {
                throw DatasetError("class \"\(name)\" has \(count) usable image(s); at least \(rules.minimumPerClass) are needed to train and validate")
            }
        }
        classes = classNames
        images = kept
        self.removed = removed
        var digest = SHA256()
        for pair in kept.map({ "\(classNames[$0.label])\t\($0.sha256)\n" }).sorted() { digest.update(data: Data(pair.utf8)) }
        sha256 = hexString(digest.finalize())
    }

    private static func read(_ url: URL, decoder: any ColorImageDecoder, rules: Rules) throws -> (hash: String, rgb: RGBImage) {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? 0
        guard size <= rules.maximumFileBytes else { throw ImageFileError("\(size >> 20) MiB, more than the \(rules.maximumFileBytes >> 20) MiB an image may be") }
        guard let data = FileManager.default.contents(atPath: url.path) else { throw ImageFileError("cannot be read") }
        let bytes = [UInt8](data)
        let hash = sha256Hex(data)
        return (hash, try decoder.decodeColor(bytes))
    }

    /// Stratified folds for cross-validation: each class shuffled (seeded) and dealt round-robin, so every fold holds
    /// about 1/count of each class. Fewer folds when a class has fewer images than `count`.
    public func folds(count: Int, seed: UInt64) -> [[Int]] {
        let smallest = classes.indices.map { label in images.filter { $0.label == label }.count }.min() ?? 0
        let k = max(2, min(count, smallest))
        var generator = SplitMix64(seed: seed)
        var folds = [[Int]](repeating: [], count: k), dealt = 0
        for label in classes.indices {
            var members = images.indices.filter { images[$0].label == label }
            members.shuffle(using: &generator)
            for member in members {
                folds[dealt % k].append(member)
                dealt += 1
            }
        }
        return folds.map { $0.sorted() }
    }
}

/// A folder that cannot be trained on, and why.
public struct DatasetError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
