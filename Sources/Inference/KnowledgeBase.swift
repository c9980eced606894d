/// A disease in the knowledge base a classifier's label maps to, with the advice shown beside a result.
public struct Disease: Sendable, Equatable, Codable {
    public enum Urgency: String, Sendable, Codable, CaseIterable { case routine, soon, urgent, emergency }

    /// ICD-10 code, e.g. J18.9.
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public var description: String
    public var treatment: String
    public var urgency: Urgency
    /// Where the text comes from (guideline, edition).
    public var source: String

    public init(code: String, nameZh: String, nameEn: String, description: String, treatment: String, urgency: Urgency, source: String) {
        (self.code, self.nameZh, self.nameEn, self.description, self.treatment, self.urgency, self.source) =
            (code, nameZh, nameEn, description, treatment, urgency, source)
    }

    enum CodingKeys: String, CodingKey {
        case code, description, treatment, urgency, source
        case nameZh = "name_zh"
        case nameEn = "name_en"
    }
}

/// One model's label pointing at a disease.
public struct LabelMapping: Sendable, Equatable, Codable, Hashable {
    public var model: String
    public var label: String
    public var code: String

    public init(model: String, label: String, code: String) { (self.model, self.label, self.code) = (model, label, code) }
}

/// What a lookup returns: the disease, or a clear "no knowledge base entry", always with the disclaimer.
public struct DiagnosisAdvice: Sendable, Equatable, Codable {
    public static let disclaimer = "Decision support, not a diagnosis: a clinician must confirm every result. 仅供辅助决策，不构成诊断，须由临床医生确认。"

    public var model: String
    public var label: String
    public var disease: Disease?
    public var message: String
    public var disclaimer: String

    public init(model: String, label: String, disease: Disease?) {
        self.model = model
        self.label = label
        self.disease = disease
        message = disease == nil ? "no knowledge base entry for label \"\(label)\" of model \(model)" : "knowledge base entry \(disease!.code)"
        disclaimer = Self.disclaimer
    }
}

/// Where diseases and label mappings are kept (SQLite in the product).
public protocol KnowledgeBaseStore: Sendable {
    /// Adds or replaces diseases (by code) and mappings (by model and label) in one transaction.
    func save(diseases: [Disease], mappings: [LabelMapping]) throws
    func diseases() throws -> [Disease]
    func mappings() throws -> [LabelMapping]
    /// The disease `label` of `model` maps to, or nil.
    func disease(model: String, label: String) throws -> Disease?
}

extension KnowledgeBaseStore {
    public func advice(model: String, label: String) throws -> DiagnosisAdvice {
        DiagnosisAdvice(model: model, label: label, disease: try disease(model: model, label: label))
    }
}
