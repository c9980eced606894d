import Anonymization
import Crypto
import Foundation
import Testing
import TestSupport
import Workflows

@Suite("Files sealed at rest") struct SealedFileTests {
    let key = PurposeKeys(SymmetricKey(size: .bits256), id: "kabc")
    /// Magic, key-id length byte, key id, file id.
    static let header = 8 + 1 + 4 + 8

    func sealed(_ plain: Data) throws -> (folder: URL, path: String) {
        let folder = try Fixtures.temporaryDirectory()
        let source = folder.appendingPathComponent("plain").path
        try plain.write(to: URL(fileURLWithPath: source))
        let path = folder.appendingPathComponent("sealed").path
        try SealedFile.seal(file: source, to: path, keys: key)
        return (folder, path)
    }

    static let chunk = 1 << 20

    @Test("Any size comes back byte for byte, and the sealed bytes hold none of the plaintext", arguments: [0, 1, 1000, chunk - 1, chunk, chunk + 1, 2 * chunk + chunk / 2])
    func roundTrip(size: Int) throws {
        let plain = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 251) })
        let (folder, path) = try sealed(plain)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(SealedFile.isSealed(path))
        #expect(try SealedFile.contents(path, keys: key) == plain)
        let stored = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(stored.count == Self.header + (max(1, (size + Self.chunk - 1) / Self.chunk)) * 16 + size)
        if size >= 64 { #expect(stored.range(of: plain.prefix(64)) == nil) }
    }

    @Test("Another key, a flipped bit, a cut at a chunk edge or swapped chunks fail to open with the file named")
    func tampering() throws {
        let plain = Data(repeating: 0x41, count: 2 * Self.chunk + 10)
        let (folder, path) = try sealed(plain)
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        func fails(_ bytes: Data, key: PurposeKeys? = nil) -> String? {
            let altered = folder.appendingPathComponent("altered").path
            FileManager.default.createFile(atPath: altered, contents: bytes)
            do {
                _ = try SealedFile.contents(altered, keys: key ?? self.key)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(fails(original, key: PurposeKeys(SymmetricKey(size: .bits256), id: "kabc"))?.contains("altered") == true)
        #expect(fails(original, key: PurposeKeys(SymmetricKey(size: .bits256), id: "kother"))?.contains("sealed under key kabc, which this key file does not hold") == true)
        var flipped = original
        flipped[100] ^= 1
        #expect(fails(flipped)?.contains("altered") == true)
        let boxed = Self.chunk + 16
        #expect(fails(original.prefix(Self.header + boxed)) != nil)              // cut after the first chunk
        #expect(fails(original.prefix(Self.header + 2 * boxed)) != nil)          // cut after the second
        let h = Self.header
        var swapped = original.prefix(h)
        swapped += original.subdata(in: h + boxed..<h + 2 * boxed)
        swapped += original.subdata(in: h..<h + boxed)
        swapped += original.suffix(from: h + 2 * boxed)
        #expect(fails(Data(swapped)) != nil)
        #expect(fails(Data("not sealed at all".utf8))?.contains("not a sealed file") == true)
        #expect(fails(original) == nil)   // the untouched copy opens
        #expect(try SealedFile.contents(path, keys: key) == plain)
    }

    @Test("A file sealed before a key rotation opens with the rotated ring, and new files name the new key")
    func rotation() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let source = folder.appendingPathComponent("plain").path
        try Data("lab report".utf8).write(to: URL(fileURLWithPath: source))
        let before = ProjectKey.generate()
        let old = folder.appendingPathComponent("old").path
        try SealedFile.seal(file: source, to: old, keys: before.keys(for: .atRest))
        let after = before.rotated()
        let new = folder.appendingPathComponent("new").path
        try SealedFile.seal(file: source, to: new, keys: after.keys(for: .atRest))
        #expect(try SealedFile.contents(old, keys: after.keys(for: .atRest)) == Data("lab report".utf8))
        #expect(try SealedFile.contents(new, keys: after.keys(for: .atRest)) == Data("lab report".utf8))
        let newBytes = try Data(contentsOf: URL(fileURLWithPath: new))
        #expect(newBytes.range(of: Data(after.id.utf8)) != nil)
        #expect(throws: SealedFileError.self) { try SealedFile.contents(new, keys: before.keys(for: .atRest)) }
    }
}
