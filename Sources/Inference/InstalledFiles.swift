public import Foundation

/// Finds the files `make deps` installs (ONNX Runtime, the converted backbone) from where the running executable
/// is, never from the working directory: a server started from `/` must find the same files as one started in
/// the checkout.
///
/// Looked for, in order: an environment variable naming the file; then, for each folder from the executable's
/// own upwards, `<folder>/.deps/<relative path>` (a build in the source tree: `.build/<triple>/debug/medlocal`) and
/// `<folder>/lib/medlocal/<relative path>` (an installed bundle: `bin/medlocal` beside `lib/medlocal/`).
public struct InstalledFiles: Sendable {
    public static let onnxRuntimeLibrary = "onnxruntime/lib/libonnxruntime.so.1.31.1"
    public static let backbone = "models/efficientnet-lite0.onnx"

    public var executable: URL
    public var environment: [String: String]

    public init(executable: URL = InstalledFiles.runningExecutable, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.executable = executable
        self.environment = environment
    }

    /// The running executable with symbolic links resolved (`/proc/self/exe` on Linux).
    public static var runningExecutable: URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    }

    /// The installed file at `relativePath`, or an error listing where it was looked for.
    public func locate(_ relativePath: String, overriddenBy variable: String) throws(InferenceRuntimeError) -> URL {
        if let configured = environment[variable], !configured.isEmpty {
            guard FileManager.default.fileExists(atPath: configured) else {
                throw InferenceRuntimeError("\(variable) names \(configured), which does not exist")
            }
            return URL(fileURLWithPath: configured)
        }
        var candidates: [URL] = []
        var folder = executable.deletingLastPathComponent()
        while true {
            candidates.append(folder.appendingPathComponent(".deps/\(relativePath)"))
            candidates.append(folder.appendingPathComponent("lib/medlocal/\(relativePath)"))
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path || candidates.count > 24 { break }
            folder = parent
        }
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw InferenceRuntimeError("\(relativePath) is not installed beside \(executable.path) (run `make deps`, or set \(variable))")
    }
}
