public import Foundation

/// The document model as JSON (docs/document-model.md): stable key order, boxes as `[x0, y0, x1, y1]`.
public enum DocumentJSON {
    public static func encode(_ document: Document) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document)
    }

    public static func decode(_ data: Data) throws -> Document {
        try JSONDecoder().decode(Document.self, from: data)
    }
}
