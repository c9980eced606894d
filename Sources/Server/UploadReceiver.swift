import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit

/// One uploaded file, already on disk, with the form's other fields.
struct ReceivedUpload: Sendable {
    var path: String
    var filename: String
    var fields: [String: String]
    var bytes: Int
}

/// Streams an upload to a temporary file without holding it in memory: `multipart/form-data` with a `file` part
/// (what browsers and `curl -F` send), or the bare body with the name in `X-Filename` (what an HIS integration
/// finds simplest). More than `limit` bytes is a 413 and leaves nothing behind.
struct UploadReceiver {
    static let filenameHeader = HTTPField.Name("X-Filename")!
    /// Form fields other than the file are options, not content: a few KiB at most.
    static let fieldLimit = 16 << 10

    let limit: Int
    let files: JobFiles

    func receive(_ request: Request) async throws -> ReceivedUpload {
        let temporary = try files.temporaryUpload()
        guard FileManager.default.createFile(atPath: temporary, contents: nil), let handle = FileHandle(forWritingAtPath: temporary) else {
            throw Problem(.internalServerError, "storage", "the server cannot write uploads into its data folder")
        }
        do {
            let upload = try await receive(request, into: handle, at: temporary)
            try handle.synchronize()
            try handle.close()
            return upload
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    private func receive(_ request: Request, into handle: FileHandle, at path: String) async throws -> ReceivedUpload {
        let contentType = request.headers[.contentType] ?? ""
        guard let boundary = Self.boundary(contentType) else {
            guard let name = request.headers[Self.filenameHeader], !name.isEmpty else {
                throw Problem.badRequest("send multipart/form-data with a 'file' part, or the file as the body with an X-Filename header")
            }
            var bytes = 0
            for try await chunk in request.body {
                bytes += chunk.readableBytes
                try checkLimit(bytes)
                try handle.write(contentsOf: chunk.readableBytesView)
            }
            return ReceivedUpload(path: path, filename: name, fields: [:], bytes: bytes)
        }
        let form = FormCollector(handle: handle)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in form.header(name, value) }
        parser.onBody = { body in form.body(&body) }
        parser.onPartComplete = { form.partComplete() }
        var bytes = 0
        for try await chunk in request.body {
            bytes += chunk.readableBytes
            try checkLimit(bytes)
            do { try parser.execute(chunk) } catch { throw Problem.badRequest("the multipart body is malformed") }
            if let failure = form.failure { throw failure }
        }
        guard let filename = form.filename else { throw Problem.badRequest("the form has no 'file' part with a filename") }
        return ReceivedUpload(path: path, filename: filename, fields: form.fields, bytes: form.fileBytes)
    }

    private func checkLimit(_ bytes: Int) throws {
        if bytes > limit { throw Problem(.contentTooLarge, "too-large", "uploads are limited to \(limit >> 20) MiB") }
    }

    static func boundary(_ contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            let value = part.dropFirst("boundary=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return value.isEmpty ? nil : value
        }
        return nil
    }
}

/// The parser's callbacks: the `file` part goes to disk, other parts are small text fields.
private final class FormCollector {
    let handle: FileHandle
    var fields: [String: String] = [:]
    var filename: String?
    var fileBytes = 0
    var failure: Problem?
    private var fileParts = 0
    private var partName: String?
    private var partFilename: String?
    private var fieldBuffer: [UInt8] = []

    init(handle: FileHandle) { self.handle = handle }

    func header(_ name: String, _ value: String) {
        guard name.lowercased() == "content-disposition" else { return }
        partName = Self.parameter("name", in: value)
        partFilename = Self.parameter("filename", in: value)
        if partName == "file" {
            fileParts += 1
            if fileParts > 1 { failure = .badRequest("send one file per request") }
            filename = partFilename
        }
    }

    func body(_ buffer: inout ByteBuffer) {
        guard failure == nil else { return }
        if partName == "file" {
            fileBytes += buffer.readableBytes
            do { try handle.write(contentsOf: buffer.readableBytesView) } catch { failure = Problem(.internalServerError, "storage", "the upload could not be stored") }
        } else if partName != nil {
            fieldBuffer += buffer.readableBytesView
            if fieldBuffer.count > UploadReceiver.fieldLimit { failure = .badRequest("form field \(partName!) is too long") }
        }
    }

    func partComplete() {
        if let partName, partName != "file" { fields[partName] = String(decoding: fieldBuffer, as: UTF8.self) }
        partName = nil
        partFilename = nil
        fieldBuffer = []
    }

    /// `name="value"` from a Content-Disposition header.
    static func parameter(_ key: String, in header: String) -> String? {
        for part in header.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let pieces = part.split(separator: "=", maxSplits: 1)
            guard pieces.count == 2, pieces[0].lowercased() == key else { continue }
            return pieces[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }
}
