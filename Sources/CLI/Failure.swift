import ArgumentParser
import Core
import Foundation
import Workflows

/// Maps domain errors to a message on stderr and the shared exit codes.
enum Failure {
    static func exit(_ error: any Error) -> ExitCode {
        // Every module error describes itself (what happened, what to do), and names no PHI.
        let message = "\(error)"
        FileHandle.standardError.write(Data(("medlocal: " + message + "\n").utf8))
        return ExitCode(ExitStatus.badInput.rawValue)
    }

    /// Runs `body` and returns its value, turning known errors into exit code 1 with their message.
    static func guardingValue<T>(_ body: () throws -> T) throws -> T {
        var value: T?
        try guarding { value = try body() }
        return value!
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
