import Foundation
public import Inference
import Yams

/// The knowledge base as YAML (`kb import | export`, and the seed bundled with MedLocal): diseases and
/// per-model label mappings, checked before anything is written.
public struct KnowledgeBaseFile: Sendable, Equatable, Codable {
    public var version: Int
    public var diseases: [Disease]
    public var mappings: [LabelMapping]

    public init(version: Int = 1, diseases: [Disease], mappings: [LabelMapping]) {
        (self.version, self.diseases, self.mappings) = (version, diseases, mappings)
    }

    /// The seed that ships in the binary's resources.
    public static func seed() throws -> KnowledgeBaseFile {
        guard let url = Bundle.module.url(forResource: "knowledge-base", withExtension: "yaml"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw InputError(.unreadable, "the bundled knowledge-base.yaml is missing from this build")
        }
        return try parse(text, name: "knowledge-base.yaml (bundled)")
    }

    /// - Throws: ``InputError`` naming the file and the first problem: YAML syntax, a missing field, an unknown
    ///   urgency, a code that is not ICD-10-shaped, a duplicate, or a mapping to a code the file does not define.
    public static func parse(_ text: String, name: String, known existing: Set<String> = []) throws -> KnowledgeBaseFile {
        let file: KnowledgeBaseFile
        do {
            file = try YAMLDecoder().decode(KnowledgeBaseFile.self, from: text)
        } catch let error as DecodingError {
            throw InputError(.unreadable, "\(name): \(Self.describe(error))")
        } catch {
            throw InputError(.unreadable, "\(name): not valid YAML (\(error))")
        }
        guard file.version == 1 else { throw InputError(.unreadable, "\(name): version \(file.version) is not one this build reads (1)") }
        var codes = Set<String>()
        for disease in file.diseases {
            guard disease.code.wholeMatch(of: /[A-Z][0-9]{2}(\.[0-9A-Z]{1,4})?/) != nil else {
                throw InputError(.unreadable, "\(name): \"\(disease.code)\" is not an ICD-10 code (like J18.9)")
            }
            guard codes.insert(disease.code).inserted else { throw InputError(.unreadable, "\(name): disease \(disease.code) is listed twice") }
        }
        var mapped = Set<String>()
        for mapping in file.mappings {
            guard codes.contains(mapping.code) || existing.contains(mapping.code) else {
                throw InputError(.unreadable, "\(name): label \"\(mapping.label)\" of model \(mapping.model) maps to \(mapping.code), which is not a disease in the file or the knowledge base")
            }
            guard mapped.insert("\(mapping.model)\u{0}\(mapping.label)").inserted else {
                throw InputError(.unreadable, "\(name): label \"\(mapping.label)\" of model \(mapping.model) is mapped twice")
            }
        }
        return file
    }

    public func yaml() throws -> String { try YAMLEncoder().encode(self) }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field \"\(key.stringValue)\" at \(path(context.codingPath))"
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\(context.debugDescription) at \(path(context.codingPath))"
        @unknown default:
            return "\(error)"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.isEmpty ? "the top level" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// `kb import | export | lookup` over a data folder's knowledge base, seeded on first use.
public struct KnowledgeBaseWorkflow: Sendable {
    public let store: any KnowledgeBaseStore

    public init(dataDirectory: String, stores: Stores = .current) throws {
        store = try stores.knowledgeBase(in: dataDirectory)
    }

    public init(store: any KnowledgeBaseStore) { self.store = store }

    /// Loads the bundled seed when the knowledge base is empty.
    public func seedIfEmpty() throws {
        guard try store.diseases().isEmpty else { return }
        let seed = try KnowledgeBaseFile.seed()
        try store.save(diseases: seed.diseases, mappings: seed.mappings)
    }

    /// Adds or replaces what the file lists; returns (diseases, mappings) written.
    public func importFile(_ path: String) throws -> (Int, Int) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw InputError(.unreadable, "\(path): cannot be read as UTF-8 text") }
        return try importText(text, name: path)
    }

    /// Adds or replaces what the YAML text lists (checked whole first); returns (diseases, mappings) written.
    public func importText(_ text: String, name: String) throws -> (Int, Int) {
        try seedIfEmpty()
        let file = try KnowledgeBaseFile.parse(text, name: name, known: Set(store.diseases().map(\.code)))
        try store.save(diseases: file.diseases, mappings: file.mappings)
        return (file.diseases.count, file.mappings.count)
    }

    public func export() throws -> KnowledgeBaseFile {
        try seedIfEmpty()
        return KnowledgeBaseFile(diseases: try store.diseases(), mappings: try store.mappings())
    }

    public func advice(model: String, label: String) throws -> DiagnosisAdvice {
        try seedIfEmpty()
        return try store.advice(model: model, label: label)
    }
}
