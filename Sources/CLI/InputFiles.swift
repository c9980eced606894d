import ArgumentParser
import Foundation
import Workflows

/// Reads command inputs, turning I/O failures into messages that name the file.
enum InputFiles {
    /// Largest single input read into memory.
    static let maximumSize = 1 << 30

    /// The file's size in bytes (0 when it cannot be read).
    static func size(of path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    static func read(_ source: String) throws -> Data {
        if source == "-" { return FileHandle.standardInput.readDataToEndOfFile() }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) else {
            throw InputError(.unreadable, "\(source): no such file.")
        }
        guard !isDirectory.boolValue else { throw InputError(.unreadable, "\(source): is a directory; pass files.") }
        guard let handle = FileHandle(forReadingAtPath: source) else {
            throw InputError(.unreadable, "\(source): cannot be opened for reading (check permissions).")
        }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: source)[.size] as? Int) ?? 0
        guard size <= maximumSize else { throw InputError(.tooLarge, "\(source): larger than 1 GiB; split it first.") }
        return handle.readDataToEndOfFile()
    }
}
