public import Foundation

/// An image taken out of a document, to be written next to its Markdown under ``name`` (the name the figure
/// block's `image` field and the Markdown link use).
public struct ExtractedImage: Sendable, Equatable {
    public var name: String
    public var data: Data

    public init(name: String, data: Data) {
        self.name = name
        self.data = data
    }
}

/// A document and the images it contains.
public struct ParsedDocument: Sendable {
    public var document: Document
    public var images: [ExtractedImage]
    /// What OCR read on scanned pages, in page-image pixels (empty for digital documents).
    public var ocrLayer: [OCRLayerPage]

    public init(document: Document, images: [ExtractedImage] = [], ocrLayer: [OCRLayerPage] = []) {
        self.document = document
        self.images = images
        self.ocrLayer = ocrLayer
    }
}
