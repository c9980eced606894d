public import Core
import Detection

extension TextScan {
    /// Convenience for shells: a scan with a threshold and the kinds to report.
    public init(threshold: Double, kinds: Set<EntityKind>) {
        self.init(options: AnalysisOptions(threshold: threshold, kinds: kinds))
    }

    /// Findings of a UTF-8 file too large to hold, in bounded memory (two passes over the file), handed to
    /// `emit` core by core in order; identical to scanning the whole text.
    /// - Throws: `InputError` when the file cannot be read or is not UTF-8.
    public func streamFindings(ofFile path: String, emit: ([Finding]) throws -> Void) throws {
        try streamFindingsByCore(ofFile: path) { try emit($1) }
    }

    /// Like `streamFindings(ofFile:emit:)`, with the code points each batch covers.
    public func streamFindingsByCore(ofFile path: String, emit: (Range<Int>, [Finding]) throws -> Void) throws {
        let blocks = TextFileBlocks(path: path)
        var failure: InputError?
        try analyzer.analyzeStream(options: options, blocks: {
            let (iterator, failed) = try blocks.makeIterator()
            return AnyIterator {
                let next = iterator.next()
                if next == nil { failure = failed() }
                return next
            }
        }, emitCore: emit)
        if let failure { throw failure }
    }
}
