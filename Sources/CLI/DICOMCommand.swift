import ArgumentParser
import Core
import Foundation
import Workflows

/// `medlocal dicom`: DICOM files.
struct DICOMCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom",
        abstract: "Read DICOM files.",
        subcommands: [DICOMDumpCommand.self, DICOMDeidCommand.self]
    )
}

/// `medlocal dicom dump FILE`.
struct DICOMDumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "List a DICOM file's elements (identifying values redacted unless --show-values)."
    )

    @Argument(help: "A DICOM file (Part 10, or a bare dataset).")
    var file: String

    @Flag(help: "Print names, texts, dates and private values too.")
    var showValues = false

    func run() throws {
        try Failure.guarding {
            print(try DICOMInspection.dump(file, showValues: showValues), terminator: "")
        }
    }
}

/// `medlocal dicom deid IN OUT`.
struct DICOMDeidCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deid",
        abstract: "De-identify DICOM files with the PS3.15 Basic Profile (and the options named).",
        discussion: """
        Writes OUT/<same relative path> for every DICOM file under IN and OUT/deid-report.json. Options:
        retain-safe-private, retain-uids, retain-device-identity, retain-institution-identity,
        retain-patient-characteristics, retain-long-full-dates, retain-long-modified-dates (per-patient date shift),
        clean-descriptors, clean-structured-content, clean-graphics.
        """
    )

    @Argument(help: "A DICOM file or a folder of them.")
    var input: String

    @Argument(help: "The output folder (mirrors the input's relative paths).")
    var output: String

    @Option(name: .customLong("option"), help: "A profile option, repeatable.")
    var options: [String] = []

    @Option(help: "Files processed at once.")
    var jobs: Int = 1

    @Flag(help: "Clean Pixel Data: find burned-in text with OCR and blank it (native pixel data; compressed data is reported).")
    var cleanPixels = false

    @OptionGroup var keyOptions: KeyOptions

    func run() async throws {
        let run = try Failure.guardingValue {
            try DICOMDeidentificationRun(input: input, output: output, options: options, keyPath: keyOptions.path,
                                         cleanPixels: cleanPixels, ocr: DocumentReaders.current.ocr)
        }
        let progress = ProgressLine(total: run.files().count)
        let report = try await run.run(jobs: max(1, jobs)) { done, _ in progress.update(done) }
        progress.finish()
        let skipped = report.files.filter { $0.status == "skipped" }.count
        FileHandle.standardError.write(Data("medlocal: de-identified \(report.deidentified) files, \(skipped) skipped (not DICOM), \(report.failed) failed; report in \(output)/deid-report.json\n".utf8))
        if report.failed > 0 {
            for file in report.files where file.status == "failed" {
                FileHandle.standardError.write(Data("medlocal: failed: \(file.file): \(file.reason ?? "")\n".utf8))
            }
            throw ExitCode(ExitStatus.partialFailure.rawValue)
        }
    }
}
