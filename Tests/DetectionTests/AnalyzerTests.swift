import Core
import Detection
import Foundation
import Testing
import TestSupport

@Suite("Analyzer invariants")
struct AnalyzerTests {
    @Test("Chunked scanning gives exactly the findings of whole-text scanning")
    func chunkedEqualsWhole() throws {
        let documents = try LabelledDocument.phiDev()
        let text = documents.prefix(120).map(\.text).joined(separator: "\n")
        let analyzer = PHIAnalyzer()
        let whole = analyzer.analyze(text, options: AnalysisOptions(chunkSize: 1 << 30))
        let chunked = analyzer.analyze(text, options: AnalysisOptions(chunkSize: 4096, chunkOverlap: 1024))
        #expect(text.unicodeScalars.count > 4 * 4096)
        #expect(whole.count > 500)
        #expect(chunked == whole)
    }

    @Test("Findings never overlap and are sorted by start")
    func noOverlaps() throws {
        for document in try LabelledDocument.phiDev().prefix(200) {
            let findings = PHIAnalyzer().analyze(document.text)
            for (a, b) in zip(findings, findings.dropFirst()) {
                #expect(a.end <= b.start, "\(document.id): \(a.range) overlaps \(b.range)")
            }
        }
    }

    @Test("Overlap resolution prefers the larger span, then the higher score, deterministically")
    func resolution() {
        let e = Explanation(recognizer: "test")
        let long = Candidate(kind: .hospital, range: 0..<9, score: 0.6, explanation: e)
        let inner = Candidate(kind: .address, range: 0..<3, score: 0.9, explanation: e)
        let tieLow = Candidate(kind: .person, range: 10..<12, score: 0.7, explanation: e)
        let tieHigh = Candidate(kind: .date, range: 10..<12, score: 0.8, explanation: e)
        let resolved = OverlapResolver.resolve([inner, tieLow, long, tieHigh])
        #expect(resolved.map(\.kind) == [.hospital, .date])
        #expect(OverlapResolver.resolve([tieHigh, long, tieLow, inner]).map(\.kind) == [.hospital, .date])
    }

    @Test("Offsets are Unicode code points, also after astral characters")
    func codePointOffsets() {
        let text = "𠀀𠀁 患者姓名：张军 😀 住院号：ZY123456"
        let findings = PHIAnalyzer().analyze(text)
        let values = findings.map { text.slice(codePoints: $0.range) }
        #expect(values.contains("张军"))
        #expect(values.contains("ZY123456"))
    }

    @Test("Every finding explains itself without the value")
    func explanations() throws {
        let document = try LabelledDocument.phiDev()[0]
        for f in PHIAnalyzer().analyze(document.text) {
            let value = document.text.slice(codePoints: f.range)
            #expect(!f.explanation.recognizer.isEmpty)
            #expect(!f.explanation.summary.contains(value), "explanation leaks a value")
            #expect((0...1).contains(f.score))
        }
    }
}

@Suite("Extending the registry")
struct RegistryTests {
    @Test("A site's own label finds its own kind without code changes to the engine")
    func siteLabel() {
        let ward = EntityKind("WARD_CODE")
        let registry = RecognizerRegistry.standard.adding(LabelValueRecognizer(labels: [FieldLabel("病区 编码", ward, .identifier)]))
        let text = "病区编码：W-0712\n患者姓名：张军\n"
        let findings = PHIAnalyzer(registry: registry).analyze(text, options: AnalysisOptions(kinds: Set(EntityKind.standard + [ward])))
        #expect(findings.contains { $0.kind == ward && text.slice(codePoints: $0.range) == "W-0712" })
        #expect(findings.contains { $0.kind == .person })
    }
}

@Suite("Streaming analysis")
struct StreamingTests {
    @Test("Streaming a text in odd-sized blocks gives exactly the whole-text findings", arguments: [97, 1000, 7919])
    func streamEqualsWhole(blockSize: Int) throws {
        let documents = try LabelledDocument.phiDev()
        let text = documents.prefix(80).map(\.text).joined(separator: "\n")
        let analyzer = PHIAnalyzer()
        let whole = analyzer.analyze(text, options: AnalysisOptions(chunkSize: 1 << 30))
        let scalars = Array(text.unicodeScalars)
        var streamed: [Finding] = []
        let options = AnalysisOptions(chunkSize: 4096, chunkOverlap: 1024)
        try analyzer.analyzeStream(options: options, blocks: {
            var offset = 0
            return AnyIterator {
                guard offset < scalars.count else { return nil }
                let end = min(scalars.count, offset + blockSize)
                defer { offset = end }
                return String(String.UnicodeScalarView(scalars[offset..<end]))
            }
        }, emit: { streamed += $0 })
        #expect(whole.count > 300)
        #expect(streamed == whole)
    }

    @Test("An empty stream gives no findings")
    func empty() throws {
        var calls = 0
        try PHIAnalyzer().analyzeStream(blocks: { AnyIterator { nil } }, emit: { calls += 1; #expect($0.isEmpty) })
        #expect(calls <= 1)
    }
}
