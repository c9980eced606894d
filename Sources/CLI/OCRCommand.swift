import ArgumentParser
import Core
import Foundation
import Workflows

/// `medlocal ocr`: the OCR layer of a scan, photo or PDF.
struct OCRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ocr",
        abstract: "Read the text of scanned PDFs and images (Chinese + English) with boxes and confidences.",
        discussion: """
        Every page is rendered (PDF) or decoded (PNG, JPEG, TIFF, BMP), turned upright, levelled and read. JSON gives
        pages → lines → words, each {"text", "bounding_box": [x0, y0, x1, y1], "page_number", "confidence"}, with boxes
        in pixels of the page image (origin top-left; each page states its dpi), pages from 1, confidence 0…1.
        Use `parse` for Markdown, JSON and FHIR of a scan.
        """
    )

    @Argument(help: "A PDF or image file.")
    var input: String

    @Option(help: "json or text.")
    var format: String = "json"

    @Option(name: .shortAndLong, help: "Output file (default: standard output).")
    var output: String?

    @Option(help: "Resolution PDF pages are rendered at, in dpi.")
    var dpi: Int = 300

    @Option(help: "Pages read at once (default: one per core).")
    var jobs: Int?

    func validate() throws {
        guard ["json", "text"].contains(format) else { throw ValidationError("--format must be json or text.") }
        guard (72...600).contains(dpi) else { throw ValidationError("--dpi must be between 72 and 600.") }
        if let jobs, !(1...64).contains(jobs) { throw ValidationError("--jobs must be between 1 and 64.") }
    }

    func run() async throws {
        let progress = ProgressLine(total: 0)
        let reader = DocumentOCR(readers: DocumentReaders.current, resolution: dpi, jobs: jobs) { done, total in
            progress.update(done, of: total)
        }
        try Failure.guarding {
            let pages = try reader.read(input, displayName: input)
            progress.finish()
            let data = format == "json" ? try OCRLayerJSON.encode(pages) : Data(OCRLayerJSON.text(pages).utf8)
            if let output {
                try AtomicFile.write(data, to: output)
            } else {
                FileHandle.standardOutput.write(data)
                if format == "json" { FileHandle.standardOutput.write(Data("\n".utf8)) }
            }
        }
    }
}
