public import Anonymization
public import Core
import Detection
public import Policy

/// The "de-identify text" use case: detect, then rewrite with the operator plan.
public struct TextDeidentification: Sendable {
    public var scan: TextScan
    public var anonymizer: Anonymizer

    public init(scan: TextScan = TextScan(), plan: OperatorPlan) {
        self.scan = scan
        anonymizer = Anonymizer(plan: plan)
    }

    public struct Result: Sendable {
        public var findings: [Finding]
        public var output: AnonymizedText
        /// The policy's decision, when a policy chose what was rewritten.
        public var decision: Decision?
        /// The de-identified text.
        public var text: String { output.text }
    }

    /// De-identifies one item. Dates shift by the offset of `patientID`, else of the first resident ID or
    /// MRN found in the text, else of the item itself.
    public func deidentify(_ text: String, key: ProjectKey?, patientID: String? = nil, pseudonyms: inout PseudonymTable) throws -> Result {
        try deidentify(text, findings: scan.findings(in: text), key: key, patientID: patientID, pseudonyms: &pseudonyms)
    }

    /// De-identifies one item with findings already made (a policy may have chosen which of them to rewrite).
    public func deidentify(_ text: String, findings: [Finding], operators: [Finding: OperatorSpec] = [:], key: ProjectKey?,
                           patientID: String? = nil, pseudonyms: inout PseudonymTable) throws -> Result {
        var context = AnonymizationContext(key: key, patientID: patientID ?? Self.patientID(in: text, findings: findings), pseudonyms: pseudonyms)
        let output = try anonymizer.anonymize(text, findings: findings, operators: operators, context: &context)
        pseudonyms = context.pseudonyms
        return Result(findings: findings, output: output)
    }

    /// The identifier dates of this item shift by: a resident ID, else an MRN, else the whole item.
    static func patientID(in text: String, findings: [Finding]) -> String {
        for kind in [EntityKind.idNumber, .medicalRecordNumber] {
            if let f = findings.first(where: { $0.kind == kind }) { return kind.rawValue + ":" + text.slice(codePoints: f.range) }
        }
        return "item:" + text
    }
}
