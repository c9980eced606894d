import Crypto
import Foundation
import Testing
import TestSupport
import Workflows

@Suite("Files sealed at rest") struct SealedFileTests {
    let key = SymmetricKey(size: .bits256)

    func sealed(_ plain: Data) throws -> (folder: URL, path: String) {
        let folder = try Fixtures.temporaryDirectory()
        let source = folder.appendingPathComponent("plain").path
        try plain.write(to: URL(fileURLWithPath: source))
        let path = folder.appendingPathComponent("sealed").path
        try SealedFile.seal(file: source, to: path, key: key)
        return (folder, path)
    }

    static let chunk = 1 << 20

    @Test("Any size comes back byte for byte, and the sealed bytes hold none of the plaintext", arguments: [0, 1, 1000, chunk - 1, chunk, chunk + 1, 2 * chunk + chunk / 2])
    func roundTrip(size: Int) throws {
        let plain = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 251) })
        let (folder, path) = try sealed(plain)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(SealedFile.isSealed(path))
        #expect(try SealedFile.contents(path, key: key) == plain)
        let stored = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(stored.count == 16 + (max(1, (size + Self.chunk - 1) / Self.chunk)) * 16 + size)
        if size >= 64 { #expect(stored.range(of: plain.prefix(64)) == nil) }
    }

    @Test("Another key, a flipped bit, a cut at a chunk edge or swapped chunks fail to open with the file named")
    func tampering() throws {
        let plain = Data(repeating: 0x41, count: 2 * Self.chunk + 10)
        let (folder, path) = try sealed(plain)
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        func fails(_ bytes: Data, key: SymmetricKey? = nil) -> String? {
            let altered = folder.appendingPathComponent("altered").path
            FileManager.default.createFile(atPath: altered, contents: bytes)
            do {
                _ = try SealedFile.contents(altered, key: key ?? self.key)
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(fails(original, key: SymmetricKey(size: .bits256))?.contains("altered") == true)
        var flipped = original
        flipped[100] ^= 1
        #expect(fails(flipped)?.contains("altered") == true)
        let boxed = Self.chunk + 16
        #expect(fails(original.prefix(16 + boxed)) != nil)              // cut after the first chunk
        #expect(fails(original.prefix(16 + 2 * boxed)) != nil)          // cut after the second
        var swapped = original.prefix(16)
        swapped += original.subdata(in: 16 + boxed..<16 + 2 * boxed)
        swapped += original.subdata(in: 16..<16 + boxed)
        swapped += original.suffix(from: 16 + 2 * boxed)
        #expect(fails(Data(swapped)) != nil)
        #expect(fails(Data("not sealed at all".utf8))?.contains("not a sealed file") == true)
        #expect(fails(original) == nil)   // the untouched copy opens
        #expect(try SealedFile.contents(path, key: key) == plain)
    }
}
