import Anonymization
import Core
import Detection
import Foundation
import Testing
import TestSupport

@Suite("Key ring: ids, rotation, escrow")
struct KeyRingTests {
    static let note = "患者：欧阳建华，身份证号 110101199003074571，电话 13907312468，入院 2025-03-18。"

    func anonymize(_ text: String, _ operators: String, key: ProjectKey) throws -> String {
        let findings = PHIAnalyzer().analyze(text)
        let plan = try OperatorPlan(assignments: [operators])
        var context = AnonymizationContext(key: key)
        return try Anonymizer(plan: plan).anonymize(text, findings: findings, context: &context).text
    }

    @Test("A key's id is stable, names no key bytes, and differs between keys")
    func ids() throws {
        let bytes = Array(repeating: UInt8(7), count: 32)
        let key = try ProjectKey(bytes: bytes)
        #expect(key.id == (try ProjectKey(bytes: bytes)).id)
        #expect(key.id.count == 11 && key.id.hasPrefix("k"))
        #expect(key.id != ProjectKey.generate().id)
        #expect(key.id == key.derivationID && !key.isRing)
    }

    @Test("After a rotation old ciphertexts still decrypt, new ones name the new key, and derivations do not change")
    func rotation() throws {
        let before = ProjectKey.generate()
        let old = try anonymize(Self.note, "default=encrypt", key: before)
        let after = before.rotated()
        #expect(after.id != before.id && after.derivationID == before.id && after.entries.count == 2)
        let new = try anonymize(Self.note, "default=encrypt", key: after)
        #expect(old.contains(":\(before.id):") && new.contains(":\(after.id):"))
        #expect(try Restorer.restore(old, key: after).text == Self.note)
        #expect(try Restorer.restore(new, key: after).text == Self.note)
        // The retired ring cannot open what the new key sealed, and says which key is missing.
        do {
            _ = try Restorer.restore(new, key: before)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains(after.id) && !error.message.contains("欧阳"))
        }
        for operators in ["default=pseudonymize", "default=hash", "DATE=date-shift"] {
            #expect(try anonymize(Self.note, operators, key: before) == anonymize(Self.note, operators, key: after), "\(operators)")
        }
    }

    @Test("Tokens written before key ids still decrypt with the ring")
    func tokensWithoutKeyIDs() throws {
        let key = ProjectKey.generate()
        let current = try anonymize(Self.note, "default=encrypt", key: key)
        let legacy = current.replacingOccurrences(of: ":\(key.id):", with: ":")
        #expect(legacy != current)
        #expect(try Restorer.restore(legacy, key: key.rotated().rotated()).text == Self.note)
    }

    @Test("A rotated ring is written as text with mode 0600 and reads back whole; a changed byte is caught by line")
    func ringFile() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("key").path
        let ring = ProjectKey.generate().rotated().rotated()
        try ring.write(to: path)
        let loaded = try ProjectKey.load(from: path)
        #expect(loaded.id == ring.id && loaded.derivationID == ring.derivationID && loaded.entries.map(\.id) == ring.entries.map(\.id))
        #expect(loaded.mac("x", purpose: .pseudonym) == ring.mac("x", purpose: .pseudonym))
        #expect(loaded.mac("x", purpose: .encrypt) == ring.mac("x", purpose: .encrypt))
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let keyLine = try #require(text.split(separator: "\n").last)
        let altered = String(keyLine.dropLast(3)) + (keyLine.hasSuffix("AA=") ? "AB=" : "AA=")
        text = text.replacingOccurrences(of: keyLine, with: altered)
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
        do {
            _ = try ProjectKey.load(from: path)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .malformed)
            #expect(error.message.contains("line 6"))
        }
    }

    @Test("A key file replaced by root keeps its owner, so the service user can still read it", .enabled(if: geteuid() == 0))
    func rotationKeepsTheOwner() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("key").path
        let key = ProjectKey.generate()
        try key.write(to: path)
        #expect(chown(path, 4321, 4321) == 0)
        try key.rotated().write(to: path, overwrite: true)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_uid == 4321 && info.st_gid == 4321)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test("An escrow copy comes back with the right passphrase only, and holds no key bytes in the clear")
    func escrow() throws {
        let ring = ProjectKey.generate().rotated()
        let data = try KeyEscrow.export(ring, passphrase: "correct horse battery staple", rounds: 1 << 10)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains(ring.id) && !text.contains(KeyRingText.render(ring).split(separator: " ").last!.dropLast()))
        let back = try KeyEscrow.importKey(data, passphrase: "correct horse battery staple", source: "escrow.json")
        #expect(back.id == ring.id && back.derivationID == ring.derivationID)
        #expect(back.mac("x", purpose: .encrypt) == ring.mac("x", purpose: .encrypt))
        #expect(throws: KeyError.self) { try KeyEscrow.importKey(data, passphrase: "correct horse battery stapler", source: "escrow.json") }
        #expect(throws: KeyError.self) { try KeyEscrow.export(ring, passphrase: "too short") }
        #expect(throws: KeyError.self) { try KeyEscrow.importKey(Data("{}".utf8), passphrase: "correct horse battery staple", source: "x") }
    }
}
