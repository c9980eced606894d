public import Core
public import Documents
public import Foundation

/// Side-by-side pictures of a document before and after redaction (original | redacted), one PNG per page, for a
/// person to review. Rendered small (100 dpi): they show where the boxes are, not every glyph.
public struct DocumentPreview: Sendable {
    public var readers: DocumentReaders
    public var resolution: Int

    public init(readers: DocumentReaders, resolution: Int = 100) {
        self.readers = readers
        self.resolution = resolution
    }

    /// - Returns: the files written, `<stem>.page-<n>.preview.png` in `folder`.
    public func write(original: String, redacted: String, folder: String, stem: String) throws -> [String] {
        guard let writer = readers.imageWriter else { throw DocumentError(.unsupportedFormat, "this build cannot write images.") }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let before = try pages(of: original), after = try pages(of: redacted)
        var written: [String] = []
        for (index, (left, right)) in zip(before, after).enumerated() {
            let path = (folder as NSString).appendingPathComponent("\(stem).page-\(index + 1).preview.png")
            try writer.writePNG(Self.sideBySide(left(), right()), to: path)
            written.append(path)
        }
        return written
    }

    /// The pages of a PDF or an image alone, at most `limit` of them: `<stem>-<n>.png` in `folder`.
    /// - Returns: the file names written (not paths).
    public func writePages(of path: String, folder: String, stem: String, limit: Int) throws -> [String] {
        guard let writer = readers.imageWriter else { throw DocumentError(.unsupportedFormat, "this build cannot write images.") }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try pages(of: path).prefix(limit).enumerated().map { index, page in
            let name = "\(stem)-\(index + 1).png"
            try writer.writePNG(try page(), to: (folder as NSString).appendingPathComponent(name))
            return name
        }
    }

    /// Page images, produced one at a time when asked for.
    private func pages(of path: String) throws -> [() throws -> GrayImage] {
        let name = (path as NSString).lastPathComponent
        let resolution = resolution
        switch try InputKind.detect(path, displayName: name) {
        case .pdf:
            guard let backend = readers.pdf else { throw DocumentError(.unsupportedFormat, "\(name): this build has no PDF reader.") }
            let count = try backend.pageCount(of: path, displayName: name)
            return (1...max(1, count)).prefix(count).map { number in
                { try backend.renderPage(number, of: path, displayName: name, resolution: resolution) }
            }
        case .image:
            guard let decoder = readers.images else { throw DocumentError(.unsupportedFormat, "\(name): this build has no image decoder.") }
            let count = try decoder.pageCount(of: path)
            return (0..<count).map { index in
                {
                    let decoded = try decoder.decodePage(index, of: path)
                    let scale = Double(resolution) / Double(ImageDocumentReader.resolution(of: decoded))
                    return decoded.image.scaled(by: scale)
                }
            }
        case .docx:
            throw DocumentError(.unsupportedFormat, "\(name): previews are for PDFs and images.")
        }
    }

    /// Two images next to each other on a grey ground, 8 pixels apart.
    static func sideBySide(_ left: GrayImage, _ right: GrayImage) -> GrayImage {
        let gap = 8
        var canvas = GrayImage(width: left.width + gap + right.width, height: max(left.height, right.height), fill: 160)
        for (image, offset) in [(left, 0), (right, left.width + gap)] {
            for y in 0..<image.height {
                let row = y * canvas.width + offset
                canvas.pixels.replaceSubrange(row..<(row + image.width), with: image.pixels[(y * image.width)..<((y + 1) * image.width)])
            }
        }
        return canvas
    }
}

extension GrayImage {
    /// A copy scaled by `factor` (nearest pixel; for previews).
    func scaled(by factor: Double) -> GrayImage {
        guard factor > 0, abs(factor - 1) > 0.01 else { return self }
        let newWidth = max(1, Int(Double(width) * factor)), newHeight = max(1, Int(Double(height) * factor))
        var output = GrayImage(width: newWidth, height: newHeight)
        for y in 0..<newHeight {
            let sourceY = min(height - 1, Int(Double(y) / factor))
            for x in 0..<newWidth { output.pixels[y * newWidth + x] = pixels[sourceY * width + min(width - 1, Int(Double(x) / factor))] }
        }
        return output
    }
}

/// PDF pages written as grey PNG files, one at a time.
public struct PageRendering: Sendable {
    public var readers: DocumentReaders
    public var resolution: Int

    public init(readers: DocumentReaders, resolution: Int) {
        self.readers = readers
        self.resolution = resolution
    }

    /// - Returns: the files written, `<stem>.page-<n>.png` in `folder`.
    public func write(_ path: String, into folder: String) throws -> [String] {
        let name = (path as NSString).lastPathComponent
        guard try InputKind.detect(path, displayName: name) == .pdf, let backend = readers.pdf else {
            throw DocumentError(.unsupportedFormat, "\(name): render reads PDFs.")
        }
        guard let writer = readers.imageWriter else { throw DocumentError(.unsupportedFormat, "this build cannot write images.") }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let count = try backend.pageCount(of: path, displayName: name)
        let stem = (name as NSString).deletingPathExtension
        return try (0..<count).map { index in
            let target = (folder as NSString).appendingPathComponent("\(stem).page-\(index + 1).png")
            try writer.writePNG(try backend.renderPage(index + 1, of: path, displayName: name, resolution: resolution), to: target)
            return target
        }
    }
}
