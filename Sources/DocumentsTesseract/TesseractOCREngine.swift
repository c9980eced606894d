import CTesseract
public import Core
import Foundation
import Synchronization

/// ``OCREngine`` over Tesseract (Debian's fast LSTM models for eng and chi_sim, and osd for orientation).
///
/// Tesseract handles are pooled per language set and layout: initialising one costs tenths of a second, and each
/// is used by one call at a time, so concurrent calls each take an idle handle (or make one) and give it back.
/// Set `OMP_THREAD_LIMIT=1` in the environment that starts the process (Debian's libtesseract spins OpenMP
/// threads otherwise; see the native-libraries notes) — the executable re-executes itself with it set.
public final class TesseractOCREngine: OCREngine, @unchecked Sendable {
    // @unchecked: an idle handle lives in `idle`; a handle taken out is used by exactly one call until returned.
    private let idle = Mutex<[String: [Handle]]>([:])
    private let dataPath: String?

    /// - Parameter dataPath: the tessdata folder; nil uses Tesseract's default (Debian: /usr/share/tesseract-ocr/5/tessdata).
    public init(dataPath: String? = nil) {
        self.dataPath = dataPath
    }

    deinit {
        idle.withLock { all in
            for handle in all.values.joined() {
                TessBaseAPIEnd(handle.api)
                TessBaseAPIDelete(handle.api)
            }
        }
    }

    public func recognize(_ image: GrayImage, options: OCROptions) throws -> [RecognizedText] {
        let code = options.languages.map { $0 == .zh ? "chi_sim" : "eng" }.joined(separator: "+")
        let mode = switch options.layout {
        case .page: PSM_AUTO
        case .sparse: PSM_SPARSE_TEXT
        case .block: PSM_SINGLE_BLOCK
        case .word: PSM_SINGLE_WORD
        case .line: PSM_SINGLE_LINE
        }
        return try withHandle(language: code, mode: mode) { api in
            try Self.run(api, image, resolution: options.resolution, layout: options.layout)
        }
    }

    /// Characters OSD classifies (each in four orientations, with the legacy classifier) before it may stop; it goes
    /// on up to five times as many while undecided. A first look at 20 settles most pages for 60 % of the time a
    /// look at Tesseract's default 50 takes; a page it leaves unsure is looked at again with 50.
    static let quickOSDCharacters = 20, fullOSDCharacters = 50

    public func orientation(of image: GrayImage, resolution: Int) -> PageOrientation {
        let found = try? withHandle(language: "osd", mode: PSM_OSD_ONLY) { api -> PageOrientation in
            Self.setImage(api, image, resolution: resolution)
            defer { TessBaseAPIClear(api) }
            guard let quick = Self.detectOrientation(api, characters: Self.quickOSDCharacters) else { return PageOrientation() }
            if quick.rotation != nil { return quick }
            return Self.detectOrientation(api, characters: Self.fullOSDCharacters) ?? quick
        }
        return found ?? PageOrientation()
    }

    private static func detectOrientation(_ api: OpaquePointer, characters: Int) -> PageOrientation? {
        _ = TessBaseAPISetVariable(api, "min_characters_to_try", String(characters))
        var degrees: Int32 = 0
        var confidence: Float = 0
        var script: UnsafePointer<CChar>?
        var scriptConfidence: Float = 0
        guard TessBaseAPIDetectOrientationScript(api, &degrees, &confidence, &script, &scriptConfidence) != 0 else { return nil }
        // `script` points into Tesseract's own character set: despite capi.h's comment, 5.3 does not allocate
        // it, and freeing it corrupts the heap.
        let name = script.map { String(cString: $0) }
        // Tesseract reports how far the image is turned clockwise (a page scanned a quarter turn clockwise is
        // 90); 2.0 is the confidence its own tools treat as reliable.
        let rotation = confidence >= 2 ? Int(degrees) % 360 : nil
        // Chinese pages come out as Han, Japanese (shared ideographs) or, with little text, anything; English
        // pages as Latin with a confidence of 4–7, so Latin is believed only well above the others.
        let language: Language? = switch name {
        case "Han", "HanS", "HanT", "Japanese", "Hiragana", "Katakana": .zh
        case "Latin" where scriptConfidence >= 3: .en
        default: nil
        }
        return PageOrientation(rotation: rotation, script: language)
    }

    private func withHandle<T>(language: String, mode: TessPageSegMode, _ body: (OpaquePointer) throws -> T) throws -> T {
        let key = "\(language)/\(mode.rawValue)"
        let handle = try idle.withLock { $0[key]?.popLast() } ?? Handle(api: makeHandle(language: language, mode: mode))
        defer { idle.withLock { $0[key, default: []].append(handle) } }
        return try body(handle.api)
    }

    private func makeHandle(language: String, mode: TessPageSegMode) throws -> OpaquePointer {
        guard let api = TessBaseAPICreate() else { throw OCRFailure(message: "cannot create a Tesseract engine") }
        guard TessBaseAPIInit3(api, dataPath, language) == 0 else {
            TessBaseAPIDelete(api)
            throw OCRFailure(message: "Tesseract cannot load the '\(language)' language data (install tesseract-ocr-eng / tesseract-ocr-chi-sim / tesseract-ocr-osd)")
        }
        TessBaseAPISetPageSegMode(api, mode)
        _ = TessBaseAPISetVariable(api, "debug_file", "/dev/null")   // no diagnostics on stderr
        if language.contains("chi_sim") {
            // Chinese text has no spaces between words; without this Tesseract inserts them between characters.
            _ = TessBaseAPISetVariable(api, "preserve_interword_spaces", "1")
        }
        return api
    }

    private static func setImage(_ api: OpaquePointer, _ image: GrayImage, resolution: Int) {
        image.pixels.withUnsafeBufferPointer { buffer in
            TessBaseAPISetImage(api, buffer.baseAddress, Int32(image.width), Int32(image.height), 1, Int32(image.width))
        }
        TessBaseAPISetSourceResolution(api, Int32(resolution))
    }

    private static func run(_ api: OpaquePointer, _ image: GrayImage, resolution: Int,
                            layout: OCROptions.Layout) throws -> [RecognizedText] {
        setImage(api, image, resolution: resolution)
        guard TessBaseAPIRecognize(api, nil) == 0 else { throw OCRFailure(message: "Tesseract could not recognise the image") }
        defer { TessBaseAPIClear(api) }
        guard let iterator = TessBaseAPIGetIterator(api) else { return [] }
        defer { TessResultIteratorDelete(iterator) }
        let pageIterator = TessResultIteratorGetPageIterator(iterator)
        var lines: [RecognizedText] = []
        var current: RecognizedText?
        repeat {
            if TessPageIteratorIsAtBeginningOf(pageIterator, RIL_TEXTLINE) != 0 {
                if let line = current, !line.text.isEmpty { lines.append(line) }
                current = nil
                if let (box, text) = element(iterator, pageIterator, RIL_TEXTLINE) {
                    current = RecognizedText(text: text, x: box.0, y: box.1, width: box.2, height: box.3,
                                             confidence: Double(TessResultIteratorConfidence(iterator, RIL_TEXTLINE)) / 100)
                }
            }
            guard current != nil, let (box, text) = element(iterator, pageIterator, RIL_WORD) else { continue }
            var bold: Int32 = 0, italic: Int32 = 0, underlined: Int32 = 0, monospace: Int32 = 0, serif: Int32 = 0
            var smallCaps: Int32 = 0, pointSize: Int32 = 0, fontID: Int32 = 0
            _ = TessResultIteratorWordFontAttributes(iterator, &bold, &italic, &underlined, &monospace, &serif, &smallCaps,
                                                     &pointSize, &fontID)
            current?.words.append(RecognizedWord(text: text, x: box.0, y: box.1, width: box.2, height: box.3,
                                                 confidence: Double(TessResultIteratorConfidence(iterator, RIL_WORD)) / 100,
                                                 pointSize: Double(max(0, pointSize))))
        } while TessResultIteratorNext(iterator, RIL_WORD) != 0
        if let line = current, !line.text.isEmpty { lines.append(line) }
        return lines
    }

    /// The text and box (x, y, width, height) of the element at `level` the iterator is on; nil when it is blank.
    private static func element(_ iterator: OpaquePointer, _ pageIterator: OpaquePointer?,
                                _ level: TessPageIteratorLevel) -> ((Int, Int, Int, Int), String)? {
        guard let raw = TessResultIteratorGetUTF8Text(iterator, level) else { return nil }
        let text = String(cString: raw).trimmingCharacters(in: .whitespacesAndNewlines)
        TessDeleteText(raw)
        var left: Int32 = 0, top: Int32 = 0, right: Int32 = 0, bottom: Int32 = 0
        guard !text.isEmpty, TessPageIteratorBoundingBox(pageIterator, level, &left, &top, &right, &bottom) != 0 else { return nil }
        return ((Int(left), Int(top), Int(right - left), Int(bottom - top)), text)
    }
}

/// A Tesseract handle on its way in or out of the pool (only ever used by one call at a time).
private struct Handle: @unchecked Sendable {
    let api: OpaquePointer
}

/// Why OCR failed (never the image's content).
public struct OCRFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
