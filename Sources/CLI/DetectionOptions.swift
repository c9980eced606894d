import ArgumentParser
import Core
import Foundation
import Workflows

/// Options shared by every command that detects PHI.
struct DetectionOptions: ParsableArguments {
    @Option(help: "Drop findings scoring below this (0…1; default 0.5, for redact-document 0.4).")
    var threshold: Double?

    @Option(help: "Comma-separated entity types to report (default: all standard types; DEVICE_ID only when listed).")
    var types: String?

    func kinds() throws -> Set<EntityKind> {
        guard let types else { return Set(EntityKind.standard) }
        let known = Set(EntityKind.all.map(\.rawValue))
        var kinds = Set<EntityKind>()
        for name in types.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).uppercased() }) where !name.isEmpty {
            guard known.contains(name) else {
                throw ValidationError("Unknown type '\(name)' in --types. Use any of: \(EntityKind.all.map(\.rawValue).joined(separator: ", ")).")
            }
            kinds.insert(EntityKind(name))
        }
        return kinds
    }

    /// - Parameter defaultThreshold: the command's own default (redaction of scans leans towards recall: OCR
    ///   misreads a digit of an ID number and its check digit fails).
    func textScan(defaultThreshold: Double = 0.5) throws -> TextScan {
        let threshold = self.threshold ?? defaultThreshold
        guard (0...1).contains(threshold) else { throw ValidationError("--threshold must be between 0 and 1.") }
        return TextScan(threshold: threshold, kinds: try kinds())
    }
}
