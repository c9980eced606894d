import ArgumentParser
import Core
import Foundation
import Workflows

/// Maps domain errors to a message on stderr and the shared exit codes.
enum Failure {
    static func exit(_ error: any Error) -> ExitCode {
        let message: String
        // Every module error describes itself (what happened, what to do), and names no PHI.
        message = (error as? any CustomStringConvertible)?.description ?? "\(error)"
        FileHandle.standardError.write(Data(("medlocal: " + message + "\n").utf8))
        return ExitCode(ExitStatus.badInput.rawValue)
    }

    /// Runs `body`, turning known errors into exit code 1 with their message.
    static func guarding(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            throw exit(error)
        }
    }
}

/// An output that cannot be written.
struct OutputError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Atomic writes: a temporary file in the target folder, then rename.
enum OutputFiles {
    static func write(_ text: String, to path: String, inputs: [String]) throws {
        let target = URL(fileURLWithPath: path).standardizedFileURL.path
        if inputs.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == target }) {
            throw OutputError(message: "\(path): output would overwrite an input; inputs are never modified. Choose another -o.")
        }
        let temporary = target + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw OutputError(message: "\(path): cannot write (check that the folder exists and is writable).")
        }
        guard rename(temporary, target) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw OutputError(message: "\(path): cannot move the finished output into place.")
        }
    }
}

extension OutputFiles {
    /// Writes through `body` into a temporary file in the target's folder, renamed into place only when
    /// `body` succeeds (a failed or killed run leaves no partial output under the target's name).
    static func writeStreaming(to path: String, inputs: [String], _ body: (FileHandle) throws -> Void) throws {
        let target = URL(fileURLWithPath: path).standardizedFileURL.path
        if inputs.contains(where: { URL(fileURLWithPath: $0).standardizedFileURL.path == target }) {
            throw OutputError(message: "\(path): output would overwrite an input; inputs are never modified. Choose another -o.")
        }
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

/// Where the project key lives: --key-file, else $MEDLOCAL_KEY_FILE, else var/key.
struct KeyOptions: ParsableArguments {
    @Option(name: .customLong("key-file"), help: "The project key file (default: $MEDLOCAL_KEY_FILE or var/key).")
    var keyFile: String?

    var path: String { keyFile ?? ProcessInfo.processInfo.environment["MEDLOCAL_KEY_FILE"] ?? "var/key" }
}
