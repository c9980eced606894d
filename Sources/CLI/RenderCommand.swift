import ArgumentParser
import Core
import Foundation
import Workflows

/// `medlocal render`: PDF pages as grey PNG images (for review, and for running other OCR tools on the same pages).
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render the pages of a PDF as grey PNG images.",
        discussion: "Writes OUTDIR/<stem>.page-<n>.png for every page."
    )

    @Argument(help: "A PDF file.")
    var input: String

    @Option(name: .shortAndLong, help: "Output folder (created when missing).")
    var output: String

    @Option(help: "Resolution in dpi.")
    var dpi: Int = 200

    func validate() throws {
        guard (36...600).contains(dpi) else { throw ValidationError("--dpi must be between 36 and 600.") }
    }

    func run() throws {
        try Failure.guarding {
            let written = try PageRendering(readers: DocumentReaders.current, resolution: dpi).write(input, into: output)
            FileHandle.standardError.write(Data("medlocal: \(written.count) pages rendered at \(dpi) dpi into \(output)\n".utf8))
        }
    }
}
