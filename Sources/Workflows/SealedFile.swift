public import Anonymization
import Crypto
public import Foundation

/// Files encrypted at rest: AES-256-GCM in chunks of 1 MiB, so files of any size are sealed and opened with bounded
/// memory. Layout: `MLSEAL2\n`, the sealing key's id (one length byte, then ASCII), an 8-byte random file id, then
/// chunks of ciphertext and 16-byte tag. Chunk *i*'s nonce is the file id and *i* (so no nonce repeats under a key
/// while file ids differ), and its additional data holds the header, *i* and whether it is the last chunk — so
/// chunks cannot be reordered, dropped, or the file cut short without opening failing. The key is a subkey of the
/// project key ring (`at-rest`, `backup`); the id says which ring key opens it after `medlocal key rotate`.
/// Files of the first layout (`MLSEAL1\n`, no key id) still open, with each key of the ring tried.
public enum SealedFile {
    static let magic = Array("MLSEAL2\n".utf8)
    static let firstMagic = Array("MLSEAL1\n".utf8)
    static let chunkSize = 1 << 20
    static let tagSize = 16
    static let idSize = 8

    /// Whether `path` starts like a sealed file (cheap; opening is what proves it).
    public static func isSealed(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: magic.count)).map(Array.init)
        return start == magic || start == firstMagic
    }

    /// Seals the plaintext file `source` into `destination` (written whole through a temporary name and renamed).
    public static func seal(file source: String, to destination: String, keys: PurposeKeys) throws {
        let key = keys.current
        let keyID = Array(keys.currentID.utf8.prefix(255))
        let header = magic + [UInt8(keyID.count)] + keyID
        guard let input = FileHandle(forReadingAtPath: source) else { throw SealedFileError("\(source): cannot be read to seal it") }
        defer { try? input.close() }
        let id = (0..<idSize).map { _ in UInt8.random(in: 0...255) }
        let temporary = destination + ".sealing-\(UUID().uuidString.lowercased())"
        guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]),
              let output = FileHandle(forWritingAtPath: temporary) else { throw SealedFileError("\(destination): cannot be written") }
        do {
            try output.write(contentsOf: header + id)
            var index: UInt32 = 0
            var chunk = try input.read(upToCount: chunkSize) ?? Data()
            while true {
                let next = chunk.count == chunkSize ? (try input.read(upToCount: chunkSize) ?? Data()) : Data()
                let last = next.isEmpty
                let box = try AES.GCM.seal(chunk, using: key, nonce: try nonce(id, index), authenticating: additionalData(header, index, last: last))
                try output.write(contentsOf: box.ciphertext)
                try output.write(contentsOf: box.tag)
                if last { break }
                chunk = next
                index += 1
            }
            try output.synchronize()
            try output.close()
            guard rename(temporary, destination) == 0 else { throw SealedFileError("\(destination): cannot be written") }
        } catch {
            try? output.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Opens a sealed file chunk by chunk, handing each plaintext chunk to `body` in order.
    /// - Throws: ``SealedFileError`` when the file is not sealed, was sealed under another key, or was altered.
    public static func open(_ path: String, keys: PurposeKeys, _ body: (Data) throws -> Void) throws {
        guard let input = FileHandle(forReadingAtPath: path) else { throw SealedFileError("\(path): cannot be read") }
        defer { try? input.close() }
        let start = Array(try input.read(upToCount: magic.count) ?? Data())
        let header: [UInt8]
        let candidates: [SymmetricKey]
        if start == magic {
            let length = Array(try input.read(upToCount: 1) ?? Data())
            let keyID = length.count == 1 ? Array(try input.read(upToCount: Int(length[0])) ?? Data()) : []
            guard length.count == 1, keyID.count == Int(length[0]) else { throw SealedFileError("\(path): the sealed file is cut short") }
            let name = String(decoding: keyID, as: UTF8.self)
            guard let key = keys.key(id: name) else {
                throw SealedFileError("\(path): sealed under key \(name), which this key file does not hold")
            }
            header = start + length + keyID
            candidates = [key]
        } else if start == firstMagic {
            header = start
            candidates = keys.all
        } else {
            throw SealedFileError("\(path): not a sealed file")
        }
        let id = Array(try input.read(upToCount: idSize) ?? Data())
        guard id.count == idSize else { throw SealedFileError("\(path): not a sealed file") }
        var key = candidates[0]
        if candidates.count > 1 {   // a first-layout file: find the ring key that opens its first chunk
            let offset = try input.offset()
            let first = try input.read(upToCount: chunkSize + tagSize) ?? Data()
            let last = first.count < chunkSize + tagSize ? true : (try input.read(upToCount: 1) ?? Data()).isEmpty
            key = candidates.first { candidate in
                guard first.count >= tagSize, let nonce = try? nonce(id, 0),
                      let box = try? AES.GCM.SealedBox(nonce: nonce, ciphertext: first.prefix(first.count - tagSize), tag: first.suffix(tagSize)) else { return false }
                return (try? AES.GCM.open(box, using: candidate, authenticating: additionalData(header, 0, last: last))) != nil
            } ?? candidates[0]
            try input.seek(toOffset: offset)
        }
        var index: UInt32 = 0
        var chunk = try input.read(upToCount: chunkSize + tagSize) ?? Data()
        while true {
            guard chunk.count >= tagSize else { throw SealedFileError("\(path): the sealed file is cut short") }
            let next = chunk.count == chunkSize + tagSize ? (try input.read(upToCount: chunkSize + tagSize) ?? Data()) : Data()
            let last = next.isEmpty
            do {
                let box = try AES.GCM.SealedBox(nonce: try nonce(id, index), ciphertext: chunk.prefix(chunk.count - tagSize),
                                                tag: chunk.suffix(tagSize))
                try body(try AES.GCM.open(box, using: key, authenticating: additionalData(header, index, last: last)))
            } catch let error as SealedFileError {
                throw error
            } catch {
                throw SealedFileError("\(path): cannot be opened with this key, or it was altered")
            }
            if last { return }
            chunk = next
            index += 1
        }
    }

    /// The whole plaintext of a sealed file.
    public static func contents(_ path: String, keys: PurposeKeys) throws -> Data {
        var data = Data()
        try open(path, keys: keys) { data.append($0) }
        return data
    }

    /// Opens a sealed file into the plaintext file `destination`.
    public static func unseal(_ path: String, to destination: String, keys: PurposeKeys) throws {
        guard FileManager.default.createFile(atPath: destination, contents: nil, attributes: [.posixPermissions: 0o600]),
              let output = FileHandle(forWritingAtPath: destination) else { throw SealedFileError("\(destination): cannot be written") }
        defer { try? output.close() }
        try open(path, keys: keys) { try output.write(contentsOf: $0) }
    }

    private static func nonce(_ id: [UInt8], _ index: UInt32) throws -> AES.GCM.Nonce {
        try AES.GCM.Nonce(data: id + withUnsafeBytes(of: index.bigEndian, Array.init))
    }

    /// The first layout authenticated its magic alone; the second the whole header, key id included.
    private static func additionalData(_ header: [UInt8], _ index: UInt32, last: Bool) -> Data {
        Data(header + withUnsafeBytes(of: index.bigEndian, Array.init) + [last ? 1 : 0])
    }
}

/// A sealed file that cannot be made or opened, named with what is wrong (never with its contents).
public struct SealedFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
