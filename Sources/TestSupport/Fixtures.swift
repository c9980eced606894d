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

    /// `../shared` beside the repository (CI clones it there).
    public static var shared: URL { repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared") }

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
