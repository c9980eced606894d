import Foundation
public import Policy

/// `policy validate`: a policy file read and checked; every problem with its line and field.
public enum PolicyValidation {
    /// - Throws: ``InputError`` when the file cannot be read, ``PolicyError`` listing the problems.
    public static func validate(_ path: String) throws -> Policy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(.unreadable, "\(path): cannot be read (check that it exists and is readable).")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(.encoding, "\(path): not UTF-8 text.") }
        return try PolicyLoader().load(yaml: text)
    }
}
