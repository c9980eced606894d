/// A DICOM file: the preamble, the File Meta Information and the dataset in its transfer syntax.
public struct DICOMFile: Sendable, Equatable {
    /// The 128-byte preamble, when the file has one (Part 10); nil for a bare dataset.
    public var preamble: [UInt8]?
    /// True when the file starts with the preamble and `DICM` (or `DICM` alone).
    public var hasPrefix: Bool
    /// File Meta Information, group 0002 (always explicit VR little endian).
    public var meta: Dataset
    public var transferSyntax: TransferSyntax
    public var dataset: Dataset
    /// For deflated files: the dataset bytes before and after deflating, so an unchanged dataset is written back
    /// byte for byte (another deflater would produce other bytes for the same content).
    var deflatedOriginal: (inflated: [UInt8], deflated: [UInt8])?

    public init(preamble: [UInt8]? = [UInt8](repeating: 0, count: 128), hasPrefix: Bool = true, meta: Dataset,
                transferSyntax: TransferSyntax, dataset: Dataset) {
        self.preamble = preamble
        self.hasPrefix = hasPrefix
        self.meta = meta
        self.transferSyntax = transferSyntax
        self.dataset = dataset
    }

    public static func == (lhs: DICOMFile, rhs: DICOMFile) -> Bool {
        lhs.preamble == rhs.preamble && lhs.hasPrefix == rhs.hasPrefix && lhs.meta == rhs.meta
            && lhs.transferSyntax == rhs.transferSyntax && lhs.dataset == rhs.dataset
    }
}
