import Foundation

/// Reads a UTF-8 text file in blocks that never split a character, for streaming analysis of files
/// too large to hold. Each call to `makeIterator()` starts again from the beginning.
public struct TextFileBlocks: Sendable {
    public let path: String
    public let blockSize: Int

    public init(path: String, blockSize: Int = 1 << 20) {
        self.path = path
        self.blockSize = max(blockSize, 16)
    }

    /// An iterator over the file's text. Invalid UTF-8 ends the iteration and records an error.
    /// - Throws: `InputError` when the file cannot be opened.
    public func makeIterator() throws -> (iterator: AnyIterator<String>, failure: @Sendable () -> InputError?) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(.unreadable, "\(path): cannot be opened for reading (check permissions).")
        }
        let state = ReaderState()
        let blockSize = blockSize
        let path = path
        let iterator = AnyIterator<String> {
            guard !state.done else { return nil }
            let data = (try? handle.read(upToCount: blockSize)) ?? Data()
            var bytes = state.carry + [UInt8](data)
            state.carry = []
            if data.isEmpty {
                state.done = true
                try? handle.close()
                if bytes.isEmpty { return nil }
            } else if let cut = Self.lastCharacterBoundary(bytes), cut < bytes.count {
                state.carry = Array(bytes[cut...])
                bytes.removeSubrange(cut...)
            }
            if state.offset == 0, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3); state.offset = 3 }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                state.failure = InputError(.encoding, "\(path): not valid UTF-8 near byte \(state.offset). Convert it to UTF-8 first (e.g. iconv -t UTF-8).")
                state.done = true
                try? handle.close()
                return nil
            }
            state.offset += bytes.count
            return text
        }
        return (iterator, { state.failure })
    }

    /// The index where the last (possibly incomplete) UTF-8 character starts.
    static func lastCharacterBoundary(_ bytes: [UInt8]) -> Int? {
        var i = bytes.count - 1
        while i >= 0, i >= bytes.count - 4, bytes[i] & 0xC0 == 0x80 { i -= 1 }
        guard i >= 0 else { return nil }
        let lead = bytes[i]
        let length = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return i + length <= bytes.count ? bytes.count : i
    }
}

/// Mutable reader state behind the iterator closure.
/// `@unchecked Sendable`: the iterator is consumed by one caller at a time, never concurrently.
private final class ReaderState: @unchecked Sendable {
    var carry: [UInt8] = []
    var done = false
    var offset = 0
    var failure: InputError?
}
