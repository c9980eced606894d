import Anonymization
import Foundation
public import Policy

/// Policies as commands name them: a preset (`default`, `research-default`, `hipaa-safe-harbor`, `pipl-deid`)
/// or a YAML file, read and checked with every problem's line and field.
public enum PolicyValidation {
    /// The loader, with the PHI engine's operator parser checking operator parameters.
    public static let loader = PolicyLoader(operatorCheck: { text in
        do {
            _ = try OperatorSpec(parsing: text)
            return nil
        } catch {
            return (error as? OperatorError)?.message ?? "\(error)"
        }
    })

    /// - Throws: ``InputError`` when the file cannot be read, ``PolicyError`` listing the problems.
    public static func validate(_ reference: String) throws -> Policy {
        try loader.load(yaml: try text(of: reference))
    }

    /// `policy migrate`: the v2.0 text of a v1.x policy.
    public static func migrate(_ path: String) throws -> String {
        try PolicyMigration.migrate(yaml: try text(of: path), loader: loader)
    }

    /// The YAML of a preset name or a file (a file of that name wins over a preset).
    public static func text(of reference: String) throws -> String {
        if !FileManager.default.fileExists(atPath: reference), let preset = PolicyPresets.yaml(named: reference) { return preset }
        guard let data = FileManager.default.contents(atPath: reference) else {
            let presets = PolicyPresets.names.joined(separator: ", ")
            throw InputError(.unreadable, "\(reference): cannot be read (check that it exists and is readable), and it is not a preset (\(presets), default)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(.encoding, "\(reference): not UTF-8 text.") }
        return text
    }
}
