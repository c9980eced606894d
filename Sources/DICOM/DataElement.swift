/// One data element: its tag, VR and value, with what the writer needs to reproduce its original encoding.
public struct DataElement: Sendable, Equatable {
    public var tag: Tag
    public var vr: VR
    public var value: Value
    /// Sequences, items and encapsulated pixel data may be written with undefined length (delimited).
    public var undefinedLength: Bool

    public enum Value: Sendable, Equatable {
        /// Raw value bytes in the dataset's byte order, padding included.
        case bytes([UInt8])
        case sequence([Item])
        /// Encapsulated pixel data: the basic offset table item and the fragments, byte for byte.
        case fragments(offsetTable: [UInt8], fragments: [[UInt8]])
    }

    public init(tag: Tag, vr: VR, value: Value, undefinedLength: Bool = false) {
        self.tag = tag
        self.vr = vr
        self.value = value
        self.undefinedLength = undefinedLength
    }

    /// The raw bytes of a non-sequence value (empty for sequences and fragments).
    public var bytes: [UInt8] {
        if case .bytes(let bytes) = value { return bytes }
        return []
    }

    public var items: [Item] {
        if case .sequence(let items) = value { return items }
        return []
    }
}

/// A sequence item: a nested dataset.
public struct Item: Sendable, Equatable {
    public var dataset: Dataset
    public var undefinedLength: Bool

    public init(dataset: Dataset, undefinedLength: Bool = false) {
        self.dataset = dataset
        self.undefinedLength = undefinedLength
    }
}

extension DataElement {
    /// A text element, padded to even length (UI with NUL, other VRs with a space), encoded as UTF-8 — which is
    /// ASCII for the values the de-identifier writes, valid in every character set.
    public init(tag: Tag, vr: VR, text: String) {
        var bytes = Array(text.utf8)
        if bytes.count % 2 == 1 { bytes.append(vr == .UI ? 0 : 0x20) }
        self.init(tag: tag, vr: vr, value: .bytes(bytes))
    }

    /// Text bytes of the value without padding, as ASCII (for UIDs, codes, dates).
    public var asciiValue: String {
        var bytes = self.bytes
        while let last = bytes.last, last == 0 || last == 0x20 { bytes.removeLast() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
