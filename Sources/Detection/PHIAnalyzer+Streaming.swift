public import Core

extension PHIAnalyzer {
    /// Finds PHI in text that arrives in blocks — a file too large to hold — in memory bounded by
    /// `options.chunkSize`, with the findings `analyze` gives for the whole text.
    ///
    /// The text is read twice: the first pass collects the names and identifiers to look for again,
    /// the second emits findings, one core at a time, in order. Each core is analysed with
    /// `2 × chunkOverlap` code points of context on both sides and resolved with its neighbours'
    /// candidates, so block and core boundaries never change a result.
    ///
    /// - Parameters:
    ///   - blocks: returns a fresh iterator over the text; the blocks concatenate to the text and may split it anywhere.
    ///   - emit: receives each core's findings (absolute code-point offsets), in order.
    /// - Important: Keeps no text beyond the current window; findings carry offsets, not values.
    public func analyzeStream(options: AnalysisOptions = AnalysisOptions(),
                              blocks: () throws -> AnyIterator<String>,
                              emit: ([Finding]) throws -> Void) throws {
        try analyzeStream(options: options, blocks: blocks, emitCore: { try emit($1) })
    }

    /// Like `analyzeStream(options:blocks:emit:)`, also telling `emitCore` which code points each batch
    /// covers: after a core's batch, no later finding starts before the core's end.
    public func analyzeStream(options: AnalysisOptions = AnalysisOptions(),
                              blocks: () throws -> AnyIterator<String>,
                              emitCore: (Range<Int>, [Finding]) throws -> Void) throws {
        var values = PropagationValues()
        try forEachWindow(blocks(), options: options) { window in
            values.collect(window.resolved, in: window.text, offset: window.offset)
        }
        values.freeze()
        try forEachWindow(blocks(), options: options) { window in
            let found = window.resolved.map { $0.range }
            let mentions = values.mentions(in: window.text, offset: window.offset, excluding: found, threshold: options.threshold)
            let final = mentions.isEmpty ? window.resolved : OverlapResolver.resolve(window.resolved + mentions)
            try emitCore(window.core, final.filter { window.core.contains($0.range.lowerBound) }.map { $0.finding })
        }
    }

    struct Window {
        /// The core whose findings this window decides.
        var core: Range<Int>
        /// Text of `core` ± `chunkOverlap`, starting at absolute offset `offset`.
        var text: ScanText
        var offset: Int
        /// Resolved candidates starting anywhere in the window (absolute offsets).
        var resolved: [Candidate]
    }

    /// Slides over the text core by core, keeping at most one core plus `4 × chunkOverlap` code points.
    private func forEachWindow(_ blocks: AnyIterator<String>, options: AnalysisOptions, _ body: (Window) throws -> Void) throws {
        let overlap = options.chunkOverlap
        let active = activeRecognizers(for: options)
        var buffer: [UInt32] = []       // code points from `bufferStart`
        var bufferStart = 0
        var exhausted = false
        var coreStart = 0
        func fill(upTo end: Int) {
            while !exhausted && bufferStart + buffer.count < end {
                guard let block = blocks.next() else { exhausted = true; break }
                for scalar in block.unicodeScalars { buffer.append(ScanText.fold(scalar.value)) }
            }
        }
        while true {
            fill(upTo: coreStart + options.chunkSize + 2 * overlap)
            let textEnd = bufferStart + buffer.count
            guard coreStart < textEnd || (coreStart == 0 && exhausted) else { break }
            let coreEnd = min(textEnd, coreStart + options.chunkSize)
            // Candidates from the scan region, kept when they start in the window; then resolved.
            let scan = max(bufferStart, coreStart - 2 * overlap)..<min(textEnd, coreEnd + 2 * overlap)
            let window = max(bufferStart, coreStart - overlap)..<min(textEnd, coreEnd + overlap)
            let region = ScanText(chars: Array(buffer[(scan.lowerBound - bufferStart)..<(scan.upperBound - bufferStart)]))
            var local: [Candidate] = []
            for recognizer in active { recognizer.recognize(in: region, into: &local) }
            contextScorer.apply(to: &local, in: region)
            let kept = local.compactMap { c -> Candidate? in
                var c = c
                c.range = (c.range.lowerBound + scan.lowerBound)..<(c.range.upperBound + scan.lowerBound)
                return window.contains(c.range.lowerBound) && options.kinds.contains(c.kind) && c.score >= options.threshold ? c : nil
            }
            let windowText = ScanText(chars: Array(buffer[(window.lowerBound - bufferStart)..<(window.upperBound - bufferStart)]))
            try body(Window(core: coreStart..<max(coreEnd, coreStart + 1), text: windowText, offset: window.lowerBound,
                            resolved: OverlapResolver.resolve(kept)))
            if coreEnd >= textEnd && exhausted { break }
            coreStart = coreEnd
            // Drop what no later window needs.
            let keepFrom = max(bufferStart, coreStart - 2 * overlap)
            buffer.removeFirst(keepFrom - bufferStart)
            bufferStart = keepFrom
        }
    }
}
