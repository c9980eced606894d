/// Decodes an image file into RGB. Implemented over Leptonica (PNG, JPEG, BMP, TIFF) in the product.
public protocol ColorImageDecoder: Sendable {
    /// - Throws: ``ImageFileError`` naming what is wrong with the file.
    func decodeColor(_ data: [UInt8]) throws -> RGBImage
}

/// Why an image file cannot be used, said so a person can fix the file.
public struct ImageFileError: Error, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
