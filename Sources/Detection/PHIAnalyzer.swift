public import Core

/// Options for one analysis.
public struct AnalysisOptions: Sendable {
    /// Findings scoring below this are dropped.
    public var threshold: Double
    /// The kinds to report. DEVICE_ID is off unless listed.
    public var kinds: Set<EntityKind>
    /// Text longer than this (in code points) is scanned in chunks; results are identical.
    public var chunkSize: Int
    /// Code points each chunk re-reads on both sides, longer than any recognizer looks.
    public var chunkOverlap: Int

    public init(threshold: Double = 0.5, kinds: Set<EntityKind> = Set(EntityKind.standard),
                chunkSize: Int = 1 << 16, chunkOverlap: Int = 1024) {
        self.threshold = threshold
        self.kinds = kinds
        self.chunkSize = max(chunkSize, 4 * chunkOverlap)
        self.chunkOverlap = chunkOverlap
    }
}

/// Finds PHI in text: runs every recognizer, scores context, resolves overlaps, and then marks
/// every other mention of a found name or identifier in the same text.
///
/// ```swift
/// let findings = PHIAnalyzer().analyze("患者姓名：张军  住院号：ZY20241005248")
/// ```
/// - Important: Never logs or stores the text; findings hold offsets, not values.
public struct PHIAnalyzer: Sendable {
    public let registry: RecognizerRegistry
    let contextScorer = ContextScorer()

    /// Kinds whose values are searched again across the whole text once found.
    static let propagatedKinds: [EntityKind] = [.person, .medicalRecordNumber, .healthInsuranceNumber, .passport, .idNumber, .usSSN]

    private let allKinds: Set<EntityKind>

    public init(registry: RecognizerRegistry = .standard) {
        self.registry = registry
        allKinds = registry.kinds.subtracting([.deviceID])
    }

    /// Findings in `text`, sorted by start, offsets in Unicode code points.
    /// - Complexity: O(n) in the text's length, in memory bounded by `options.chunkSize`.
    public func analyze(_ text: String, options: AnalysisOptions = AnalysisOptions()) -> [Finding] {
        analyze(ScanText(text), options: options)
    }

    public func analyze(_ text: ScanText, options: AnalysisOptions = AnalysisOptions()) -> [Finding] {
        var candidates: [Candidate] = []
        let everyKind = options.kinds.isSuperset(of: allKinds)
        let active = everyKind ? registry.recognizers : activeRecognizers(for: options)
        for chunk in chunks(of: text, options: options) {
            let slice = chunk.scan.lowerBound == 0 && chunk.scan.upperBound == text.count
                ? text : ScanText(chars: Array(text.chars[chunk.scan]))
            var local: [Candidate] = []
            local.reserveCapacity(64)
            for recognizer in active { recognizer.recognize(in: slice, into: &local) }
            contextScorer.apply(to: &local, in: slice)
            let offset = chunk.scan.lowerBound
            if offset == 0 && chunk.core.upperBound >= text.count {
                candidates += local  // one chunk: offsets are already absolute
                continue
            }
            for var candidate in local {
                candidate.range = (candidate.range.lowerBound + offset)..<(candidate.range.upperBound + offset)
                if chunk.core.contains(candidate.range.lowerBound) { candidates.append(candidate) }
            }
        }
        // With every standard kind requested, only the opt-in DEVICE_ID still needs a look-up.
        let deviceIDWanted = options.kinds.contains(.deviceID)
        candidates = candidates.filter {
            $0.score >= options.threshold && (everyKind ? $0.kind != .deviceID || deviceIDWanted : options.kinds.contains($0.kind))
        }
        var resolved = OverlapResolver.resolve(candidates)
        let mentions = propagate(resolved, in: text, options: options)
        if !mentions.isEmpty { resolved = OverlapResolver.resolve(resolved + mentions) }
        return resolved.map { $0.finding }
    }

    /// The recognizers that can produce a requested kind (all of them for the standard kinds).
    func activeRecognizers(for options: AnalysisOptions) -> [any Recognizer] {
        if options.kinds.isSuperset(of: allKinds) { return registry.recognizers }
        return registry.recognizers.filter { !$0.kinds.isDisjoint(with: options.kinds) }
    }

    struct Chunk {
        var scan: Range<Int>
        var core: Range<Int>
    }

    /// Chunk cores cut at line breaks, each scanned with `chunkOverlap` of context on both sides.
    func chunks(of text: ScanText, options: AnalysisOptions) -> [Chunk] {
        guard text.count > options.chunkSize else { return [Chunk(scan: 0..<text.count, core: 0..<max(text.count, 1))] }
        var result: [Chunk] = []
        var start = 0
        while start < text.count {
            var end = min(text.count, start + options.chunkSize)
            if end < text.count {
                var cut = end
                while cut > start + options.chunkSize / 2, !CharClass.isNewline(text[cut - 1]) { cut -= 1 }
                if cut > start + options.chunkSize / 2 { end = cut }
            }
            let scan = max(0, start - options.chunkOverlap)..<min(text.count, end + options.chunkOverlap)
            result.append(Chunk(scan: scan, core: start..<end))
            start = end
        }
        return result
    }

    /// Other mentions of names and identifiers already found: `张军` in the narrative after
    /// `姓名：张军`, `Grant Kim is a 14-year-old` after `Name: Grant Kim`.
    func propagate(_ findings: [Candidate], in text: ScanText, options: AnalysisOptions) -> [Candidate] {
        var values = PropagationValues()
        values.collect(findings, in: text, offset: 0)
        return values.mentions(in: text, offset: 0, excluding: findings.map { $0.range }, threshold: options.threshold)
    }
}

extension PHIAnalyzer {
    /// Seconds spent in each phase of `analyze` over `texts` (recognizers, context, overlaps,
    /// mentions), for `medlocal phi bench --breakdown`. Diagnostics only; runs each text once.
    public func phaseTimings(_ texts: [ScanText], options: AnalysisOptions = AnalysisOptions()) -> [(phase: String, seconds: Double)] {
        let clock = ContinuousClock()
        var totals = [Duration](repeating: .zero, count: 4)
        for text in texts {
            var local: [Candidate] = []
            totals[0] += clock.measure {
                for recognizer in activeRecognizers(for: options) { recognizer.recognize(in: text, into: &local) }
            }
            totals[1] += clock.measure { contextScorer.apply(to: &local, in: text) }
            var resolved: [Candidate] = []
            totals[2] += clock.measure {
                resolved = OverlapResolver.resolve(local.filter { options.kinds.contains($0.kind) && $0.score >= options.threshold })
            }
            totals[3] += clock.measure {
                let mentions = propagate(resolved, in: text, options: options)
                if !mentions.isEmpty { resolved = OverlapResolver.resolve(resolved + mentions) }
                _ = resolved.map { $0.finding }
            }
        }
        let names = ["recognizers", "context scoring", "overlap resolution", "mentions and findings"]
        return zip(names, totals).map { ($0, Double($1.components.seconds) + Double($1.components.attoseconds) / 1e18) }
    }
}
