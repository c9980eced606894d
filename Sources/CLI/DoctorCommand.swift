import ArgumentParser
import Core
import Foundation
import Workflows

/// `medlocal doctor`: checks the installation and prints what to fix.
struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the installation: binary, OCR data, models, key, data folder, database and audit chain, disk, clock.",
        discussion: "Changes nothing. Exit 0 when nothing failed (warnings allowed), 1 otherwise."
    )

    @Option(name: .customLong("data-dir"), help: "The data folder (default: $MEDLOCAL_DATA_DIR or var).") var dataDirectory: String?
    @OptionGroup var keyOptions: KeyOptions

    func run() throws {
        let doctor = InstallationDoctor(dataDirectory: DataLocations.dataDirectory(dataDirectory),
                                        keyPath: keyOptions.path)
        let checks = doctor.run(version: MedLocalCommand.configuration.version)
        let width = checks.map(\.area.count).max() ?? 0
        for check in checks {
            print("\(check.status.rawValue.padding(toLength: 4, withPad: " ", startingAt: 0))  \(check.area.padding(toLength: width, withPad: " ", startingAt: 0))  \(check.detail)")
            if let fix = check.fix, check.status != .ok { print("      \(String(repeating: " ", count: width))  fix: \(fix)") }
        }
        let failures = checks.filter { $0.status == .failure }.count
        let warnings = checks.filter { $0.status == .warning }.count
        print(failures == 0 ? "No problems found\(warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : "")." : "\(failures) problem\(failures == 1 ? "" : "s") to fix.")
        if failures > 0 { throw ExitCode(ExitStatus.badInput.rawValue) }
    }
}
