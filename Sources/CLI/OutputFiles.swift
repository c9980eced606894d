import Foundation
import Workflows

/// Atomic writes: a temporary file in the target folder, then rename.
enum OutputFiles {
    static func write(_ text: String, to path: String, inputs: [String]) throws {
        try refuseOverwritingInputs(path, inputs: inputs)
        try AtomicFile.write(Data(text.utf8), to: path, createFolders: false)
    }

    /// Inputs are never modified: an output path naming one of them is refused.
    static func refuseOverwritingInputs(_ path: String, inputs: [String]) throws {
        let target = URL(fileURLWithPath: path).standardizedFileURL.path
        if inputs.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == target }) {
            throw OutputError(message: "\(path): output would overwrite an input; inputs are never modified. Choose another -o.")
        }
    }
}

extension OutputFiles {
    /// Writes through `body` into a temporary file in the target's folder, renamed into place only when
    /// `body` succeeds (a failed or killed run leaves no partial output under the target's name).
    static func writeStreaming(to path: String, inputs: [String], _ body: (FileHandle) throws -> Void) throws {
        try refuseOverwritingInputs(path, inputs: inputs)
        let target = URL(fileURLWithPath: path).standardizedFileURL.path
        let temporary = target + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = FileHandle(forWritingAtPath: temporary) else {
            throw OutputError(message: "\(path): cannot write (check that the folder exists and is writable).")
        }
        do {
            try body(handle)
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
        guard rename(temporary, target) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw OutputError(message: "\(path): cannot move the finished output into place.")
        }
    }
}

extension OutputFiles {
    /// A secret written once: mode 0600, never over an existing file, renamed into place whole.
    static func writeNew(_ data: Data, to path: String, mode: Int) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw OutputError(message: "\(path) already exists; refusing to overwrite it. Choose another -o.")
        }
        try writeStreaming(to: path, inputs: []) { try $0.write(contentsOf: data) }
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    }
}
