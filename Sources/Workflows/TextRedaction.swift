public import Anonymization
public import Core
import Foundation

/// The "redact a batch of texts" use case as the shells drive it: parse the operator plan, load the key
/// only when an operator needs it, and keep pseudonyms consistent and unique across the batch.
public struct TextRedaction: Sendable {
    public let deidentification: TextDeidentification
    public let key: ProjectKey?
    public var patientID: String?
    private var pseudonyms = PseudonymTable()

    /// - Parameters:
    ///   - operators: `TYPE=OPERATOR` assignments (`default=…` for the rest).
    ///   - keyPath: the project key file, read only if an operator needs the key.
    /// - Throws: `OperatorError` for an unknown operator, `KeyError` when a needed key cannot be read.
    public init(scan: TextScan, operators: [String], keyPath: String, patientID: String?) throws {
        let plan = try OperatorPlan(assignments: operators)
        key = plan.needsKey ? try ProjectKey.load(from: keyPath) : nil
        deidentification = TextDeidentification(scan: scan, plan: plan)
        self.patientID = patientID
    }

    /// De-identifies one item of the batch.
    public mutating func redact(_ text: String) throws -> TextDeidentification.Result {
        try deidentification.deidentify(text, key: key, patientID: patientID, pseudonyms: &pseudonyms)
    }
}

/// Project key files for the shells.
public enum KeyFiles {
    /// Creates a new key file (mode 0600); never overwrites unless `overwrite`.
    public static func create(at path: String, overwrite: Bool) throws {
        try ProjectKey.generate().write(to: path, overwrite: overwrite)
    }

    /// Reverses the `encrypt` operator in `text` with the key at `path`.
    public static func restore(_ text: String, keyPath: String) throws -> String {
        try Restorer.restore(text, key: ProjectKey.load(from: keyPath)).text
    }
}
