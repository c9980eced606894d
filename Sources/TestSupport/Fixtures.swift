public import Foundation

/// Locations of shared development material for tests (never read by the product at run time).
public enum Fixtures {
    /// The repository root (the folder holding Package.swift), found from this source file.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The shared development material: `$MEDLOCAL_SHARED`, else `../shared` beside the repository (where CI puts
    /// it), else `../shared` beside the repository this one was cloned from (a local fresh clone in a temp folder).
    public static let shared: URL = {
        var candidates: [URL] = []
        if let path = ProcessInfo.processInfo.environment["MEDLOCAL_SHARED"] { candidates.append(URL(fileURLWithPath: path)) }
        candidates.append(repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared"))
        if let origin = localOrigin { candidates.append(origin.deletingLastPathComponent().appendingPathComponent("shared")) }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("corpora").path) } ?? candidates[0]
    }()

    /// The `origin` remote when it is a folder on this machine (read from `.git/config`).
    private static var localOrigin: URL? {
        guard let config = try? String(contentsOf: repositoryRoot.appendingPathComponent(".git/config"), encoding: .utf8) else { return nil }
        for line in config.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == "url", parts[1].hasPrefix("/") { return URL(fileURLWithPath: parts[1]).standardizedFileURL }
        }
        return nil
    }

    /// The annotated PHI development corpus.
    public static var phiDevCorpus: URL { shared.appendingPathComponent("corpora/phi-dev/dev.jsonl") }

    /// The built `medlocal` executable next to the test bundle.
    public static var medlocalBinary: URL {
        repositoryRoot.appendingPathComponent(".build/debug/medlocal")
    }

    /// A fresh temporary folder, removed by the caller.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medlocal-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A fresh temporary folder that is removed, with everything in it, when the last reference to it goes. A suite
/// keeps one as a property: Swift Testing makes a suite instance per test, so each test's files go when it ends.
public final class ScratchFolder: Sendable {
    public let url: URL
    public var path: String { url.path }

    /// Creates the folder; a failure shows as an error naming it at the first write.
    public init(prefix: String = "medlocal-test") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}
