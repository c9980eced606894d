import Foundation
import Testing
import TestSupport

/// The systemd unit and settings template the offline bundle installs (the install itself: `make test-install`).
@Suite("Packaging: systemd unit and settings template")
struct PackagingTests {
    static let packaging = Fixtures.repositoryRoot.appendingPathComponent("Packaging")

    /// The unit as install.sh writes it, with its prefix pointing at a folder holding this build's binary.
    func renderedUnit(_ edit: (String) -> String = { $0 }) throws -> (folder: URL, unit: URL) {
        let folder = try Fixtures.temporaryDirectory()
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("bin/medlocal"), withDestinationURL: Fixtures.medlocalBinary)
        let template = try String(contentsOf: Self.packaging.appendingPathComponent("medlocal.service"), encoding: .utf8)
        let unit = folder.appendingPathComponent("medlocal.service")
        try edit(template.replacingOccurrences(of: "@PREFIX@", with: folder.path)).write(to: unit, atomically: true, encoding: .utf8)
        return (folder, unit)
    }

    @Test("The unit passes systemd-analyze verify without a single complaint")
    func unitVerifies() throws {
        let (folder, unit) = try renderedUnit()
        defer { try? FileManager.default.removeItem(at: folder) }
        let verify = ExternalCommand.run("/usr/bin/systemd-analyze", ["verify", unit.path])
        #expect(verify.status == 0)
        #expect(verify.output.isEmpty && verify.errors.isEmpty, "\(verify.output)\(verify.errors)")
    }

    @Test("systemd-analyze verify does catch a misspelt directive (so the check above means something)")
    func verifyCatchesMistakes() throws {
        let (folder, unit) = try renderedUnit { $0.replacingOccurrences(of: "ProtectSystem=strict", with: "ProtectSytem=strict") }
        defer { try? FileManager.default.removeItem(at: folder) }
        let verify = ExternalCommand.run("/usr/bin/systemd-analyze", ["verify", unit.path])
        #expect((verify.output + verify.errors).contains("ProtectSytem"))
    }

    @Test("The unit runs as medlocal with the hardening the service needs")
    func hardening() throws {
        let unit = try String(contentsOf: Self.packaging.appendingPathComponent("medlocal.service"), encoding: .utf8)
        let lines = Set(unit.split(separator: "\n").map(String.init))
        for directive in ["User=medlocal", "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/medlocal",
                          "PrivateTmp=yes", "ProtectHome=yes", "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6",
                          "Environment=MEDLOCAL_CONFIG=/etc/medlocal/medlocal.yaml", "KillSignal=SIGTERM"] {
            #expect(lines.contains(directive), "\(directive)")
        }
        #expect(lines.contains { $0.hasPrefix("ExecStart=@PREFIX@/bin/medlocal serve") })
    }

    @Test("The settings template is read by medlocal as it ships, and its data folder and key are the installed ones")
    func settingsTemplate() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let template = Self.packaging.appendingPathComponent("medlocal.yaml").path
        let doctor = ExternalCommand.run(Fixtures.medlocalBinary, ["doctor"], environment: ["MEDLOCAL_CONFIG": template])
        #expect(doctor.output.contains("/etc/medlocal/key") && doctor.output.contains("/var/lib/medlocal"), "\(doctor.output)\(doctor.errors)")
        #expect(!doctor.errors.contains("unknown setting"))
    }
}
