import Foundation
import Testing
import TestSupport

/// What the information department runs: key rotation and escrow, `doctor`, and the settings file.
@Suite("Operations: key, doctor, settings", .serialized)
struct OperationsCommandTests {
    let folder: URL
    static let note = "患者姓名：欧阳建华  住院号：ZY20250318077\n联系电话：139-0731-2468\n"

    init() throws { folder = try Fixtures.temporaryDirectory() }

    func write(_ text: String, _ name: String, mode: Int = 0o600) -> String {
        let path = folder.appendingPathComponent(name).path
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: mode])
        return path
    }

    @Test("A rotated key still restores what the old key encrypted, and an escrow copy brings the ring back")
    func rotateAndEscrow() throws {
        #expect(try Run(["keygen", "-o", "key"], in: folder).status == 0)
        let before = try Run(["redact", "-", "--key-file", "key", "--operator", "default=encrypt"], stdin: Self.note, in: folder)
        #expect(before.status == 0 && !before.stdout.contains("欧阳建华"))
        let rotate = try Run(["key", "rotate", "--key-file", "key"], in: folder)
        #expect(rotate.status == 0 && rotate.stdout.contains("new data is encrypted with"))
        let after = try Run(["redact", "-", "--key-file", "key", "--operator", "default=encrypt"], stdin: Self.note, in: folder)
        for text in [before.stdout, after.stdout] {
            let restored = try Run(["restore", "-", "--key-file", "key"], stdin: text, in: folder)
            #expect(restored.status == 0 && restored.stdout == Self.note)
        }
        let show = try Run(["key", "show", "--key-file", "key"], in: folder)
        #expect(show.stdout.contains("retired: decrypts older data") == false && show.stdout.split(separator: "\n").count == 4)

        _ = write("a long enough passphrase\n", "pass")
        #expect(try Run(["key", "export", "--key-file", "key", "--passphrase-file", "pass", "-o", "escrow.json"], in: folder).status == 0)
        let mode = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("escrow.json").path)[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o777 } == 0o600)
        #expect(try Run(["key", "export", "--key-file", "key", "--passphrase-file", "pass", "-o", "escrow.json"], in: folder).status == 1)  // never overwritten
        try FileManager.default.removeItem(at: folder.appendingPathComponent("key"))   // the disk is lost
        _ = write("not the passphrase at all\n", "wrong")
        let refused = try Run(["key", "import", "escrow.json", "--passphrase-file", "wrong", "-o", "key"], in: folder)
        #expect(refused.status == 1 && refused.stderr.contains("passphrase does not open"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("key").path))
        #expect(try Run(["key", "import", "escrow.json", "--passphrase-file", "pass", "-o", "key"], in: folder).status == 0)
        for text in [before.stdout, after.stdout] {
            #expect(try Run(["restore", "-", "--key-file", "key"], stdin: text, in: folder).stdout == Self.note)
        }
    }

    @Test("doctor passes a sound installation and names a key readable by others and a missing model, with the fix")
    func doctor() throws {
        #expect(try Run(["keygen", "-o", "keys/key"], in: folder).status == 0)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        // A database and an audit chain to check: one audited redaction.
        let audited = try Run(["redact", "-", "--key-file", "keys/key", "--policy", "hospital-default", "--data-dir", "data"], stdin: Self.note, in: folder)
        #expect(audited.status == 0)
        let sound = try Run(["doctor", "--data-dir", "data", "--key-file", "keys/key"], in: folder)
        #expect(sound.status == 0, "\(sound.stdout)")
        for area in ["binary", "ocr", "models", "key", "data", "database", "audit", "disk", "clock"] {
            #expect(sound.stdout.contains("ok    \(area)") || sound.stdout.contains("ok  \(area)"), "\(area): \(sound.stdout)")
        }
        #expect(!sound.stdout.contains("FAIL"))

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: folder.appendingPathComponent("keys/key").path)
        let broken = try Run(["doctor", "--data-dir", "data", "--key-file", "keys/key"], in: folder,
                             environment: ["MEDLOCAL_BACKBONE": folder.appendingPathComponent("missing.onnx").path])
        #expect(broken.status == 1)
        let lines = broken.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("FAIL") && $0.contains("key") && $0.contains("readable by other users") })
        #expect(lines.contains { $0.contains("fix: chmod 600") })
        #expect(lines.contains { $0.hasPrefix("FAIL") && $0.contains("models") && $0.contains("missing.onnx") })
        #expect(broken.stdout.contains("2 problems to fix."))
    }

    @Test("doctor warns when the key lies inside the data folder and fails on the wrong key for the audit chain")
    func doctorKeyPlacement() throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("data"), withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
        #expect(try Run(["keygen", "-o", "data/key"], in: folder).status == 0)
        #expect(try Run(["redact", "-", "--key-file", "data/key", "--policy", "hospital-default", "--data-dir", "data"], stdin: Self.note, in: folder).status == 0)
        let inside = try Run(["doctor", "--data-dir", "data", "--key-file", "data/key"], in: folder)
        #expect(inside.status == 0)
        #expect(inside.stdout.contains("warn  key") && inside.stdout.contains("inside the data folder"))
        #expect(try Run(["keygen", "-o", "other"], in: folder).status == 0)
        let wrong = try Run(["doctor", "--data-dir", "data", "--key-file", "other"], in: folder)
        #expect(wrong.status == 1 && wrong.stdout.contains("not the key that signed"))
    }

    @Test("medlocal.yaml sets the data folder and key file; an unknown setting is refused with its line")
    func settingsFile() throws {
        #expect(try Run(["keygen", "-o", "etc/key"], in: folder).status == 0)
        let config = write("# MedLocal settings\ndata_dir: \(folder.path)/lib\nkey_file: \(folder.path)/etc/key\nport: 7861\n", "medlocal.yaml", mode: 0o644)
        let doctor = try Run(["doctor"], in: folder, environment: ["MEDLOCAL_CONFIG": config])
        #expect(doctor.stdout.contains("\(folder.path)/etc/key: mode 0600"))
        #expect(doctor.stdout.contains("\(folder.path)/lib does not exist yet"))

        let bad = write("data_dir: /srv/medlocal\nprot: 7861\n", "bad.yaml", mode: 0o644)
        let refused = try Run(["serve"], in: folder, environment: ["MEDLOCAL_CONFIG": bad])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("bad.yaml, line 2: unknown setting 'prot'"))
        let wrongType = write("port: seventy\n", "type.yaml", mode: 0o644)
        #expect(try Run(["serve"], in: folder, environment: ["MEDLOCAL_CONFIG": wrongType]).stderr.contains("port must be a whole number"))
    }
}
