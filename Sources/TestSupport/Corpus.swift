import Foundation

/// A labelled document as the dev corpus stores it (tests read it directly to stay independent of
/// the product's own JSON-lines reader).
public struct LabelledDocument: Decodable, Sendable {
    public struct Entity: Decodable, Sendable, Hashable {
        public var start: Int
        public var end: Int
        public var type: String
        public var text: String?
    }

    public var id: String
    public var lang: String?
    public var text: String
    public var entities: [Entity]

    /// Every document of the PHI dev corpus.
    public static func phiDev() throws -> [LabelledDocument] {
        let data = try Data(contentsOf: Fixtures.phiDevCorpus)
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            try JSONDecoder().decode(LabelledDocument.self, from: Data($0.utf8))
        }
    }
}
