public import Foundation

/// A program the tests run to completion — a shared scorer, openssl, curl — and what it said.
public struct ExternalCommand: Sendable {
    public var status: Int32
    public var output: String
    public var errors: String

    /// Runs `executable` with `arguments`; stderr is read on its own thread, so a chatty one cannot block it.
    /// - Parameter environment: variables set on top of this process's own.
    public static func run(_ executable: URL, _ arguments: [String], environment: [String: String] = [:]) -> ExternalCommand {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch { return ExternalCommand(status: -1, output: "", errors: "\(executable.path): \(error)") }
        let errors = PipeReader(err.fileHandleForReading)
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return ExternalCommand(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self), errors: errors.text())
    }

    public static func run(_ executable: String, _ arguments: [String]) -> ExternalCommand {
        run(URL(fileURLWithPath: executable), arguments)
    }

    /// The shared `dicom-check` scorer (pydicom from the virtualenv `make test` installs) on an output folder.
    public static func dicomCheck(corpus: URL, output: URL, extra: [String] = []) -> ExternalCommand {
        run(Fixtures.repositoryRoot.appendingPathComponent(".deps/check-venv/bin/python"),
            [Fixtures.shared.appendingPathComponent("tools/dicom-check").path, corpus.path, output.path] + extra)
    }
}

/// All of a pipe, read on a thread of its own.
private final class PipeReader: @unchecked Sendable {
    private var data = Data()   // written once by the thread, read after `done`
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    func text() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
