public import Foundation
import Synchronization

/// `medlocal serve` as `make run` starts it: the built binary in its own process, its output read as a person would.
public final class ServerProcess: Sendable {
    public let process: Process
    let wrapped: Bool
    private let output = TextBuffer()
    private let errors = TextBuffer()

    /// - Parameter wrapper: a command to run the binary under (strace, say), with its own arguments.
    public init(_ arguments: [String], in folder: URL, wrapper: [String] = []) throws {
        process = Process()
        wrapped = !wrapper.isEmpty
        if wrapper.isEmpty {
            process.executableURL = Fixtures.medlocalBinary
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: wrapper[0])
            process.arguments = Array(wrapper.dropFirst()) + [Fixtures.medlocalBinary.path] + arguments
        }
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        out.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            output.append(data)
        }
        err.fileHandleForReading.readabilityHandler = { [errors] handle in
            let data = handle.availableData
            errors.append(data)
        }
        try process.run()
    }

    public var stdout: String { output.text }
    public var stderr: String { errors.text }

    /// The base URL once the server says it is serving.
    public func waitUntilServing(timeout: TimeInterval = 60) throws -> URL {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix("MedLocal serving http") }),
               let url = line.split(separator: " ").first(where: { $0.hasPrefix("http://") || $0.hasPrefix("https://") }) {
                return URL(string: String(url))!
            }
            if !process.isRunning { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "server did not start: \(stdout) \(stderr)"])
    }

    /// SIGTERM, then the exit status (or nil if it did not stop within `timeout`).
    public func terminate(timeout: TimeInterval = 20) -> Int32? {
        // Under a wrapper, the server is the wrapper's child: signal it, and the wrapper exits with it.
        let pid = process.processIdentifier
        let children = (try? String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8))?
            .split(separator: " ").compactMap { Int32($0) } ?? []
        if wrapped, !children.isEmpty { children.forEach { kill($0, SIGTERM) } } else { process.terminate() }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); return nil }
        return process.terminationStatus
    }
}

/// Text a pipe's handler appends to while tests read it.
final class TextBuffer: Sendable {
    private let buffer = Mutex("")
    func append(_ data: Data) { buffer.withLock { $0 += String(decoding: data, as: UTF8.self) } }
    var text: String { buffer.withLock { $0 } }
}
