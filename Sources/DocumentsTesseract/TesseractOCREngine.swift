import CTesseract
public import Core
import Foundation
import Synchronization

/// ``OCREngine`` over Tesseract (Debian's fast LSTM models for eng and chi_sim).
///
/// One Tesseract handle per language set, created on first use and reused (initialising one costs tenths of a
/// second); each handle is used by one call at a time. Set `OMP_THREAD_LIMIT=1` in the environment that starts
/// the process (Debian's libtesseract spins OpenMP threads otherwise; see the native-libraries notes).
public final class TesseractOCREngine: OCREngine, @unchecked Sendable {
    // @unchecked: every handle lives in `handles` and is only touched while its mutex is held.
    private let handles = Mutex<[String: OpaquePointer]>([:])
    private let dataPath: String?

    /// - Parameter dataPath: the tessdata folder; nil uses Tesseract's default (Debian: /usr/share/tesseract-ocr/5/tessdata).
    public init(dataPath: String? = nil) {
        self.dataPath = dataPath
    }

    deinit {
        handles.withLock { all in
            for handle in all.values {
                TessBaseAPIEnd(handle)
                TessBaseAPIDelete(handle)
            }
        }
    }

    public func recognize(_ image: GrayImage, languages: [Language]) throws -> [RecognizedText] {
        let code = languages.map { $0 == .zh ? "chi_sim" : "eng" }.joined(separator: "+")
        return try handles.withLock { all in
            let api: OpaquePointer
            if let existing = all[code] {
                api = existing
            } else {
                guard let created = TessBaseAPICreate() else { throw OCRFailure(message: "cannot create a Tesseract engine") }
                guard TessBaseAPIInit3(created, dataPath, code) == 0 else {
                    TessBaseAPIDelete(created)
                    throw OCRFailure(message: "Tesseract cannot load the '\(code)' language data (install tesseract-ocr-eng / tesseract-ocr-chi-sim)")
                }
                TessBaseAPISetPageSegMode(created, PSM_SPARSE_TEXT)
                _ = TessBaseAPISetVariable(created, "debug_file", "/dev/null")   // no diagnostics on stderr
                all[code] = created
                api = created
            }
            return try Self.run(api, image)
        }
    }

    private static func run(_ api: OpaquePointer, _ image: GrayImage) throws -> [RecognizedText] {
        image.pixels.withUnsafeBufferPointer { buffer in
            TessBaseAPISetImage(api, buffer.baseAddress, Int32(image.width), Int32(image.height), 1, Int32(image.width))
        }
        TessBaseAPISetSourceResolution(api, 300)
        guard TessBaseAPIRecognize(api, nil) == 0 else { throw OCRFailure(message: "Tesseract could not recognise the image") }
        defer { TessBaseAPIClear(api) }
        var found: [RecognizedText] = []
        guard let iterator = TessBaseAPIGetIterator(api) else { return found }
        defer { TessResultIteratorDelete(iterator) }
        let pageIterator = TessResultIteratorGetPageIterator(iterator)
        let level = RIL_TEXTLINE
        repeat {
            guard let raw = TessResultIteratorGetUTF8Text(iterator, level) else { continue }
            let text = String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
            TessDeleteText(raw)
            var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
            guard TessPageIteratorBoundingBox(pageIterator, level, &left, &top, &right, &bottom) != 0, !text.isEmpty else { continue }
            let confidence = Double(TessResultIteratorConfidence(iterator, level)) / 100
            found.append(RecognizedText(text: text, x: Int(left), y: Int(top), width: Int(right - left), height: Int(bottom - top),
                                        confidence: confidence))
        } while TessResultIteratorNext(iterator, level) != 0
        return found
    }
}

/// Why OCR failed (never the image's content).
public struct OCRFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
