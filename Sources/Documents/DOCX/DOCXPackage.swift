import Foundation
import ZIPFoundation

/// The parts of a DOCX (a ZIP container), read with limits: a part may not expand beyond ``maximumPartSize`` nor
/// the whole package beyond ``maximumTotalSize``, whatever sizes the ZIP directory claims (zip bombs).
struct DOCXPackage {
    static let maximumPartSize = 64 << 20
    static let maximumTotalSize = 256 << 20
    static let maximumEntries = 10_000

    private let archive: Archive
    let displayName: String
    private var expanded = 0

    init(path: String, displayName: String) throws(DocumentError) {
        self.displayName = displayName
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw DocumentError(.malformedContainer, "\(displayName): not a valid DOCX (the ZIP container cannot be read).")
        }
        var count = 0
        for _ in archive {
            count += 1
            if count > Self.maximumEntries {
                throw DocumentError(.tooLarge, "\(displayName): the DOCX container has more than \(Self.maximumEntries) entries.")
            }
        }
    }

    func contains(_ part: String) -> Bool { archive[part] != nil }

    /// Names of the parts under a folder (`word/`), sorted.
    func parts(under folder: String) -> [String] {
        archive.map(\.path).filter { $0.hasPrefix(folder) }.sorted()
    }

    /// The bytes of a part, or nil when the package has no such part.
    mutating func data(_ part: String) throws(DocumentError) -> Data? {
        guard let entry = archive[part] else { return nil }
        let name = displayName
        guard entry.uncompressedSize <= UInt64(Self.maximumPartSize) else {
            throw DocumentError(.tooLarge, "\(name): the part \(part) expands beyond \(Self.maximumPartSize >> 20) MiB; refusing a possible zip bomb.")
        }
        var data = Data()
        var overflow = false
        let remaining = Self.maximumTotalSize - expanded
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                if data.count > Self.maximumPartSize || data.count > remaining {
                    overflow = true
                    throw DocumentError(.tooLarge, "")
                }
            }
        } catch {
            if overflow {
                throw DocumentError(.tooLarge, "\(name): the part \(part) expands beyond its limit; refusing a possible zip bomb.")
            }
            throw DocumentError(.malformedContainer, "\(name): the part \(part) cannot be decompressed (damaged container).")
        }
        expanded += data.count
        return data
    }

    /// A part parsed as XML.
    mutating func xml(_ part: String) throws(DocumentError) -> XMLElement? {
        guard let data = try data(part) else { return nil }
        do {
            return try XMLReader.parse([UInt8](data))
        } catch {
            throw DocumentError(.malformedXML, "\(displayName): \(part) is not well-formed XML (\(error.reason) at byte \(error.offset)).")
        }
    }
}
