public import Foundation
public import Core

/// One document of a JSON-lines corpus: `{"id", "text", …}`; `entities` when labelled.
public struct CorpusDocument: Sendable, Decodable {
    public var id: String
    public var text: String
    public var entities: [Finding]?

    public init(id: String, text: String, entities: [Finding]? = nil) {
        self.id = id
        self.text = text
        self.entities = entities
    }
}

/// Reading and writing JSON lines.
public enum JSONLines {
    /// Parses every non-empty line of `data` as a `CorpusDocument`.
    /// - Throws: `InputError` naming the source and line number (never the line's content).
    public static func documents(in data: Data, source: String) throws -> [CorpusDocument] {
        let (text, _) = try TextDecoding.decode(data, source: source)
        var documents: [CorpusDocument] = []
        let decoder = JSONDecoder()
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            do {
                documents.append(try decoder.decode(CorpusDocument.self, from: Data(trimmed.utf8)))
            } catch let error as DecodingError {
                throw InputError(.malformedJSON, "\(source) line \(index + 1): \(describe(error)). Each line must be a JSON object with \"id\" and \"text\".")
            }
        }
        return documents
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): return "missing key \"\(key.stringValue)\""
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case .dataCorrupted: return "not valid JSON"
        @unknown default: return "not valid JSON"
        }
    }

    /// Encodes a value as one compact JSON line (sorted keys, no escaped slashes).
    public static func line(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let s = String(data: data, encoding: .utf8) else { return "{}" }
        return s
    }
}
