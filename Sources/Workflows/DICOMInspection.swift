import DICOM
import Foundation

/// `dicom dump`: a file's File Meta Information and dataset as text.
public enum DICOMInspection {
    /// - Throws: ``InputError`` naming the file when it cannot be read or is not DICOM.
    /// - Important: Identifying values are redacted unless `showValues` is set.
    public static func dump(_ path: String, showValues: Bool) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(.unreadable, "\(path): cannot be read (check that it exists and is readable).")
        }
        let file: DICOMFile
        do {
            file = try DICOMReader().read([UInt8](data))
        } catch {
            throw InputError(.unreadable, "\(path): \(error)")
        }
        let dump = DatasetDump(showValues: showValues)
        var lines = ["# \(path): transfer syntax \(file.transferSyntax.uid)\(file.hasPrefix ? "" : " (no DICM prefix)")",
                     "# File Meta Information"]
        lines += dump.lines(file.meta, transferSyntax: .explicitVRLittleEndian)
        lines.append("# Dataset")
        lines += dump.lines(file.dataset, transferSyntax: file.transferSyntax)
        return lines.joined(separator: "\n") + "\n"
    }
}
