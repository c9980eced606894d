public import Core

/// Words of a page read again, each alone, with the English model: where the Chinese model (or any model in small
/// print) is known to misread, and where a second reading can be checked against what the word must be.
struct EnglishSecondReading {
    let engine: any OCREngine
    let resolution: Int

    /// Short words read with less confidence are read again (dev scans at 300 dpi: table cells 0.895 → 0.904, CER
    /// 0.047 → 0.044; 0.45 gains a little less, 0.8 no more).
    static let unsureWordConfidence = 0.6

    /// The Chinese model drops the decimal point of a number now and then (a lab value 9.2 read as 92, a range
    /// 3.4-20.5 as 3.4-205; 1 % of the dev scans' decimals at 300 dpi, 2.5 % at 200), and the English model does in
    /// small print: every number or range whose point may be missing is read again, and the reading is taken only
    /// when it is the same characters with points added between digits.
    func decimalPoints(in lines: [RecognizedText], image: GrayImage) throws -> [RecognizedText] {
        try reread(lines, in: image, where: { Self.mayHaveLostAPoint($0.text) }) { reading, word in
            reading.confidence >= 0.45 && Self.addsDecimalPoints(reading.text, to: word.text)
        }
    }

    /// Short words the Chinese model is unsure of are, in a lab table, mostly units and numbers it cannot read
    /// (`中` for g/L, `化` for fL, `8X` for 8.7): the reading is taken when the English model is sure and it is a
    /// number, a range or a unit lab reports print.
    func unsureShortWords(in lines: [RecognizedText], image: GrayImage) throws -> [RecognizedText] {
        try reread(lines, in: image, where: { $0.confidence < Self.unsureWordConfidence && $0.text.count <= 3 }) { reading, word in
            reading.confidence >= 0.7 && reading.text != word.text && Self.isLabValueOrUnit(reading.text)
        }
    }

    /// Every word `isCandidate` picks, read alone; the reading replaces the word's text (and confidence) when
    /// `accepts(reading, word)`.
    private func reread(_ lines: [RecognizedText], in image: GrayImage, where isCandidate: (RecognizedWord) -> Bool,
                        accepts: (RecognizedWord, RecognizedWord) -> Bool) throws -> [RecognizedText] {
        var result = lines
        for (lineIndex, line) in lines.enumerated() {
            for (wordIndex, word) in line.words.enumerated() where isCandidate(word) {
                let margin = max(2, word.height / 4)
                let crop = image.cropped(x0: word.x - margin, y0: word.y - margin, x1: word.x + word.width + margin, y1: word.y + word.height + margin)
                let found = try engine.recognize(crop, options: OCROptions(languages: [.en], layout: .word, resolution: resolution)).flatMap(\.words)
                guard found.count == 1, let reading = found.first, accepts(reading, word) else { continue }
                result[lineIndex].words[wordIndex].text = reading.text
                result[lineIndex].words[wordIndex].confidence = reading.confidence
            }
            if result[lineIndex].words != line.words { result[lineIndex].text = result[lineIndex].wordText }
        }
        return result
    }

    /// A lab-sized number, or a range of two, with a run of two to five digits where a point may have been lost.
    /// Longer runs are identifiers (record, ID and phone numbers), and a point read into one would hide it from
    /// PHI detection; dates have two hyphens.
    static func mayHaveLostAPoint(_ word: String) -> Bool {
        guard word.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) || $0 == "." || $0 == "-" }),
              word.filter({ $0 == "-" }).count <= 1 else { return false }
        let runs = word.split(whereSeparator: { $0 == "." || $0 == "-" })
        return runs.allSatisfy { $0.count <= 5 } && runs.contains { $0.count >= 2 }
    }

    /// Whether `reading` is `original` with one or more decimal points added, each between two digits.
    static func addsDecimalPoints(_ reading: String, to original: String) -> Bool {
        let characters = Array(reading)
        func isDigit(_ index: Int) -> Bool { characters.indices.contains(index) && characters[index].isASCII && characters[index].isNumber }
        let added = characters.filter { $0 == "." }.count - original.filter { $0 == "." }.count
        let pointsBetweenDigits = characters.indices.allSatisfy { index in
            characters[index] != "." || (isDigit(index - 1) && isDigit(index + 1))
        }
        return added > 0 && pointsBetweenDigits && reading.filter { $0 != "." } == original.filter { $0 != "." }
    }

    /// A number of two or more digits, a range, or a unit lab reports print. One digit alone is not enough: a flag
    /// arrow the Chinese model reads as `上` reads as `4` to the English one.
    static func isLabValueOrUnit(_ text: String) -> Bool {
        LabUnits.known.contains(text) || NumberText.isNumberOrRange(text) && text.filter(\.isNumber).count >= 2
    }
}
