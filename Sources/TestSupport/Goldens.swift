import Foundation

/// Golden files: `Tests/<Target>/Goldens/<name>`. With `RECORD_GOLDENS=1` the file is rewritten and the check
/// fails on purpose, so a new baseline is always reviewed before it is trusted.
public enum Goldens {
    public struct Mismatch: Error, CustomStringConvertible {
        public var description: String
    }

    /// Compares `actual` with the golden file, or records it.
    ///
    /// - Parameters:
    ///   - folder: the test target's folder under `Tests/` (for example `DocumentsTests`).
    ///   - name: the golden's file name.
    public static func check(_ actual: String, folder: String, name: String) throws {
        let url = Fixtures.repositoryRoot.appendingPathComponent("Tests/\(folder)/Goldens/\(name)")
        if ProcessInfo.processInfo.environment["RECORD_GOLDENS"] == "1" {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            throw Mismatch(description: "recorded \(name); review it and run again without RECORD_GOLDENS")
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            throw Mismatch(description: "no golden \(name); run with RECORD_GOLDENS=1 to record it")
        }
        guard expected == actual else {
            let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(expectedLines.count, actualLines.count)
            throw Mismatch(description: "\(name) differs from its golden at line \(first + 1)")
        }
    }
}
