import Audit
import Crypto
public import Foundation

/// Watch-folder batch mode: documents dropped into `<root>/incoming` are parsed into `<root>/output/<name>/`, then
/// the input moves to `<root>/done` — or, when it cannot be read, to `<root>/failed` beside `<name>.error.txt`.
///
/// Nothing is lost or done twice, whenever the process is killed: outputs are written into a staging folder under
/// `<root>/.work` and renamed into place whole, with the SHA-256 of the input they came from; the input moves only
/// after that. A run that finds an input whose finished output is already there (killed between the two renames)
/// just moves it; staging left by a killed run is removed. Files are taken once they have not changed for
/// ``settleTime`` (still being copied otherwise); hidden files are ignored.
public struct FolderWatch: Sendable {
    public struct Outcome: Sendable, Equatable {
        public var done = 0
        public var failed = 0
        public init() {}
    }

    public let root: String
    public var conversion: DocumentConversion
    public var settleTime: TimeInterval = 1

    /// The file in each output folder naming the input it came from.
    public static let sourceMarker = ".medlocal-source.sha256"

    var incoming: String { path("incoming") }
    var output: String { path("output") }
    var done: String { path("done") }
    var failed: String { path("failed") }
    var staging: String { path(".work") }

    private func path(_ folder: String) -> String { (root as NSString).appendingPathComponent(folder) }

    /// Creates the folders when missing and clears staging left by a killed run.
    /// - Throws: ``InputError`` when the folders cannot be created.
    public init(root: String, conversion: DocumentConversion) throws {
        self.root = root
        self.conversion = conversion
        for folder in [incoming, output, done, failed, staging] {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw InputError(.unwritable, "\(folder): cannot create the watch folder (check permissions).")
            }
        }
        for leftover in (try? FileManager.default.contentsOfDirectory(atPath: staging)) ?? [] {
            try? FileManager.default.removeItem(atPath: (staging as NSString).appendingPathComponent(leftover))
        }
    }

    /// Handles every settled file in `incoming` once, oldest first; `report` hears one line per file.
    public func processPending(report: (String) -> Void = { _ in }) -> Outcome {
        var outcome = Outcome()
        for name in settledInputs() {
            switch process(name) {
            case .success(let line):
                outcome.done += 1
                report(line)
            case .failure(let failure):
                outcome.failed += 1
                report(failure.message)
            }
        }
        return outcome
    }

    /// Polls until `shouldStop` says so.
    public func run(every interval: TimeInterval = 1, shouldStop: () -> Bool, report: (String) -> Void = { _ in }) {
        while !shouldStop() {
            _ = processPending(report: report)
            var waited: TimeInterval = 0
            while waited < interval, !shouldStop() {
                Thread.sleep(forTimeInterval: 0.1)
                waited += 0.1
            }
        }
    }

    struct Failure: Error { var message: String }

    private func process(_ name: String) -> Result<String, Failure> {
        let input = (incoming as NSString).appendingPathComponent(name)
        guard let digest = Self.digest(of: input) else { return .failure(Failure(message: "\(name): cannot be read; left in incoming")) }
        // Killed after its output was in place: the input only has to move.
        if let existing = finishedOutput(for: name, digest: digest) {
            return move(input, name: name, to: done).map { "\(name): already in \(existing); moved to done" }
        }
        let stem = (name as NSString).deletingPathExtension
        let work = (staging as NSString).appendingPathComponent("\(name).\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let outputs: Int
        do {
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            let rendered = try conversion.convert(input, displayName: name, baseName: stem)
            outputs = rendered.count
            for output in rendered {
                try AtomicFile.write(output.data, to: (work as NSString).appendingPathComponent(stem + output.suffix))
            }
            try AtomicFile.write(Data((digest + "\n").utf8), to: (work as NSString).appendingPathComponent(Self.sourceMarker))
        } catch {
            try? FileManager.default.removeItem(atPath: work)
            return recordFailure(input, name: name, message: "\(error)")
        }
        let target = unusedName(for: name, in: output)
        guard rename(work, (output as NSString).appendingPathComponent(target)) == 0 else {
            try? FileManager.default.removeItem(atPath: work)
            return .failure(Failure(message: "\(name): cannot move its outputs into \(output); left in incoming"))
        }
        return move(input, name: name, to: done).map { "\(name): \(outputs) outputs in output/\(target); moved to done" }
    }

    private func recordFailure(_ input: String, name: String, message: String) -> Result<String, Failure> {
        let target = unusedName(for: name, in: failed, alsoFree: ".error.txt")
        do {
            try AtomicFile.write(Data((message + "\n").utf8), to: (failed as NSString).appendingPathComponent(target + ".error.txt"))
        } catch {
            return .failure(Failure(message: "\(name): failed (\(message)) and the error could not be written; left in incoming"))
        }
        guard rename(input, (failed as NSString).appendingPathComponent(target)) == 0 else {
            return .failure(Failure(message: "\(name): failed and could not be moved; left in incoming"))
        }
        return .failure(Failure(message: "\(name): failed, moved to failed (\(message))"))
    }

    private func move(_ input: String, name: String, to folder: String) -> Result<Void, Failure> {
        let target = unusedName(for: name, in: folder)
        guard rename(input, (folder as NSString).appendingPathComponent(target)) == 0 else {
            return .failure(Failure(message: "\(name): processed, but it could not be moved to \(folder); it stays in incoming"))
        }
        return .success(())
    }

    /// The output folder that holds the finished output of exactly this input, if any (same name or a numbered one).
    private func finishedOutput(for name: String, digest: String) -> String? {
        var candidate = name
        var number = 1
        while FileManager.default.fileExists(atPath: (output as NSString).appendingPathComponent(candidate)) {
            let marker = ((output as NSString).appendingPathComponent(candidate) as NSString).appendingPathComponent(Self.sourceMarker)
            if (try? String(contentsOfFile: marker, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) == digest { return candidate }
            number += 1
            candidate = Self.numbered(name, number)
        }
        return nil
    }

    /// `name`, or `name (2)`, `name (3)` … — the first not taken in `folder`.
    private func unusedName(for name: String, in folder: String, alsoFree suffix: String = "") -> String {
        var candidate = name
        var number = 1
        func taken(_ candidate: String) -> Bool {
            let path = (folder as NSString).appendingPathComponent(candidate)
            return FileManager.default.fileExists(atPath: path) || (!suffix.isEmpty && FileManager.default.fileExists(atPath: path + suffix))
        }
        while taken(candidate) {
            number += 1
            candidate = Self.numbered(name, number)
        }
        return candidate
    }

    static func numbered(_ name: String, _ number: Int) -> String {
        let ext = (name as NSString).pathExtension
        let stem = (name as NSString).deletingPathExtension
        return ext.isEmpty ? "\(stem) (\(number))" : "\(stem) (\(number)).\(ext)"
    }

    /// Regular, non-hidden files in `incoming` unchanged for `settleTime`, oldest first.
    private func settledInputs() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: incoming)) ?? []
        let now = Date()
        var settled: [(String, Date)] = []
        for name in names where !name.hasPrefix(".") {
            let path = (incoming as NSString).appendingPathComponent(name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  attributes[.type] as? FileAttributeType == .typeRegular,
                  let modified = attributes[.modificationDate] as? Date, now.timeIntervalSince(modified) >= settleTime else { continue }
            settled.append((name, modified))
        }
        return settled.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.map(\.0)
    }

    private static func digest(of path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hex(hasher.finalize())
    }
}
