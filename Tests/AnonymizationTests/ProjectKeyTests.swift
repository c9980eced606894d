import Anonymization
import Foundation
import Testing
import TestSupport

@Suite("Project key files")
struct ProjectKeyTests {
    @Test("keygen writes 32 bytes with mode 0600 and refuses to overwrite")
    func writeAndProtect() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("var/key").path
        let key = ProjectKey.generate()
        try key.write(to: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect(attributes[.size] as? Int == 32)
        #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == 0o600)
        #expect(throws: KeyError.self) { try ProjectKey.generate().write(to: path) }
        let loaded = try ProjectKey.load(from: path)
        #expect(loaded.mac("x", purpose: .hash) == key.mac("x", purpose: .hash))
    }

    @Test("A missing key file says to run medlocal keygen")
    func missing() {
        do {
            _ = try ProjectKey.load(from: "/nonexistent/key")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .missing)
            #expect(error.message.contains("medlocal keygen"))
        }
    }

    @Test("A key of the wrong size or readable by others is rejected")
    func badFiles() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let short = folder.appendingPathComponent("short").path
        _ = FileManager.default.createFile(atPath: short, contents: Data(repeating: 1, count: 16), attributes: [.posixPermissions: 0o600])
        #expect(throws: KeyError.self) { try ProjectKey.load(from: short) }
        let open = folder.appendingPathComponent("open").path
        _ = FileManager.default.createFile(atPath: open, contents: Data(repeating: 1, count: 32), attributes: [.posixPermissions: 0o644])
        #expect(throws: KeyError.self) { try ProjectKey.load(from: open) }
    }

    @Test("Each purpose gets its own subkey, and the key never prints")
    func subkeys() {
        let key = ProjectKey.generate()
        let macs = KeyPurpose.allCases.map { key.mac("same message", purpose: $0) }
        #expect(Set(macs.map { $0.map(String.init).joined() }).count == KeyPurpose.allCases.count)
        #expect("\(key)" == "ProjectKey(<redacted>)")
    }
}
