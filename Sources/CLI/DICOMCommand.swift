import ArgumentParser
import Foundation
import Workflows

/// `medlocal dicom`: DICOM files.
struct DICOMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom",
        abstract: "Read DICOM files.",
        subcommands: [DICOMDumpCommand.self]
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
