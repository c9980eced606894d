public import Documents

/// The concrete document readers the executable wires in (Workflows never imports an adapter).
public struct DocumentReaders: Sendable {
    public var pdf: (any PDFBackend)?

    public init(pdf: (any PDFBackend)? = nil) {
        self.pdf = pdf
    }

    /// The readers of the running command, bound by the executable around the command tree.
    @TaskLocal public static var current = DocumentReaders()
}
